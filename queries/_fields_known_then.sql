-- Fragment: what was known about each deal at each period's end ("as known then"), as CTEs for
-- the `with` list of _tier_rules.sql (after its `periods` and `activity_entries`). Defines:
-- planned_next_steps: deal_id, period_index, one row for each period whose end falls on or
--   after the day a planned activity on the deal was entered (an open task from
--   `planned_activities`, or any activity entered before the day it is dated: a booked call or
--   meeting) and before that date
-- field_spans: deal_id, field_key ('amount', 'close_date', 'stage', 'next_step'), was_empty,
--   first_period, last_period: a field's value at the end of each period from first_period to
--   last_period by field history (empty or not: the old value of its first change after that
--   end). A period without a span shows no later change, so the current value is what the
--   field held then. History fields are matched by name ignoring case and punctuation:
--   Amount, CloseDate, StageName or Stage or DealStage, NextStep.
booked_entries as (
    -- activities entered before the day they are dated (booked calls and meetings, logged since
    -- or still open); an open task in the export was entered by $as_of at the latest
    select deal_id, created_day, occurred_day
    from activity_entries
    where deal_id is not null and occurred_day > created_day and created_day <= $as_of::date
    union all
    select
        deal_id,
        least(local_day(created_at, $tz), $as_of::date) as created_day,
        occurred_day(occurred_at, $tz) as occurred_day
    from planned_activities
    where deal_id is not null
),

planned_next_steps as (
    -- period i ends on as_of - i * period_days: on or after the entry, before the date
    select distinct
        deal_id,
        unnest(range(
            case
                when occurred_day > $as_of::date then 0
                else ($as_of::date - occurred_day) // $period_days + 1
            end,
            least($history_periods - 1, ($as_of::date - created_day) // $period_days) + 1
        )) as period_index
    from booked_entries
    where occurred_day > created_day
),

deal_field_changes as (
    select
        record_id as deal_id,
        case lower(regexp_replace(field, '[^A-Za-z]', '', 'g'))
            when 'amount' then 'amount'
            when 'closedate' then 'close_date'
            when 'stagename' then 'stage'
            when 'stage' then 'stage'
            when 'dealstage' then 'stage'
            when 'nextstep' then 'next_step'
        end as field_key,
        changed_at,
        local_day(changed_at, $tz) as changed_day,
        coalesce(trim(old_value), '') = '' as was_empty
    from field_history
    where coalesce(object, 'deal') = 'deal' and record_id is not null and changed_at is not null
),

first_changes_after as (
    -- a change is the first after every period end on or after the day of the change before
    -- it (any end, for the first change) and before its own day
    select
        deal_id,
        field_key,
        was_empty,
        changed_day,
        lag(changed_day) over (
            partition by deal_id, field_key order by changed_at, changed_day
        ) as previous_day
    from deal_field_changes
    where field_key is not null and changed_day <= $as_of::date
),

field_spans as (
    -- the periods (first_period to last_period) whose end this change is the first after.
    -- A deal's spans for one field never overlap, so each period joins at most one of them:
    -- joining by range is about a second faster than unnesting every period and grouping
    -- them back into one row per deal and period.
    select
        deal_id,
        field_key,
        was_empty,
        ($as_of::date - changed_day) // $period_days + 1 as first_period,
        case
            when previous_day is null then $history_periods - 1
            else least($history_periods - 1, ($as_of::date - previous_day) // $period_days)
        end as last_period
    from first_changes_after
),
