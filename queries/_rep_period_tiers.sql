-- Fragment: the adoption tier of every rep in every period, as CTEs for a `with` list.
-- Included (`-- include: _rep_period_tiers.sql`) by every tier-based query. It defines `team`,
-- `deal_entries` (see _deal_entries.sql) and `rep_tiers` (rep_id, period_index, period_start,
-- period_end, workdays, active_days, active_day_share, median_lag_days, completeness,
-- proxy_share, tier, tier_rank), read from the temp table that _tier_rules.sql (the tier
-- rules) builds once per build; every CTE ends with a comma, ready for the query's own steps.
-- requires: _tier_rules
-- include: _deal_entries.sql

rep_tiers as (
    select * from rep_period_tiers
),
