-- Fragment: `main_currency` (one row, column currency), the most common currency of the reps'
-- deals (ties: alphabetical), as a CTE for a `with` list that already defines `team` (rep_id).
-- Amounts are compared within it; deals without a currency are taken to be in it. Included by
-- _closed_deals_in_tiers.sql, _deal_life.sql, _deal_life_steps.sql and
-- cost_stale_pipeline.sql: all pick the same one.
main_currency as (
    select deals.currency
    from deals
    inner join team on team.rep_id = deals.owner_rep_id
    where deals.currency is not null
    group by deals.currency
    order by count(*) desc, deals.currency
    limit 1
),
