-- Every deal of the export counted once: in the evidence window, open, before the window, after as-of, or left out and why.
-- status: 'in_window' (closed in the last $history_periods periods up to $as_of and counted by
--   the evidence: its owner is a measured rep with a tier on a day the deal was open, see
--   deal_attribution), 'open' (not
--   closed, created by $as_of), 'before_window' (closed before the window starts),
--   'after_as_of' (created, or closed, after $as_of: a later --as-of counts it), 'excluded'
-- reason: why an excluded deal is left out: 'no_close_date' (closed, no close date and no
--   last-modified date to stand in), 'no_owner', 'owner_not_a_rep' (reps.only / reps.exclude,
--   or not in the user list), 'owner_not_measured_then' (the owner has no tier on any day the
--   deal was open: before their start date); NULL for the other statuses
-- deals: how many; closed_deals, won_deals: of those, closed and won
with
-- include: _rep_period_tiers.sql

-- include: _deal_life.sql

counted as (
    select deal_id from deal_life
),

classified as (
    select
        deal_entries.is_closed,
        deal_entries.is_won,
        case
            when deal_entries.created_day > $as_of::date then 'after_as_of'
            when not deal_entries.is_closed then 'open'
            when deal_entries.close_date is null then 'excluded'
            when deal_entries.close_date > $as_of::date then 'after_as_of'
            when deal_entries.close_date
                <= $as_of::date - ($history_periods * $period_days)::integer then 'before_window'
            when counted.deal_id is not null then 'in_window'
            else 'excluded'
        end as status,
        case
            when deal_entries.rep_id is null then 'no_owner'
            when team.rep_id is null then 'owner_not_a_rep'
            else 'owner_not_measured_then'
        end as owner_reason,
        deal_entries.close_date is null as no_close_date
    from deal_entries
    left join counted on counted.deal_id = deal_entries.deal_id
    left join team on team.rep_id = deal_entries.rep_id
),

final as (
    select
        status,
        case when status = 'excluded' then
            case when no_close_date then 'no_close_date' else owner_reason end
        end as reason,
        count(*) as deals,
        count(*) filter (where is_closed) as closed_deals,
        count(*) filter (where is_won) as won_deals
    from classified
    group by all
)

select * from final
order by status, reason
