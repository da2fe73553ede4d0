-- Each rep's progress in the 12-week habit program: program weeks done, current run, completed or not.
-- rep_id: the rep (reps.is_rep people with at least one program week since their start_date)
-- weeks_elapsed: program weeks that have started by $as_of (see program_board)
-- program_weeks_done: weeks with at least $program_min_active_days active workdays
-- current_run: consecutive program weeks ending with the latest week; while the latest week is
--   still running and not yet a program week, the run ending with the week before it
-- completed: true when a run reached $program_weeks consecutive program weeks
with
-- shared:program begin (the same block in program_board and program_progress)
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
        and list_contains($workdays, isodow(program_weeks.week_start + d.k::integer))
        and not list_contains($holidays::date[], program_weeks.week_start + d.k::integer)
),

entries as (
    select created_by_rep_id as rep_id, created_at from deals
    union all
    select created_by_rep_id as rep_id, created_at from activities
),

active_dates as (
    select distinct rep_id, cast(timezone($tz, created_at::timestamptz) as date) as day
    from entries
    where rep_id is not null and created_at is not null
),

active_workdays as (
    select active_dates.rep_id, active_dates.day
    from active_dates
    inner join team on team.rep_id = active_dates.rep_id
    where list_contains($workdays, isodow(active_dates.day))
        and not list_contains($holidays::date[], active_dates.day)
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
-- shared:program end

latest_weeks as (
    select
        rep_id,
        max(week_index) as latest_index
    from board
    group by rep_id
),

runs as (
    select
        board.rep_id,
        count(*) as weeks_elapsed,
        count(*) filter (where board.is_program_week) as program_weeks_done,
        max(board.consecutive_weeks) as longest_run,
        max(board.consecutive_weeks) filter (where board.week_index = latest_weeks.latest_index)
            as latest_run,
        bool_or(
            board.week_index = latest_weeks.latest_index
            and not board.week_complete
            and not board.is_program_week
        ) as latest_pending,
        coalesce(
            max(board.consecutive_weeks)
                filter (where board.week_index = latest_weeks.latest_index - 1),
            0
        ) as previous_run
    from board
    inner join latest_weeks on latest_weeks.rep_id = board.rep_id
    group by board.rep_id
),

final as (
    select
        rep_id,
        weeks_elapsed,
        program_weeks_done,
        case when latest_pending then previous_run else latest_run end as current_run,
        longest_run >= $program_weeks as completed
    from runs
)

select * from final
order by rep_id
