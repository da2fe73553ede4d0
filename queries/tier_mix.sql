-- How many reps were in each adoption tier, per period (the team's spread over time).
-- needs: deals.owner_rep_id, entry_dates
-- period_index: 0 = the period ending on $as_of, 1 = the one before, ...
-- period_start, period_end: first and last day of the period
-- tier: 'none', 'ineffective', 'moderate' or 'grade_a' (all four listed for every period that
--   has at least one measured rep; see adoption_tier for the rules)
-- tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
-- reps: reps in that tier in that period
-- share: reps / all measured reps in the period
with
-- include: _rep_period_tiers.sql

tier_names as (
    select *
    from (values ('none', 0), ('ineffective', 1), ('moderate', 2), ('grade_a', 3))
        as names (tier, tier_rank)
),

period_totals as (
    select period_index, period_start, period_end, count(*) as team_reps
    from rep_tiers
    group by period_index, period_start, period_end
),

tier_counts as (
    select period_index, tier, count(*) as reps
    from rep_tiers
    group by period_index, tier
),

final as (
    select
        period_totals.period_index,
        period_totals.period_start,
        period_totals.period_end,
        tier_names.tier,
        tier_names.tier_rank,
        coalesce(tier_counts.reps, 0) as reps,
        coalesce(tier_counts.reps, 0) / period_totals.team_reps::double as share
    from period_totals
    cross join tier_names
    left join tier_counts
        on tier_counts.period_index = period_totals.period_index
        and tier_counts.tier = tier_names.tier
)

select * from final
order by period_index, tier_rank
