-- How often someone other than the owner edits fields on a rep's deals (field history).
-- needs: deals.owner_rep_id, deal_edits
-- rep_id: the rep (every reps.is_rep person)
-- edits: field_history rows on deals the rep owns, changed (day in $tz) in the last
--   $history_periods × $period_days days up to $as_of; owner changes (field owner, ownerid or
--   owner_rep_id, any case) are left out
-- edits_by_others: of those, edits by a known person other than the rep
-- edits_by_others_share: edits_by_others / edits; NULL without edits
-- requires: _day_macros
with
team as (
    select rep_id from reps where is_rep
),

deal_edits as (
    select
        deals.owner_rep_id as rep_id,
        field_history.changed_by_rep_id is not null
        and field_history.changed_by_rep_id <> deals.owner_rep_id as by_other
    from field_history
    inner join deals on deals.deal_id = field_history.record_id
    where lower(field_history.field) not in ('owner', 'ownerid', 'owner_rep_id')
        and local_day(field_history.changed_at, $tz)
        between $as_of::date - ($history_periods * $period_days - 1)::integer and $as_of::date
),

rep_counts as (
    select rep_id, count(*) as edits, count(*) filter (where by_other) as edits_by_others
    from deal_edits
    group by rep_id
),

final as (
    select
        team.rep_id,
        coalesce(rep_counts.edits, 0) as edits,
        coalesce(rep_counts.edits_by_others, 0) as edits_by_others,
        rep_counts.edits_by_others / nullif(rep_counts.edits, 0)::double as edits_by_others_share
    from team
    left join rep_counts on rep_counts.rep_id = team.rep_id
)

select * from final
order by rep_id
