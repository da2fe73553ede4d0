-- Each rep's closed-deal outcomes per period of the close date next to their tier: the basis of success stories.
-- needs: deals.owner_rep_id, entry_dates, deals.close_date
-- needs won_amount: deals.amount
-- needs median_cycle_days: deals.created_at
-- rep_id: the rep (one row for every tiered rep-period, also when nothing closed)
-- period_index: 0 = the period ending on $as_of, 1 = the one before, ...
-- tier: the rep's adoption tier in that period (see adoption_tier)
-- tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
-- closed_deals: the rep's deals with a close_date in the period that are closed
-- won_deals: of those, deals won
-- won_amount: total amount of won deals in `currency` (0 when none; deals without an amount
--   add nothing)
-- median_cycle_days: median of close_date minus created day over the closed deals with a possible
--   cycle (created on or before the close date); NULL when none
-- currency: the most common currency of the reps' deals (deals without one count as it)
with
-- include: _rep_period_tiers.sql

-- include: _closed_deals_in_tiers.sql

period_outcomes as (
    select
        rep_id,
        period_index,
        count(*) as closed_deals,
        count(*) filter (where is_won) as won_deals,
        sum(amount) filter (where is_won and in_currency) as won_amount,
        median(cycle_days) as median_cycle_days
    from closed_in_tier
    group by rep_id, period_index
),

final as (
    select
        rep_tiers.rep_id,
        rep_tiers.period_index,
        rep_tiers.tier,
        rep_tiers.tier_rank,
        coalesce(period_outcomes.closed_deals, 0) as closed_deals,
        coalesce(period_outcomes.won_deals, 0) as won_deals,
        coalesce(period_outcomes.won_amount, 0)::double as won_amount,
        period_outcomes.median_cycle_days::double as median_cycle_days,
        (select currency from main_currency) as currency
    from rep_tiers
    left join period_outcomes
        on period_outcomes.rep_id = rep_tiers.rep_id
        and period_outcomes.period_index = rep_tiers.period_index
)

select * from final
order by rep_id, period_index
