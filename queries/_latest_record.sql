-- The data's as-of date: the day of the latest creation timestamp in the export.
-- latest: that date (NULL when the export holds no dated records).
create or replace temp table _latest_record as
with stamps as (
    select max(created_at) as stamp_at from deals
    union all select max(created_at) from activities
    union all select max(login_at) from logins
    union all select max(changed_at) from field_history
),
final as (
    select max(stamp_at)::date as latest from stamps
)
select * from final;
