-- The plain definition of queries/_active_dates.sql (one row per distinct rep and day) that
-- tests/test_query_fast_paths.py compares the bit-packed helper with. Not shipped.
with
entries as (
    select case when $deal_creators then created_by_rep_id else owner_rep_id end as rep_id,
        created_at
    from deals
    union all
    select case when $activity_creators then created_by_rep_id else owner_rep_id end,
        created_at
    from activities
),

days as (
    select rep_id, local_day(created_at, $tz) as day
    from entries
    where rep_id is not null and created_at is not null
)

select distinct rep_id, day
from days
where day <= $as_of::date
    and day >= least(
        $program_start::date,
        $as_of::date - (greatest($history_periods * $period_days, 28) - 1)::integer
    )
