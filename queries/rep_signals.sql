-- What a manager reads before a one-on-one: each rep's logins, own and proxy entries, and how entries cluster, in the latest period.
-- needs: deals.owner_rep_id
-- needs login_days: logins.login_at
-- needs last_login_day: logins.login_at
-- needs own_records: creators
-- needs proxy_records: creators
-- needs late_share: entry_times
-- rep_id: the rep (every reps.is_rep person); the period is the $period_days days ending on
--   $as_of, days in $tz
-- login_days: configured workdays (from the rep's start_date) on which the rep logged in; NULL
--   when the export holds no login history at all (never 0 for "unknown")
-- last_login_day: the day of the rep's latest login up to $as_of; NULL when never (or unknown)
-- own_records: deals and activities the rep created themself in the period, counting only the
--   tables whose export says who created each record ($deal_creators, $activity_creators);
--   NULL when neither does
-- proxy_records: deals and activities the rep owns that someone else created in the period
--   (same tables); NULL when neither says who created them
-- top_proxy_creator_id, top_proxy_creator_name, top_proxy_records: who created most of those
--   (ties: the smallest ID) and how many
-- busiest_weekday: ISO weekday (1 = Monday) on which most of the rep's entries were made (their
--   own, or the records they own where the export does not say who created them; ties: the
--   earliest); busiest_weekday_share: entries made on it / all those entries
-- late_share: share of the activities the rep owns and entered themself in the period that
--   were entered 2 or more days after they happened (planned ones count as on time); NULL when
--   there were none, or when the export has no entry times apart from occurrence ($entry_times)
-- requires: _day_macros
with
team as (
    select rep_id, start_date from reps where is_rep
),

known as (
    select
        exists (select 1 from logins) as logins_known,
        $deal_creators or $activity_creators as creator_known
),

period as (
    select $as_of::date - ($period_days - 1)::integer as first_day, $as_of::date as last_day
),

login_dates as (
    select distinct logins.rep_id, local_day(logins.login_at, $tz) as day
    from logins
    where logins.login_at <= ($as_of::date + 1)::timestamp
),

login_summary as (
    select
        team.rep_id,
        count(login_dates.day) filter (
            where login_dates.day between period.first_day and period.last_day
                and is_workday(login_dates.day, $workdays, $holidays)
                and (team.start_date is null or login_dates.day >= team.start_date)
        ) as login_days,
        max(login_dates.day) filter (where login_dates.day <= period.last_day)
            as last_login_day
    from team
    cross join period
    left join login_dates on login_dates.rep_id = team.rep_id
    group by team.rep_id
),

entries as (
    -- creator: who created the record, only where the table's export says so; entered_by:
    -- whose entry it counts as (the owner's where the export does not say), as active days do
    select owner_rep_id, case when $deal_creators then created_by_rep_id end as creator,
        case when $deal_creators then created_by_rep_id else owner_rep_id end as entered_by,
        local_day(created_at, $tz) as created_day, null::date as occurred_day,
        false as is_activity
    from deals
    where created_at >= ($as_of::date - $period_days - 1)::timestamp
    union all
    select owner_rep_id, case when $activity_creators then created_by_rep_id end as creator,
        case when $activity_creators then created_by_rep_id else owner_rep_id end as entered_by,
        local_day(created_at, $tz) as created_day, occurred_day(occurred_at, $tz) as occurred_day,
        true as is_activity
    from activities
    where created_at >= ($as_of::date - $period_days - 1)::timestamp
),

period_entries as (
    select entries.*
    from entries
    cross join period
    where entries.created_day between period.first_day and period.last_day
),

own as (
    select
        creator as rep_id,
        count(*) as own_records,
        count(*) filter (where is_activity and owner_rep_id = creator
                         and occurred_day is not null) as own_activities,
        count(*) filter (where is_activity and owner_rep_id = creator
                         and created_day - occurred_day >= 2) as late_activities
    from period_entries
    where creator is not null
    group by creator
),

weekdays as (
    -- the ISO weekday (1 = Monday) from dayofweek (0 = Sunday)
    select entered_by as rep_id, (dayofweek(created_day) + 6) % 7 + 1 as weekday,
        count(*) as records
    from period_entries
    where entered_by is not null
    group by all
),

entry_totals as (
    select rep_id, sum(records) as records from weekdays group by rep_id
),

busiest as (
    select rep_id, arg_max(weekday, records * 10 - weekday) as weekday, max(records) as records
    from weekdays
    group by rep_id
),

proxies as (
    select owner_rep_id as rep_id, creator as creator_id, count(*) as records
    from period_entries
    where creator is not null and creator <> owner_rep_id
    group by owner_rep_id, creator
),

top_proxies as (
    select
        rep_id,
        sum(records) as proxy_records,
        arg_min(creator_id, (-records, creator_id)) as creator_id,
        max(records) as top_records
    from proxies
    group by rep_id
),

final as (
    select
        team.rep_id,
        case when known.logins_known then login_summary.login_days end as login_days,
        case when known.logins_known then login_summary.last_login_day end as last_login_day,
        case when known.creator_known then coalesce(own.own_records, 0) end as own_records,
        case when known.creator_known then coalesce(top_proxies.proxy_records, 0) end
            as proxy_records,
        top_proxies.creator_id as top_proxy_creator_id,
        creators.name as top_proxy_creator_name,
        top_proxies.top_records as top_proxy_records,
        busiest.weekday as busiest_weekday,
        busiest.records / nullif(entry_totals.records, 0) as busiest_weekday_share,
        case when $entry_times then own.late_activities / nullif(own.own_activities, 0) end
            as late_share
    from team
    cross join known
    left join login_summary on login_summary.rep_id = team.rep_id
    left join own on own.rep_id = team.rep_id
    left join busiest on busiest.rep_id = team.rep_id
    left join entry_totals on entry_totals.rep_id = team.rep_id
    left join top_proxies on top_proxies.rep_id = team.rep_id
    left join reps as creators on creators.rep_id = top_proxies.creator_id
)

select * from final
order by rep_id
