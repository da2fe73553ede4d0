-- Every closed deal with its owner's adoption tier at close: the basis for intervals on deal size and cycle.
-- deal_id: the closed deal (one row each; closed with a close_date inside one of the owner's
--   tiered periods and created by $as_of)
-- rep_id: the deal's owner
-- period_index: the owner's period containing the close_date (0 = the period ending on $as_of)
-- tier: the owner's adoption tier in that period (see adoption_tier)
-- tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
-- is_won: true when the deal was won
-- won_amount: the amount of a won deal in `currency`; NULL for lost deals, deals without an
--   amount and deals in another currency
-- cycle_days: close_date minus the created day (in $tz)
-- currency: the most common currency of the reps' deals (deals without one count as it)
with
-- include: _rep_period_tiers.sql

main_currency as (
    select deal_entries.currency
    from deal_entries
    inner join team on team.rep_id = deal_entries.rep_id
    where deal_entries.currency is not null
    group by deal_entries.currency
    order by count(*) desc, deal_entries.currency
    limit 1
),

closed_in_tier as (
    select
        deal_entries.deal_id,
        deal_entries.rep_id,
        rep_tiers.period_index,
        rep_tiers.tier,
        rep_tiers.tier_rank,
        deal_entries.is_won,
        case
            when deal_entries.is_won
                and coalesce(deal_entries.currency, (select currency from main_currency))
                is not distinct from (select currency from main_currency)
                then deal_entries.amount::double
        end as won_amount,
        deal_entries.close_date - deal_entries.created_day as cycle_days
    from deal_entries
    inner join rep_tiers
        on rep_tiers.rep_id = deal_entries.rep_id
        and deal_entries.close_date between rep_tiers.period_start and rep_tiers.period_end
    where deal_entries.is_closed and deal_entries.created_day <= $as_of::date
),

final as (
    select
        deal_id,
        rep_id,
        period_index,
        tier,
        tier_rank,
        is_won,
        won_amount,
        cycle_days,
        (select currency from main_currency) as currency
    from closed_in_tier
)

select * from final
order by tier_rank, deal_id
