-- Every closed deal with its owner's adoption tier at close: the basis for intervals on deal size and cycle.
-- needs: deals.owner_rep_id, entry_dates, deals.close_date
-- needs won_amount: deals.amount
-- needs cycle_days: deals.created_at
-- deal_id: the closed deal (one row each; closed with a close_date inside one of the owner's
--   tiered periods and created by $as_of)
-- rep_id: the deal's owner
-- period_index: the owner's period containing the close_date (0 = the period ending on $as_of)
-- tier: the owner's adoption tier in that period (see adoption_tier)
-- tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
-- is_won: true when the deal was won
-- won_amount: the amount of a won deal in `currency`; NULL for lost deals, deals without an
--   amount and deals in another currency
-- cycle_days: close_date minus the created day (in $tz); NULL without a created date or when the
--   deal closes before it was created (impossible, left out of every cycle statistic)
-- currency: the most common currency of the reps' deals (deals without one count as it)
with
-- include: _rep_period_tiers.sql

-- include: _closed_deals_in_tiers.sql

final as (
    select
        deal_id,
        rep_id,
        period_index,
        tier,
        tier_rank,
        is_won,
        case when is_won and in_currency then amount::double end as won_amount,
        cycle_days,
        (select currency from main_currency) as currency
    from closed_in_tier
)

select * from final
order by tier_rank, deal_id
