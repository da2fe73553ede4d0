-- Win rate, mean won amount and median sales cycle of closed deals by the owner's adoption tier.
-- needs: deals.owner_rep_id, entry_dates, deals.close_date
-- needs mean_won_amount: deals.amount
-- needs median_cycle_days: deals.created_at
-- tier: 'none', 'ineffective', 'moderate' or 'grade_a' (always all four rows)
-- tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
-- closed_deals: deals closed with a close_date inside one of the owner's tiered periods; the
--   tier is the owner's tier in the period containing the close_date
-- won_deals: of those, deals won
-- win_rate: won_deals / closed_deals; NULL when there are no closed deals
-- won_deals_with_amount: won deals with an amount in `currency`
-- mean_won_amount: mean amount of those won deals; NULL when none. Amounts are compared only
--   within the most common currency of the reps' deals (ties: alphabetical); deals without a
--   currency are taken to be in it. Converting currencies is not done here.
-- median_cycle_days: median of close_date minus the created day (in $tz) over closed deals with
--   a possible cycle (created on or before the close date)
-- currency: the currency of mean_won_amount (NULL when no deal has a currency)
with
-- include: _rep_period_tiers.sql

tier_names as (
    select *
    from (values ('none', 0), ('ineffective', 1), ('moderate', 2), ('grade_a', 3))
        as names (tier, tier_rank)
),

-- include: _closed_deals_in_tiers.sql

tier_outcomes as (
    select
        tier,
        count(*) as closed_deals,
        count(*) filter (where is_won) as won_deals,
        count(*) filter (where is_won and in_currency and amount is not null)
            as won_deals_with_amount,
        avg(amount) filter (where is_won and in_currency and amount is not null)
            as mean_won_amount,
        median(cycle_days) as median_cycle_days
    from closed_in_tier
    group by tier
),

final as (
    select
        tier_names.tier,
        tier_names.tier_rank,
        coalesce(tier_outcomes.closed_deals, 0) as closed_deals,
        coalesce(tier_outcomes.won_deals, 0) as won_deals,
        tier_outcomes.won_deals / nullif(tier_outcomes.closed_deals, 0)::double as win_rate,
        coalesce(tier_outcomes.won_deals_with_amount, 0) as won_deals_with_amount,
        tier_outcomes.mean_won_amount::double as mean_won_amount,
        tier_outcomes.median_cycle_days::double as median_cycle_days,
        (select currency from main_currency) as currency
    from tier_names
    left join tier_outcomes on tier_outcomes.tier = tier_names.tier
)

select * from final
order by tier_rank
