-- What a manager reads before a one-on-one: each rep's logins, own and proxy entries, and how entries cluster, in the latest period.
-- rep_id: the rep (every reps.is_rep person); the period is the $period_days days ending on
--   $as_of, days in $tz
-- logins_known: the export holds login history (any row in logins); without it the login
--   columns are NULL, never 0
-- creator_known: the export says who created records (any deal or activity with
--   created_by_rep_id); without it own_records, proxy_records and the proxy columns are NULL
-- entry_times_known: created_at carries a time of day (any deal or activity not at midnight)
-- login_days: configured workdays (from the rep's start_date) on which the rep logged in
-- last_login_day: the day of the rep's latest login up to $as_of; NULL when never
-- own_records: deals and activities the rep created themself in the period
-- proxy_records: deals and activities the rep owns that someone else created in the period
-- top_proxy_creator_id, top_proxy_creator_name, top_proxy_records: who created most of those
--   (ties: the smallest ID) and how many
-- busiest_weekday: ISO weekday (1 = Monday) on which most own records were created (ties: the
--   earliest); busiest_weekday_share: own records created on it / own_records
-- late_share: share of the activities the rep owns and entered themself in the period that
--   were entered 2 or more days after they happened (planned activities count as on time);
--   NULL when there were none
-- requires: _day_macros
with
team as (
    select rep_id, start_date from reps where is_rep
),

known as (
    select
        exists (select 1 from logins) as logins_known,
        exists (select 1 from deals where created_by_rep_id is not null)
        or exists (select 1 from activities where created_by_rep_id is not null)
            as creator_known,
        exists (select 1 from deals where cast(created_at as time) <> time '00:00:00')
        or exists (select 1 from activities where cast(created_at as time) <> time '00:00:00')
            as entry_times_known
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
    select owner_rep_id, created_by_rep_id, local_day(created_at, $tz) as created_day,
        null::date as occurred_day, false as is_activity
    from deals
    where created_at >= ($as_of::date - $period_days - 1)::timestamp
    union all
    select owner_rep_id, created_by_rep_id, local_day(created_at, $tz) as created_day,
        occurred_day(occurred_at, $tz) as occurred_day, true as is_activity
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
        created_by_rep_id as rep_id,
        count(*) as own_records,
        count(*) filter (where is_activity and owner_rep_id = created_by_rep_id
                         and occurred_day is not null) as own_activities,
        count(*) filter (where is_activity and owner_rep_id = created_by_rep_id
                         and created_day - occurred_day >= 2) as late_activities
    from period_entries
    where created_by_rep_id is not null
    group by created_by_rep_id
),

weekdays as (
    -- the ISO weekday (1 = Monday) from dayofweek (0 = Sunday)
    select created_by_rep_id as rep_id, (dayofweek(created_day) + 6) % 7 + 1 as weekday,
        count(*) as records
    from period_entries
    where created_by_rep_id is not null
    group by all
),

busiest as (
    select rep_id, arg_max(weekday, records * 10 - weekday) as weekday, max(records) as records
    from weekdays
    group by rep_id
),

proxies as (
    select owner_rep_id as rep_id, created_by_rep_id as creator_id, count(*) as records
    from period_entries
    where created_by_rep_id is not null and created_by_rep_id <> owner_rep_id
    group by owner_rep_id, created_by_rep_id
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
        known.logins_known,
        known.creator_known,
        known.entry_times_known,
        case when known.logins_known then login_summary.login_days end as login_days,
        case when known.logins_known then login_summary.last_login_day end as last_login_day,
        case when known.creator_known then coalesce(own.own_records, 0) end as own_records,
        case when known.creator_known then coalesce(top_proxies.proxy_records, 0) end
            as proxy_records,
        top_proxies.creator_id as top_proxy_creator_id,
        creators.name as top_proxy_creator_name,
        top_proxies.top_records as top_proxy_records,
        busiest.weekday as busiest_weekday,
        busiest.records / nullif(own.own_records, 0) as busiest_weekday_share,
        own.late_activities / nullif(own.own_activities, 0) as late_share
    from team
    cross join known
    left join login_summary on login_summary.rep_id = team.rep_id
    left join own on own.rep_id = team.rep_id
    left join busiest on busiest.rep_id = team.rep_id
    left join top_proxies on top_proxies.rep_id = team.rep_id
    left join reps as creators on creators.rep_id = top_proxies.creator_id
)

select * from final
order by rep_id
