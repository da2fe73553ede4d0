-- Colleagues' activities on a rep's accounts and whether they were in the CRM before the rep's next touch.
-- needs: account_links
-- rep_id: the account owner (every reps.is_rep person)
-- colleague_activities: activities on accounts the rep owns (the activity's account, else its
--   deal's account) that another rep owns, occurring (day in $tz) in the last
--   $history_periods × $period_days days up to $as_of and entered by $as_of
-- logged_before_next_touch: of those, activities created before the account owner's next own
--   activity on that account occurred (or with no later own activity up to $as_of, so they were
--   in the CRM whenever the owner looked)
-- logged_before_share: logged_before_next_touch / colleague_activities; NULL without any
-- requires: _day_macros
with
team as (
    select rep_id from reps where is_rep
),

-- not materialized: each consumer keeps only a few of its rows; writing out all of them
-- (every activity) took longer than reading the tables twice
visible_activities as not materialized (
    -- an activity's account, else its deal's: only the activities without one probe the deals.
    -- Each branch filters on its own, before the join (one filter around both ran 10-20%
    -- slower); the window's start is on the stored timestamp, a day early for any time zone,
    -- so the scan can filter with it (and skip row groups in time-ordered exports).
    select owner_rep_id, account_id, occurred_at, created_at
    from activities
    where account_id is not null
        and local_day(created_at, $tz) <= $as_of::date
        and occurred_at >= ($as_of::date - ($history_periods * $period_days)::integer)::timestamp
    union all
    select activities.owner_rep_id, deals.account_id, activities.occurred_at, activities.created_at
    from activities
    inner join deals on deals.deal_id = activities.deal_id
    where activities.account_id is null
        and local_day(activities.created_at, $tz) <= $as_of::date
        and activities.occurred_at
        >= ($as_of::date - ($history_periods * $period_days)::integer)::timestamp
),

colleague_activities as (
    select
        accounts.owner_rep_id as rep_id,
        visible_activities.account_id,
        visible_activities.occurred_at,
        visible_activities.created_at
    from visible_activities
    inner join accounts on accounts.account_id = visible_activities.account_id
    inner join team as account_owner on account_owner.rep_id = accounts.owner_rep_id
    inner join team as colleague on colleague.rep_id = visible_activities.owner_rep_id
    where visible_activities.owner_rep_id <> accounts.owner_rep_id
        and local_day(visible_activities.occurred_at, $tz)
        between $as_of::date - ($history_periods * $period_days - 1)::integer and $as_of::date
),

colleague_accounts as (
    select distinct account_id, rep_id from colleague_activities
),

own_activities as (
    -- only on accounts with a colleague's activity: the as-of join sorts all of them
    select visible_activities.account_id, visible_activities.owner_rep_id,
        visible_activities.occurred_at
    from visible_activities
    semi join colleague_accounts
        on colleague_accounts.account_id = visible_activities.account_id
        and colleague_accounts.rep_id = visible_activities.owner_rep_id
    where visible_activities.account_id is not null and visible_activities.occurred_at is not null
),

checked as (
    -- against the owner's first own activity on the account after the colleague's one
    select
        colleague_activities.rep_id,
        own_activities.occurred_at is null
        or colleague_activities.created_at < own_activities.occurred_at as logged_before
    from colleague_activities
    asof left join own_activities
        on own_activities.account_id = colleague_activities.account_id
        and own_activities.owner_rep_id = colleague_activities.rep_id
        and own_activities.occurred_at > colleague_activities.occurred_at
),

rep_counts as (
    select
        rep_id,
        count(*) as colleague_activities,
        count(*) filter (where logged_before) as logged_before_next_touch
    from checked
    group by rep_id
),

final as (
    select
        team.rep_id,
        coalesce(rep_counts.colleague_activities, 0) as colleague_activities,
        coalesce(rep_counts.logged_before_next_touch, 0) as logged_before_next_touch,
        rep_counts.logged_before_next_touch
        / nullif(rep_counts.colleague_activities, 0)::double as logged_before_share
    from team
    left join rep_counts on rep_counts.rep_id = team.rep_id
)

select * from final
order by rep_id
