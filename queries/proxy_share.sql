-- Share of each rep's records entered in the latest period that someone else created for them.
-- needs: deals.owner_rep_id, entry_dates, creators
-- rep_id: the rep (every reps.is_rep person, also without records)
-- records: deals and activities the rep owns, entered (created, day in $tz) in the $period_days
--   days up to $as_of; a table whose export names no creator is left out
-- proxy_records: of those, records whose creator is known and is not the rep (an assistant,
--   a manager, an integration user)
-- proxy_share: proxy_records / records; NULL without records
-- requires: _day_macros
with
team as (
    select rep_id from reps where is_rep
),

owned_entries as (
    -- only tables whose export says who created each record ($deal_creators, $activity_creators)
    select owner_rep_id as rep_id, created_by_rep_id, created_at from deals
    where $deal_creators
    union all
    select owner_rep_id as rep_id, created_by_rep_id, created_at from activities
    where $activity_creators
),

period_entries as (
    select
        rep_id,
        created_by_rep_id is not null and created_by_rep_id <> rep_id as is_proxy
    from owned_entries
    where local_day(created_at, $tz)
        between $as_of::date - ($period_days - 1)::integer and $as_of::date
),

rep_counts as (
    select rep_id, count(*) as records, count(*) filter (where is_proxy) as proxy_records
    from period_entries
    group by rep_id
),

final as (
    select
        team.rep_id,
        coalesce(rep_counts.records, 0) as records,
        coalesce(rep_counts.proxy_records, 0) as proxy_records,
        rep_counts.proxy_records / nullif(rep_counts.records, 0)::double as proxy_share
    from team
    left join rep_counts on rep_counts.rep_id = team.rep_id
)

select * from final
order by rep_id
