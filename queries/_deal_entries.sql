-- Fragment: the measured reps (`team`) and every deal with its created day in $tz
-- (`deal_entries`), as CTEs for a `with` list. Included by _tier_rules.sql and, through
-- _rep_period_tiers.sql, by the tier-based queries, so a deal's day is defined once.
-- requires: _day_macros
team as (
    select rep_id, start_date from reps where is_rep
),

-- not materialized: each step that reads it scans only the columns and rows it needs (the
-- closed deals, the is_closed filter in the scan); writing out a million deals took longer
deal_entries as not materialized (
    select
        deal_id,
        owner_rep_id as rep_id,
        created_by_rep_id,
        amount,
        currency,
        stage,
        next_step,
        close_date,
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        local_day(created_at, $tz) as created_day
    from deals
),

