-- Every closed deal with the owner's adoption tier over its working life: the basis of the evidence pages.
-- needs: deals.owner_rep_id, entry_dates, deals.close_date
-- needs won_amount: deals.amount
-- needs cycle_days: deals.created_at
-- deal_id: the closed deal (one row each: closed with a close_date in the last $history_periods
--   periods up to $as_of, entered by $as_of, and open on at least one day of a period in which
--   its owner had a tier; without a possible created date, on its close date only)
-- rep_id: the deal's owner
-- team: the owner's team (NULL when the export has none)
-- tenure_band: the owner's time since start_date on the deal's created day: 'under 1 year',
--   '1-2 years', '2-5 years', '5+ years'; NULL without a start_date
-- life_tier: the tier the owner held on the most days the deal was open (created day to close
--   date, days in tiered periods only; ties: the tier held first). The site's attribution.
-- life_tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
-- tiered_days: the days the deal was open in tiered periods
-- grade_a_share: the share of those days in the owner's grade_a periods (the time-weighted
--   attribution)
-- created_tier: the owner's tier in the period of the deal's created day (NULL when that is
--   before the window)
-- close_tier: the owner's tier in the period of the close date
-- before_close_tier: the owner's tier in the period before the close date's (NULL when that is
--   before the window)
-- is_won: true when the deal was won
-- amount_status: for won deals, 'counted' (an amount in `currency`), 'missing' (no amount) or
--   'other currency' (an amount in a currency not converted to it); NULL for lost deals
-- won_amount: the amount of a 'counted' won deal; NULL otherwise
-- deal_currency: the deal's own currency (NULL when the export has none)
-- cycle_days: close_date minus the created day (in $tz); NULL without a created date or when
--   the deal closes before it was created (impossible, left out of every cycle statistic)
-- currency: the most common currency of the reps' deals, after conversion with
--   data.currency_rates (deals without one count as it)
with
-- include: _rep_period_tiers.sql

-- include: _deal_life.sql

final as (
    select
        deal_life.deal_id,
        deal_life.rep_id,
        reps.team,
        case
            when reps.start_date is null or deal_life.created_day is null then null
            when deal_life.created_day - reps.start_date < 365 then 'under 1 year'
            when deal_life.created_day - reps.start_date < 730 then '1-2 years'
            when deal_life.created_day - reps.start_date < 1826 then '2-5 years'
            else '5+ years'
        end as tenure_band,
        deal_life.life_tier,
        deal_life.life_tier_rank,
        deal_life.tiered_days,
        deal_life.grade_a_share,
        deal_life.created_tier,
        deal_life.close_tier,
        deal_life.before_close_tier,
        deal_life.is_won,
        case
            when not deal_life.is_won then null
            when deal_life.amount is null then 'missing'
            when not deal_life.in_currency then 'other currency'
            else 'counted'
        end as amount_status,
        case when deal_life.is_won and deal_life.in_currency then deal_life.amount::double end
            as won_amount,
        deal_life.currency as deal_currency,
        deal_life.cycle_days,
        (select currency from main_currency) as currency
    from deal_life
    inner join reps on reps.rep_id = deal_life.rep_id
)

select * from final
order by rep_id, deal_id
