-- Each rep's streak of consecutive active workdays, their longest streak and active days in the last 28 days.
-- needs: deals.owner_rep_id, entry_dates
-- rep_id: the rep (every reps.is_rep person who has at least one workday in the window)
-- current_streak: consecutive active workdays ending on the last workday on or before $as_of
--   (0 when that day was not active); holidays and non-workdays neither break nor extend it
-- longest_streak: the longest run of consecutive active workdays in the window of the last
--   $history_periods × $period_days days (at least 28) up to $as_of; streaks are not traced
--   further back than that window
-- active_days_28d: active workdays in the 28 days up to $as_of
-- requires: _active_dates
-- requires: _day_macros
with
team as (
    select rep_id, start_date from reps where is_rep
),

calendar as (
    select $as_of::date - d.i::integer as day
    from range(0, greatest($history_periods * $period_days, 28)) as d (i)
),

workdays as (
    select day
    from calendar
    where is_workday(day, $workdays, $holidays)
),

active_dates as (
    select rep_id, day from rep_active_days  -- built by _active_dates.sql
),

rep_days as (
    select
        team.rep_id,
        workdays.day,
        active_dates.day is not null as is_active
    from team
    inner join workdays on team.start_date is null or workdays.day >= team.start_date
    left join active_dates
        on active_dates.rep_id = team.rep_id and active_dates.day = workdays.day
),

islands as (
    select
        rep_id,
        day,
        is_active,
        row_number() over (partition by rep_id order by day)
        - row_number() over (partition by rep_id, is_active order by day) as island
    from rep_days
),

runs as (
    select rep_id, island, count(*) as run_days
    from islands
    where is_active
    group by rep_id, island
),

rep_summary as (
    select
        rep_id,
        max(day) filter (where not is_active) as last_inactive_day,
        count(*) filter (where is_active and day > $as_of::date - 28) as active_days_28d
    from rep_days
    group by rep_id
),

current_runs as (
    select
        rep_days.rep_id,
        count(*) filter (
            where rep_days.day > coalesce(rep_summary.last_inactive_day, date '0001-01-01')
        ) as current_streak
    from rep_days
    inner join rep_summary on rep_summary.rep_id = rep_days.rep_id
    group by rep_days.rep_id
),

final as (
    select
        rep_summary.rep_id,
        current_runs.current_streak,
        coalesce(max(runs.run_days), 0) as longest_streak,
        rep_summary.active_days_28d
    from rep_summary
    inner join current_runs on current_runs.rep_id = rep_summary.rep_id
    left join runs on runs.rep_id = rep_summary.rep_id
    group by rep_summary.rep_id, current_runs.current_streak, rep_summary.active_days_28d
)

select * from final
order by rep_id
