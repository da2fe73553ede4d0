-- Fragment: `main_currency` (see _main_currency.sql) and `deal_life`, every closed deal with its
-- owner's tiers over the deal's working life (columns and population: _deal_life_steps.sql), as
-- CTEs for a `with` list after `-- include: _rep_period_tiers.sql`. It reads the temp table
-- _deal_life_table.sql builds once per build.
-- requires: _deal_life_table
-- include: _main_currency.sql

deal_life as (
    select * from closed_deal_life
),
