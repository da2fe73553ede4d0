-- Win rate, mean won amount and mean sales cycle of closed deals by the owner's adoption tier over each deal's working life.
-- needs: deals.owner_rep_id, entry_dates, deals.close_date
-- needs mean_won_amount: deals.amount
-- needs mean_cycle_days: deals.created_at
-- tier: 'none', 'ineffective', 'moderate' or 'grade_a' (always all four rows)
-- tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
-- closed_deals: deals closed with a close_date in the last $history_periods periods up to
--   $as_of, in the tier their owner held on the most days the deal was open (see
--   deal_attribution, life_tier)
-- won_deals: of those, deals won
-- reps: reps owning those deals
-- win_rate: won_deals / closed_deals; NULL when there are no closed deals
-- won_deals_with_amount: won deals with an amount in `currency`
-- won_deals_missing_amount: won deals without an amount (left out of mean_won_amount)
-- won_deals_other_currency: won deals with an amount in another currency, not converted to
--   `currency` (left out of mean_won_amount; data.currency_rates converts them)
-- mean_won_amount: mean amount of the won deals with an amount in `currency`; NULL when none
-- mean_cycle_days: mean of close_date minus the created day (in $tz) over closed deals with
--   a possible cycle (created on or before the close date)
-- currency: the most common currency of the reps' deals (deals without one count as it)
with
-- include: _rep_period_tiers.sql

tier_names as (
    select *
    from (values ('none', 0), ('ineffective', 1), ('moderate', 2), ('grade_a', 3))
        as names (tier, tier_rank)
),

-- include: _deal_life.sql

tier_outcomes as (
    select
        life_tier as tier,
        count(*) as closed_deals,
        count(*) filter (where is_won) as won_deals,
        count(distinct rep_id) as reps,
        count(*) filter (where is_won and in_currency and amount is not null)
            as won_deals_with_amount,
        count(*) filter (where is_won and amount is null) as won_deals_missing_amount,
        count(*) filter (where is_won and not in_currency and amount is not null)
            as won_deals_other_currency,
        avg(amount) filter (where is_won and in_currency and amount is not null)
            as mean_won_amount,
        avg(cycle_days) as mean_cycle_days
    from deal_life
    group by life_tier
),

final as (
    select
        tier_names.tier,
        tier_names.tier_rank,
        coalesce(tier_outcomes.closed_deals, 0) as closed_deals,
        coalesce(tier_outcomes.won_deals, 0) as won_deals,
        coalesce(tier_outcomes.reps, 0) as reps,
        tier_outcomes.won_deals / nullif(tier_outcomes.closed_deals, 0)::double as win_rate,
        coalesce(tier_outcomes.won_deals_with_amount, 0) as won_deals_with_amount,
        coalesce(tier_outcomes.won_deals_missing_amount, 0) as won_deals_missing_amount,
        coalesce(tier_outcomes.won_deals_other_currency, 0) as won_deals_other_currency,
        tier_outcomes.mean_won_amount::double as mean_won_amount,
        tier_outcomes.mean_cycle_days::double as mean_cycle_days,
        (select currency from main_currency) as currency
    from tier_names
    left join tier_outcomes on tier_outcomes.tier = tier_names.tier
)

select * from final
order by tier_rank
