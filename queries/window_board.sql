-- The agreed-window board: per rep and program week, workdays with a record entered inside the rep's own agreed window, and with any record at all.
-- needs: deals.owner_rep_id
-- needs window_days: entry_clock_times
-- rep_id: the rep (reps.is_rep; weeks that ended before the rep's start_date are left out)
-- week_index, week_start, week_complete: the program week, as in program_board
-- workdays: configured, non-holiday workdays of the week up to $as_of, from the rep's start_date
-- active_days: workdays on which the rep created at least one deal or activity themself (day in
--   $tz), exactly as in program_board (and, like it, records the rep owns for a table whose
--   export does not say who created them: $deal_creators, $activity_creators)
-- window_days: of those, the workdays on which at least one such record was created inside the
--   window agreed with the rep for that day (created_at's time of day in $tz, both ends
--   included); NULL when the export holds entry dates but no times of day ($entry_clock)
-- window_text: the window in force on the week's last day (or $as_of), as HH:MM-HH:MM
-- window_agreed: true when that window was agreed in the coaching log, false when it is the
--   team default (program.daily_window)
-- is_window_week: window_days >= $program_min_active_days
-- consecutive_window_weeks: window weeks in a row ending with this week (0 when it is not one)
-- The agreed windows come in as bound lists: $window_reps, $window_from (the day each applies from), $window_start and
-- $window_end (seconds after local midnight), defaults $window_default_start/_end.
with
-- include: _program_weeks.sql

agreed_windows as (
    select
        unnest($window_reps::varchar[]) as rep_id,
        unnest($window_from::date[]) as from_day,
        unnest($window_start::integer[]) as start_second,
        unnest($window_end::integer[]) as end_second
),

own_entries as (
    select case when $deal_creators then created_by_rep_id else owner_rep_id end as rep_id,
        created_at
    from deals
    -- a day early on the stored timestamp, for any time zone: the scan filters with it
    where created_at >= ($program_start::date - 1)::timestamp
    union all
    select case when $activity_creators then created_by_rep_id else owner_rep_id end,
        created_at
    from activities
    where created_at >= ($program_start::date - 1)::timestamp
),

local_entries as (
    select
        rep_id,
        cast(local_at as date) as day,
        hour(local_at) * 3600 + minute(local_at) * 60 + second(local_at) as second_of_day
    from (
        select
            rep_id,
            case when $tz = 'UTC' then created_at
                else timezone($tz, created_at::timestamptz) end as local_at
        from own_entries
        where rep_id is not null
    )
    where cast(local_at as date) between $program_start::date and $as_of::date
),

entry_windows as (
    select
        local_entries.rep_id,
        local_entries.day,
        local_entries.second_of_day
            between coalesce(agreed_windows.start_second, $window_default_start)
            and coalesce(agreed_windows.end_second, $window_default_end) as in_window
    from local_entries
    asof left join agreed_windows
        on agreed_windows.rep_id = local_entries.rep_id
        and agreed_windows.from_day <= local_entries.day
),

window_dates as (
    select entry_windows.rep_id, entry_windows.day
    from entry_windows
    inner join active_workdays
        on active_workdays.rep_id = entry_windows.rep_id
        and active_workdays.day = entry_windows.day
    where entry_windows.in_window
    group by entry_windows.rep_id, entry_windows.day
),

week_days as (
    select
        team.rep_id,
        program_weeks.week_index,
        count(*) filter (
            where is_workday(program_weeks.week_start + d.k::integer, $workdays, $holidays)
                and program_weeks.week_start + d.k::integer <= $as_of::date
                and (team.start_date is null
                     or program_weeks.week_start + d.k::integer >= team.start_date)
        ) as workdays,
        least(program_weeks.week_end, $as_of::date) as last_day
    from team
    cross join program_weeks
    cross join range(0, 7) as d (k)
    group by team.rep_id, program_weeks.week_index, program_weeks.week_end
),

week_windows as (
    select
        week_days.rep_id,
        week_days.week_index,
        week_days.workdays,
        agreed_windows.rep_id is not null as window_agreed,
        coalesce(agreed_windows.start_second, $window_default_start) as start_second,
        coalesce(agreed_windows.end_second, $window_default_end) as end_second
    from week_days
    asof left join agreed_windows
        on agreed_windows.rep_id = week_days.rep_id
        and agreed_windows.from_day <= week_days.last_day
),

window_counts as (
    select board.rep_id, board.week_index, count(window_dates.day) as window_days
    from board
    left join window_dates
        on window_dates.rep_id = board.rep_id
        and window_dates.day between board.week_start and board.week_start + 6
    group by board.rep_id, board.week_index
),

counted as (
    select
        board.rep_id,
        board.week_index,
        board.week_start,
        board.week_complete,
        week_windows.workdays,
        board.active_days,
        case when $entry_clock then window_counts.window_days end as window_days,
        week_windows.window_agreed,
        week_windows.start_second,
        week_windows.end_second
    from board
    inner join week_windows
        on week_windows.rep_id = board.rep_id and week_windows.week_index = board.week_index
    inner join window_counts
        on window_counts.rep_id = board.rep_id and window_counts.week_index = board.week_index
),

flagged as (
    select
        *,
        coalesce(window_days >= $program_min_active_days, false) as is_window_week
    from counted
),

final as (
    select
        rep_id,
        week_index,
        week_start,
        week_complete,
        workdays,
        active_days,
        window_days,
        printf('%02d:%02d-%02d:%02d', start_second // 3600, start_second // 60 % 60,
               end_second // 3600, end_second // 60 % 60) as window_text,
        window_agreed,
        is_window_week,
        week_index - coalesce(
            max(case when not is_window_week then week_index end) over (
                partition by rep_id order by week_index
                rows between unbounded preceding and current row
            ),
            -1
        ) as consecutive_window_weeks
    from flagged
)

select * from final
order by rep_id, week_index
