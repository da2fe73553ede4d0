-- How late each rep logs their activities, over activities entered in the latest period.
-- needs: deals.owner_rep_id, entry_dates, entry_times
-- rep_id: the rep (every reps.is_rep person, also without activities)
-- activities: activities the rep owns entered (created, day in $tz) in the latest period, the
--   $period_days days up to $as_of, on or after the day they happened
-- median_lag_days: median of the lag in whole days: created day minus occurred day, both in $tz
--   (an occurred_at of exactly midnight is a date-only value and taken as that day); an activity
--   entered before the day it happened was planned, has no lag and is left out; NULL without
--   activities, and for everyone when the export has no entry times apart from occurrence
--   times ($entry_times false)
-- p90_lag_days: 90th percentile of the lag (linear interpolation); NULL without activities
-- same_day_share: share of those activities entered on the day they happened (lag 0); NULL
--   without activities
-- requires: _day_macros
with
team as (
    select rep_id from reps where is_rep
),

activity_entries as (
    select
        owner_rep_id as rep_id,
        local_day(created_at, $tz) as created_day,
        occurred_day(occurred_at, $tz) as occurred_day
    from activities
),

period_lags as (
    select rep_id, created_day - occurred_day as lag_days
    from activity_entries
    where $entry_times and occurred_day <= created_day
        and created_day between $as_of::date - ($period_days - 1)::integer and $as_of::date
),

rep_lags as (
    select
        rep_id,
        count(*) as activities,
        median(lag_days)::double as median_lag_days,
        quantile_cont(lag_days, 0.9)::double as p90_lag_days,
        avg(case when lag_days = 0 then 1.0 else 0.0 end)::double as same_day_share
    from period_lags
    group by rep_id
),

final as (
    select
        team.rep_id,
        coalesce(rep_lags.activities, 0) as activities,
        rep_lags.median_lag_days,
        rep_lags.p90_lag_days,
        rep_lags.same_day_share
    from team
    left join rep_lags on rep_lags.rep_id = team.rep_id
)

select * from final
order by rep_id
