-- Helper: every closed deal with its owner's tiers over its working life, in the temp table
-- `closed_deal_life`, with the columns of `deal_life` (see _deal_life_steps.sql). Four queries
-- read it (attribution, outcomes, win rates, reconciliation): through _deal_life.sql, which
-- declares `-- requires: _deal_life_table`, it is built once per build instead of once each.
-- requires: _tier_rules
create or replace temp table closed_deal_life as
with
-- include: _rep_period_tiers.sql
-- include: _deal_life_steps.sql

final as (
    select * from deal_life
)

select * from final
