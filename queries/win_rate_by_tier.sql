-- Win rate of closed deals by the owner's adoption tier in the period of the deal's close date.
-- needs: deals.owner_rep_id, entry_dates, deals.close_date
-- tier: 'none', 'ineffective', 'moderate' or 'grade_a' (always all four rows)
-- tier_rank: 0 none, 1 ineffective, 2 moderate, 3 grade_a
-- closed_deals: deals closed (is_closed) with a close_date inside one of the owner's tiered
--   periods (so within the last $history_periods periods up to $as_of)
-- won_deals: of those, deals won (is_won)
-- win_rate: won_deals / closed_deals; NULL when there are no closed deals
with
-- include: _rep_period_tiers.sql

tier_names as (
    select *
    from (values ('none', 0), ('ineffective', 1), ('moderate', 2), ('grade_a', 3))
        as names (tier, tier_rank)
),

-- include: _closed_deals_in_tiers.sql

tier_counts as (
    select tier, count(*) as closed_deals, count(*) filter (where is_won) as won_deals
    from closed_in_tier
    group by tier
),

final as (
    select
        tier_names.tier,
        tier_names.tier_rank,
        coalesce(tier_counts.closed_deals, 0) as closed_deals,
        coalesce(tier_counts.won_deals, 0) as won_deals,
        tier_counts.won_deals / nullif(tier_counts.closed_deals, 0)::double as win_rate
    from tier_names
    left join tier_counts on tier_counts.tier = tier_names.tier
)

select * from final
order by tier_rank
