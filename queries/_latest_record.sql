-- The data's default as-of date: the day of the latest timestamp in the export (entered,
-- happened, closed, modified, logged in, changed) that is not after the build day $today.
-- latest: that date (NULL when no dated record is on or before $today).
-- future_records: records with a timestamp after $today (a wrong clock, a typo like 2099); they
--   never move the as-of date, and validate reports them.
-- Only closed deals' close dates count (an open deal's close date is a plan), and only logged
-- activities' occurrence times (planned ones are not in `activities`).
with
stamps as (
    select
        greatest(
            max(created_at) filter (where created_at::date <= $today::date),
            max(last_modified_at) filter (where last_modified_at::date <= $today::date),
            max(close_date::timestamp)
                filter (where is_closed and close_date <= $today::date)) as stamp_at,
        count(*) filter (where created_at::date > $today::date
                         or last_modified_at::date > $today::date
                         or (is_closed and close_date > $today::date)) as future
    from deals
    union all
    select
        greatest(max(created_at) filter (where created_at::date <= $today::date),
                 max(occurred_at) filter (where occurred_at::date <= $today::date)),
        count(*) filter (where created_at::date > $today::date)
    from activities
    union all
    select max(created_at) filter (where created_at::date <= $today::date),
        count(*) filter (where created_at::date > $today::date)
    from planned_activities
    union all
    select max(created_at) filter (where created_at::date <= $today::date),
        count(*) filter (where created_at::date > $today::date)
    from accounts
    union all
    select max(login_at) filter (where login_at::date <= $today::date),
        count(*) filter (where login_at::date > $today::date)
    from logins
    union all
    select max(changed_at) filter (where changed_at::date <= $today::date),
        count(*) filter (where changed_at::date > $today::date)
    from field_history
),

final as (
    select max(stamp_at)::date as latest, sum(future)::bigint as future_records from stamps
)

select * from final
