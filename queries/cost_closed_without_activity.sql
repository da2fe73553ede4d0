-- Deals each rep closed with no activity ever logged on them: a blind spot in the forecast.
-- needs: deals.owner_rep_id, deals.close_date, deal_links
-- rep_id: the rep (every reps.is_rep person, also without deals)
-- closed_deals: closed deals the rep owns with a close_date in the last
--   $history_periods × $period_days days up to $as_of (created by $as_of, day in $tz)
-- closed_without_activity: of those, deals with no activity linked to them (deal_id) entered by
--   $as_of
-- share: closed_without_activity / closed_deals; NULL without closed deals
-- requires: _day_macros
with
team as (
    select rep_id from reps where is_rep
),

closed_deals as (
    select deals.deal_id, deals.owner_rep_id as rep_id
    from deals
    where coalesce(deals.is_closed, false)
        and deals.close_date
        between $as_of::date - ($history_periods * $period_days - 1)::integer and $as_of::date
        and local_day(deals.created_at, $tz) <= $as_of::date
),

touched_deals as (
    -- a semi join probes the activities against the closed deals: no grouping of the
    -- million deal IDs all activities name
    select closed_deals.deal_id
    from closed_deals
    semi join activities
        on activities.deal_id = closed_deals.deal_id
        and local_day(activities.created_at, $tz) <= $as_of::date
),

checked_deals as (
    select closed_deals.rep_id, touched_deals.deal_id is null as untouched
    from closed_deals
    left join touched_deals on touched_deals.deal_id = closed_deals.deal_id
),

rep_counts as (
    select
        rep_id,
        count(*) as closed_deals,
        count(*) filter (where untouched) as closed_without_activity
    from checked_deals
    group by rep_id
),

final as (
    select
        team.rep_id,
        coalesce(rep_counts.closed_deals, 0) as closed_deals,
        coalesce(rep_counts.closed_without_activity, 0) as closed_without_activity,
        rep_counts.closed_without_activity / nullif(rep_counts.closed_deals, 0)::double as share
    from team
    left join rep_counts on rep_counts.rep_id = team.rep_id
)

select * from final
order by rep_id
