-- Helper: the adoption tier of every rep in every period, in the temp table `rep_period_tiers`.
-- The tier rules live here, once. Queries get it through _rep_period_tiers.sql, which declares
-- `-- requires: _tier_rules`: run_query builds this table from the bound parameters before the
-- query (once per build). Every measure is as known at the period's end: only records entered
-- by then count (see _fields_known_then.sql for the deal fields and planned next steps). Columns: rep_id, period_index, period_start, period_end, workdays,
-- active_days, active_day_share, median_lag_days, completeness, proxy_share, tier, tier_rank.
-- requires: _active_dates
-- requires: _day_macros
create or replace temp table rep_period_tiers as
with
-- include: _deal_entries.sql

periods as (
    select
        p.i as period_index,
        $as_of::date - (p.i * $period_days + $period_days - 1)::integer as period_start,
        $as_of::date - (p.i * $period_days)::integer as period_end
    from range(0, $history_periods) as p (i)
),

calendar as (
    select $as_of::date - d.i::integer as day
    from range(0, $history_periods * $period_days) as d (i)
),

workdays as (
    select day
    from calendar
    where is_workday(day, $workdays, $holidays)
),

rep_workdays as (
    select team.rep_id, workdays.day
    from team
    inner join workdays on team.start_date is null or workdays.day >= team.start_date
),

-- not materialized: two steps read it, and scanning the columns each needs is cheaper than
-- writing out ten million rows once
activity_entries as not materialized (
    select
        activity_id,
        owner_rep_id as rep_id,
        created_by_rep_id,
        deal_id,
        account_id,
        local_day(created_at, $tz) as created_day,
        -- an occurred_at of exactly midnight is a date-only value (e.g. a task's due date)
        occurred_day(occurred_at, $tz) as occurred_day,
        period_of(local_day(created_at, $tz), $as_of::date, $period_days, $history_periods)
            as period_index
    from activities
),

active_dates as (
    select rep_id, day from rep_active_days  -- built by _active_dates.sql
),

rep_days as (
    select rep_workdays.rep_id, rep_workdays.day, active_dates.day is not null as is_active
    from rep_workdays
    left join active_dates
        on active_dates.rep_id = rep_workdays.rep_id and active_dates.day = rep_workdays.day
),

period_activity as (
    select
        rep_days.rep_id,
        periods.period_index,
        count(*) as workdays,
        count(*) filter (where rep_days.is_active) as active_days
    from rep_days
    inner join periods on rep_days.day between periods.period_start and periods.period_end
    group by rep_days.rep_id, periods.period_index
),

-- include: _fields_known_then.sql

open_deal_periods as (
    -- each deal in every period it was open at the end of: created on or before the period's
    -- end and, once closed, closed after it. Both bounds are period indexes by arithmetic (a
    -- range join is slow): index i ends on as_of - i * period_days.
    select
        deal_id,
        rep_id,
        amount,
        close_date,
        is_closed,
        stage,
        next_step,
        unnest(range(
            case
                when not is_closed or close_date > $as_of::date then 0
                else ($as_of::date - close_date) // $period_days + 1  -- NULL: no period
            end,
            least($history_periods - 1, ($as_of::date - created_day) // $period_days) + 1
        )) as period_index
    from deal_entries
    where created_day <= $as_of::date
),

open_deal_checks as (
    -- as known at the period's end: field history gives a field's value then (a span of the
    -- field's changes holds the period); a deal closed since is not judged on its next step
    -- without history (closing clears the field, so today's empty value says nothing about then)
    select
        open_deal_periods.rep_id,
        open_deal_periods.period_index,
        not coalesce(amount_then.was_empty, open_deal_periods.amount is null)
        and not coalesce(close_date_then.was_empty, open_deal_periods.close_date is null)
        and not coalesce(stage_then.was_empty, coalesce(trim(open_deal_periods.stage), '') = '')
        and coalesce(
            case
                when planned_next_steps.deal_id is not null then true
                when next_step_then.was_empty is not null then not next_step_then.was_empty
                when open_deal_periods.is_closed then null
                else coalesce(trim(open_deal_periods.next_step), '') <> ''
            end,
            true
        ) as is_complete
    from open_deal_periods
    left join field_spans as amount_then
        on amount_then.deal_id = open_deal_periods.deal_id
        and amount_then.field_key = 'amount'
        and open_deal_periods.period_index
        between amount_then.first_period and amount_then.last_period
    left join field_spans as close_date_then
        on close_date_then.deal_id = open_deal_periods.deal_id
        and close_date_then.field_key = 'close_date'
        and open_deal_periods.period_index
        between close_date_then.first_period and close_date_then.last_period
    left join field_spans as stage_then
        on stage_then.deal_id = open_deal_periods.deal_id
        and stage_then.field_key = 'stage'
        and open_deal_periods.period_index
        between stage_then.first_period and stage_then.last_period
    left join field_spans as next_step_then
        on next_step_then.deal_id = open_deal_periods.deal_id
        and next_step_then.field_key = 'next_step'
        and open_deal_periods.period_index
        between next_step_then.first_period and next_step_then.last_period
    left join planned_next_steps
        on planned_next_steps.deal_id = open_deal_periods.deal_id
        and planned_next_steps.period_index = open_deal_periods.period_index
),

period_completeness as (
    select
        rep_id,
        period_index,
        avg(case when is_complete then 1.0 else 0.0 end)::double as completeness
    from open_deal_checks
    group by rep_id, period_index
),

entered_records as (
    -- every deal and activity entered in a period, for the logging lag and the proxy share.
    -- One scan of the activities and one grouping serve both measures (with a scan and a
    -- grouping each, they cost about half a second more).
    select
        rep_id,
        period_of(created_day, $as_of::date, $period_days, $history_periods) as period_index,
        false as has_lag,
        null::bigint as lag_days,
        $deal_creators as counts_for_proxy,
        created_by_rep_id
    from deal_entries
    union all
    select
        rep_id,
        period_index,
        -- only with entry times apart from occurrence times ($entry_times); an activity entered
        -- before it happened has no logging lag (it was planned) and is left out
        $entry_times and occurred_day <= created_day,
        created_day - occurred_day,
        $activity_creators,
        created_by_rep_id
    from activity_entries
),

lag_counts as (
    -- how many records of each rep and period have each lag (NULL: no lag), and how many of
    -- them count for the proxy share and were entered by someone else: a count per lag is
    -- several times cheaper than collecting millions of lags for median()
    select
        rep_id,
        period_index,
        case when has_lag then lag_days end as lag_days,
        count(*) filter (where has_lag) as lagged,
        count(*) filter (where counts_for_proxy) as proxy_records,
        count(*) filter (
            where counts_for_proxy and created_by_rep_id is not null
            and created_by_rep_id <> rep_id
        ) as by_others
    from entered_records
    where period_index is not null
    group by all
),

lag_ranks as (
    -- where each lag stands among its rep and period's sorted lags: at positions
    -- last - lagged to last - 1 (from 0), of lags in all
    select
        *,
        sum(lagged) over (
            partition by rep_id, period_index order by lag_days
            rows between unbounded preceding and current row
        ) as last,
        sum(lagged) over (partition by rep_id, period_index) as lags
    from lag_counts
),

period_lag_proxy as (
    -- median lag as median() gives it: the mean of the lags at the two middle positions
    -- ((n - 1) // 2 and n // 2, the same one for odd n); NULL without lags.
    -- proxy share: only tables whose export says who created each record count
    -- ($deal_creators, $activity_creators); without either, it is unknown (NULL), not zero
    select
        rep_id,
        period_index,
        (min(lag_days) filter (where last - lagged <= (lags - 1) // 2 and (lags - 1) // 2 < last)
        + min(lag_days) filter (where last - lagged <= lags // 2 and lags // 2 < last)) / 2
            as median_lag_days,
        (sum(by_others) / nullif(sum(proxy_records), 0))::double as proxy_share
    from lag_ranks
    group by rep_id, period_index
),

period_measures as (
    select
        period_activity.rep_id,
        period_activity.period_index,
        periods.period_start,
        periods.period_end,
        period_activity.workdays,
        period_activity.active_days,
        period_activity.active_days / period_activity.workdays::double as active_day_share,
        period_lag_proxy.median_lag_days::double as median_lag_days,
        period_completeness.completeness,
        period_lag_proxy.proxy_share
    from period_activity
    inner join periods on periods.period_index = period_activity.period_index
    left join period_completeness
        on period_completeness.rep_id = period_activity.rep_id
        and period_completeness.period_index = period_activity.period_index
    left join period_lag_proxy
        on period_lag_proxy.rep_id = period_activity.rep_id
        and period_lag_proxy.period_index = period_activity.period_index
),

period_tiers as (
    select
        *,
        case
            when active_day_share <= $none_max_active_share then 'none'
            when active_day_share >= $grade_a_min_active_share
                and coalesce(median_lag_days <= $grade_a_max_lag_days, true)
                and coalesce(completeness >= $grade_a_min_completeness, true)
                and coalesce(proxy_share <= $grade_a_max_proxy_share, true) then 'grade_a'
            when active_day_share >= $moderate_min_active_share
                and coalesce(median_lag_days <= $moderate_max_lag_days, true)
                and coalesce(completeness >= $moderate_min_completeness, true)
                and coalesce(proxy_share <= $moderate_max_proxy_share, true) then 'moderate'
            else 'ineffective'
        end as tier
    from period_measures
),

rep_tiers as (
    select
        *,
        case tier when 'none' then 0 when 'ineffective' then 1 when 'moderate' then 2 else 3 end
            as tier_rank
    from period_tiers
),

final as (
    select * from rep_tiers
)

select * from final
