-- How much each canonical table holds and how recent its newest record is, against $as_of.
-- table_name: the canonical table (reps, accounts, deals, activities, planned_activities, logins,
--   field_history); an optional table missing from the export shows 0 rows
-- rows: rows in the table
-- first_at: oldest timestamp (UTC): accounts, deals and (planned) activities created_at, logins
--   login_at, field_history changed_at; NULL for reps (no timestamp) and for empty tables
-- last_at: newest timestamp (UTC); for deals the newest of created_at and last_modified_at
-- days_behind_as_of: $as_of minus the UTC date of last_at, in days (negative when the data is
--   newer than $as_of); NULL when last_at is NULL
with
table_spans as (
    select 'reps' as table_name, count(*) as rows,
        null::timestamp as first_at, null::timestamp as last_at
    from reps
    union all
    select 'accounts', count(*), min(created_at), max(created_at) from accounts
    union all
    select 'deals', count(*), min(created_at), max(greatest(created_at, last_modified_at))
    from deals
    union all
    select 'activities', count(*), min(created_at), max(created_at) from activities
    union all
    select 'planned_activities', count(*), min(created_at), max(created_at)
    from planned_activities
    union all
    select 'logins', count(*), min(login_at), max(login_at) from logins
    union all
    select 'field_history', count(*), min(changed_at), max(changed_at) from field_history
),

final as (
    select
        table_name,
        rows,
        first_at,
        last_at,
        $as_of::date - cast(last_at as date) as days_behind_as_of
    from table_spans
)

select * from final
order by table_name
