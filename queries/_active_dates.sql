-- Helper: the days (in $tz) on which each rep created at least one deal or activity themself,
-- in the temp table `rep_active_days` (rep_id, day), one row per rep and day. Built once per
-- build for the queries that declare `-- requires: _active_dates` (active days, streaks, the
-- program and the adoption tiers).
-- requires: _day_macros
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
        local_day(created_at, $tz) as day
    from entries
    where rep_id is not null and created_at is not null
)

select * from final
