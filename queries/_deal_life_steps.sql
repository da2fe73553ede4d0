-- Fragment: the steps of _deal_life_table.sql, which runs them once per build (read its result
-- through _deal_life.sql): every closed deal with its owner's tiers over the deal's working life,
-- as CTEs for a `with` list after `-- include: _rep_period_tiers.sql`. The population: deals closed with a
-- close_date in the window ($history_periods periods up to $as_of) and entered by $as_of. A deal
-- without a created date, or closed before it (impossible), is open on its close date only: it
-- has no cycle and no created tier. Defines `main_currency` (see _main_currency.sql) and
-- deal_life: deal_id, rep_id, created_day, close_date, is_won, amount, currency, in_currency
--   (the deal counts in main_currency; deals without a currency are taken to be in it),
--   cycle_days (close_date minus created_day; NULL without a possible one), life_tier and life_tier_rank (the tier the owner
--   held on the most days the deal was open, from its created day to its close date, counting
--   only days in tiered periods; ties go to the tier held first), tiered_days (those days),
--   grade_a_share (the share of them in grade_a periods), created_tier (the owner's tier in the
--   period of the created day; NULL before the window), close_tier (in the period of the close
--   date) and before_close_tier (in the period before it; NULL when that is before the window).
--   Deals with no tiered day at all are left out.
-- include: _main_currency.sql

closed_deals as (
    select
        *,
        period_of(close_date, $as_of::date, $period_days, $history_periods) as close_period,
        -- the first day the deal was open; its created day when that is possible
        case when created_day <= close_date then created_day else close_date end as open_day
    from deal_entries
    where is_closed and (created_day is null or created_day <= $as_of::date)
        and period_of(close_date, $as_of::date, $period_days, $history_periods) is not null
),

deal_life_periods as (
    -- every period the deal was open in, by arithmetic (index i ends on as_of - i * period_days),
    -- and the period before its close date's: one join to the tiers then gives the tiers of the
    -- created, close and before-close periods too (a join each cost about a second)
    select
        deal_id,
        rep_id,
        open_day,
        close_date,
        close_period,
        period_of(case when created_day <= close_date then created_day end,
                  $as_of::date, $period_days, $history_periods) as created_period,
        least($history_periods - 1, ($as_of::date - open_day) // $period_days) as open_period,
        unnest(range(close_period, greatest(close_period + 1, open_period) + 1)) as period_index
    from closed_deals
),

deal_tier_days as (
    -- per deal and tier: the days the deal was open in the tier's periods, and whether the
    -- tier held in the created, close and before-close periods
    select
        deal_life_periods.deal_id,
        rep_tiers.tier,
        any_value(rep_tiers.tier_rank) as tier_rank,
        sum(least(deal_life_periods.close_date, rep_tiers.period_end)
            - greatest(deal_life_periods.open_day, rep_tiers.period_start) + 1)
            filter (where rep_tiers.period_index <= deal_life_periods.open_period) as days,
        -- the highest index is the earliest
        max(rep_tiers.period_index)
            filter (where rep_tiers.period_index <= deal_life_periods.open_period)
            as first_period,
        bool_or(rep_tiers.period_index = deal_life_periods.created_period) as at_created,
        bool_or(rep_tiers.period_index = deal_life_periods.close_period) as at_close,
        bool_or(rep_tiers.period_index = deal_life_periods.close_period + 1) as before_close
    from deal_life_periods
    inner join rep_tiers
        on rep_tiers.rep_id = deal_life_periods.rep_id
        and rep_tiers.period_index = deal_life_periods.period_index
    group by deal_life_periods.deal_id, rep_tiers.tier
),

life_tiers as (
    select
        deal_id,
        -- most days first, then the tier held first (a larger first_period)
        arg_max(tier, days * ($history_periods + 1) + first_period) as life_tier,
        arg_max(tier_rank, days * ($history_periods + 1) + first_period) as life_tier_rank,
        sum(days) as tiered_days,
        coalesce(sum(days) filter (where tier = 'grade_a'), 0) / sum(days)::double
            as grade_a_share,
        any_value(tier) filter (where at_created) as created_tier,
        any_value(tier) filter (where at_close) as close_tier,
        any_value(tier) filter (where before_close) as before_close_tier
    from deal_tier_days
    group by deal_id
    having sum(days) is not null  -- deals with no tiered day at all are left out
),

deal_life as (
    select
        closed_deals.deal_id,
        closed_deals.rep_id,
        closed_deals.created_day,
        closed_deals.close_date,
        closed_deals.is_won,
        closed_deals.amount,
        closed_deals.currency,
        coalesce(closed_deals.currency, (select currency from main_currency))
            is not distinct from (select currency from main_currency) as in_currency,
        case when closed_deals.created_day <= closed_deals.close_date
            then closed_deals.close_date - closed_deals.created_day end as cycle_days,
        life_tiers.life_tier,
        life_tiers.life_tier_rank,
        life_tiers.tiered_days,
        life_tiers.grade_a_share,
        life_tiers.created_tier,
        life_tiers.close_tier,
        life_tiers.before_close_tier
    from closed_deals
    inner join life_tiers on life_tiers.deal_id = closed_deals.deal_id
),
