-- Fragment: the 12-week habit program's weeks per rep, as CTEs for a `with` list.
-- Included (`-- include: _program_weeks.sql`) by program_board and program_progress.
-- requires: _active_dates
-- requires: _day_macros
team as (
    select rep_id, start_date from reps where is_rep
),

program_weeks as (
    select
        w.i as week_index,
        $program_start::date + (7 * w.i)::integer as week_start,
        $program_start::date + (7 * w.i + 6)::integer as week_end
    from range(0, $program_weeks) as w (i)
    where $program_start::date + (7 * w.i)::integer <= $as_of::date
),

unfinished_weeks as (
    select distinct program_weeks.week_index
    from program_weeks
    cross join range(0, 7) as d (k)
    where program_weeks.week_start + d.k::integer > $as_of::date
        and is_workday(program_weeks.week_start + d.k::integer, $workdays, $holidays)
),

active_dates as (
    select rep_id, day from rep_active_days  -- built by _active_dates.sql
),

active_workdays as (
    select active_dates.rep_id, active_dates.day
    from active_dates
    inner join team on team.rep_id = active_dates.rep_id
    where is_workday(active_dates.day, $workdays, $holidays)
        and active_dates.day <= $as_of::date
        and (team.start_date is null or active_dates.day >= team.start_date)
),

rep_weeks as (
    select
        team.rep_id,
        program_weeks.week_index,
        program_weeks.week_start,
        unfinished_weeks.week_index is null as week_complete,
        count(active_workdays.day) as active_days
    from team
    inner join program_weeks
        on team.start_date is null or team.start_date <= program_weeks.week_end
    left join active_workdays
        on active_workdays.rep_id = team.rep_id
        and active_workdays.day between program_weeks.week_start and program_weeks.week_end
    left join unfinished_weeks on unfinished_weeks.week_index = program_weeks.week_index
    group by team.rep_id, program_weeks.week_index, program_weeks.week_start,
        program_weeks.week_end, unfinished_weeks.week_index
),

flagged_weeks as (
    select *, active_days >= $program_min_active_days as is_program_week
    from rep_weeks
),

board as (
    select
        *,
        week_index - coalesce(
            max(case when not is_program_week then week_index end) over (
                partition by rep_id order by week_index
                rows between unbounded preceding and current row
            ),
            -1
        ) as consecutive_weeks
    from flagged_weeks
),
