-- Active workdays per rep per week (Monday-based) over the last $history_periods periods up to $as_of.
-- needs: deals.owner_rep_id, entry_dates
-- rep_id: the rep (only reps.is_rep people are measured)
-- week_start: the Monday of the week; the first week may be cut short by the window start and
--   the last by $as_of; weeks before the rep's start_date are left out
-- workdays: configured workdays of the week that are not holidays, inside the window and on or
--   after the rep's start_date
-- active_days: of those workdays, the ones on which the rep created at least one deal or activity
--   themself (the day is the calendar day in $tz)
-- active_day_share: active_days / workdays; NULL for a week without workdays
-- requires: _active_dates
-- requires: _day_macros
with
team as (
    select rep_id, start_date from reps where is_rep
),

calendar as (
    select $as_of::date - d.i::integer as day
    from range(0, $history_periods * $period_days) as d (i)
),

rep_calendar as (
    select
        team.rep_id,
        calendar.day,
        is_workday(calendar.day, $workdays, $holidays) as is_workday
    from team
    inner join calendar on team.start_date is null or calendar.day >= team.start_date
),

active_dates as (
    select rep_id, day from rep_active_days  -- built by _active_dates.sql
),

rep_days as (
    select
        rep_calendar.rep_id,
        rep_calendar.day,
        rep_calendar.is_workday,
        rep_calendar.is_workday and active_dates.day is not null as is_active
    from rep_calendar
    left join active_dates
        on active_dates.rep_id = rep_calendar.rep_id and active_dates.day = rep_calendar.day
),

final as (
    select
        rep_id,
        date_trunc('week', day)::date as week_start,
        count(*) filter (where is_workday) as workdays,
        count(*) filter (where is_active) as active_days,
        count(*) filter (where is_active)
            / nullif(count(*) filter (where is_workday), 0)::double as active_day_share
    from rep_days
    group by rep_id, date_trunc('week', day)::date
)

select * from final
order by rep_id, week_start
