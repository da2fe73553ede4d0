-- How many deals were handed to and taken from each rep (owner changes in field history).
-- needs: deals.owner_rep_id, owner_changes
-- rep_id: the rep (every reps.is_rep person)
-- owner_changes_in: owner changes on deals (field owner, ownerid or owner_rep_id, any case)
--   whose new value is the rep, changed (day in $tz) in the last $history_periods × $period_days
--   days up to $as_of
-- owner_changes_out: such changes whose old value is the rep
-- requires: _day_macros
with
team as (
    select rep_id from reps where is_rep
),

owner_changes as (
    select field_history.old_value, field_history.new_value
    from field_history
    inner join deals on deals.deal_id = field_history.record_id
    where lower(field_history.field) in ('owner', 'ownerid', 'owner_rep_id')
        and local_day(field_history.changed_at, $tz)
        between $as_of::date - ($history_periods * $period_days - 1)::integer and $as_of::date
),

final as (
    select
        team.rep_id,
        count(*) filter (where owner_changes.new_value = team.rep_id) as owner_changes_in,
        count(*) filter (where owner_changes.old_value = team.rep_id) as owner_changes_out
    from team
    -- each change once per rep it names (an equi-join: DuckDB 2.0's OR-join hit an internal
    -- "dict-surviving cache" error on a 1M-deal export)
    left join (
        select new_value as rep_id, new_value, old_value from owner_changes
        union all
        select old_value, new_value, old_value from owner_changes
        where old_value is distinct from new_value
    ) as owner_changes on owner_changes.rep_id = team.rep_id
    group by team.rep_id
)

select * from final
order by rep_id
