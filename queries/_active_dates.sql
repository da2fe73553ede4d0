-- Helper: the days (in $tz) on which each rep created at least one deal or activity themself,
-- in the temp table `rep_active_days` (rep_id, day), one row per rep and day. Built once per
-- build for the queries that declare `-- requires: _active_dates` (active days, streaks, the
-- program and the adoption tiers).
create or replace temp table rep_active_days as
with
entries as (
    select created_by_rep_id as rep_id, created_at from deals
    union all
    select created_by_rep_id as rep_id, created_at from activities
),

final as (
    select distinct
        rep_id,
        case
            when $tz = 'UTC' then cast(created_at as date)
            else cast(timezone($tz, created_at::timestamptz) as date)
        end as day
    from entries
    where rep_id is not null and created_at is not null
)

select * from final
