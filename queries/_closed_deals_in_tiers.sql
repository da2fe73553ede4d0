-- Fragment: every closed deal in the owner's tiered period of its close date, as CTEs for a
-- `with` list after `-- include: _rep_period_tiers.sql`. Defines:
-- main_currency: the most common currency of the reps' deals (ties: alphabetical)
-- closed_in_tier: deal_id, rep_id, period_index, tier, tier_rank, is_won, amount,
--   cycle_days (close_date minus the created day; NULL when the export has no created date
--   or the deal closes before it was created: an impossible cycle is never a statistic),
--   in_currency (the deal counts in
--   main_currency; deals without a currency are taken to be in it)
-- include: _main_currency.sql

closed_in_tier as (
    select
        deal_entries.deal_id,
        deal_entries.rep_id,
        rep_tiers.period_index,
        rep_tiers.tier,
        rep_tiers.tier_rank,
        deal_entries.is_won,
        deal_entries.amount,
        case when deal_entries.close_date >= deal_entries.created_day
            then deal_entries.close_date - deal_entries.created_day end as cycle_days,
        coalesce(deal_entries.currency, (select currency from main_currency))
            is not distinct from (select currency from main_currency) as in_currency
    from deal_entries
    inner join rep_tiers
        on rep_tiers.rep_id = deal_entries.rep_id
        and rep_tiers.period_index
        = period_of(deal_entries.close_date, $as_of::date, $period_days, $history_periods)
    where deal_entries.is_closed
        and (deal_entries.created_day is null or deal_entries.created_day <= $as_of::date)
),
