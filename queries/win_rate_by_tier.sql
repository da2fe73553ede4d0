-- Win rate of closed deals by the owner's adoption tier over each deal's working life.
-- needs: deals.owner_rep_id, entry_dates, deals.close_date
-- tier: 'none', 'ineffective', 'moderate' or 'grade_a' (always all four rows)
-- tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
-- closed_deals: deals closed with a close_date in the last $history_periods periods up to
--   $as_of, counted in the tier their owner held on the most days the deal was open (see
--   deal_attribution, life_tier)
-- won_deals: of those, deals won (is_won)
-- reps: reps owning those deals
-- win_rate: won_deals / closed_deals; NULL when there are no closed deals
with
-- include: _rep_period_tiers.sql

tier_names as (
    select *
    from (values ('none', 0), ('ineffective', 1), ('moderate', 2), ('grade_a', 3))
        as names (tier, tier_rank)
),

-- include: _deal_life.sql

tier_counts as (
    select
        life_tier as tier,
        count(*) as closed_deals,
        count(*) filter (where is_won) as won_deals,
        count(distinct rep_id) as reps
    from deal_life
    group by life_tier
),

final as (
    select
        tier_names.tier,
        tier_names.tier_rank,
        coalesce(tier_counts.closed_deals, 0) as closed_deals,
        coalesce(tier_counts.won_deals, 0) as won_deals,
        coalesce(tier_counts.reps, 0) as reps,
        tier_counts.won_deals / nullif(tier_counts.closed_deals, 0)::double as win_rate
    from tier_names
    left join tier_counts on tier_counts.tier = tier_names.tier
)

select * from final
order by tier_rank
