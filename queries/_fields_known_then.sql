-- Fragment: what was known about each deal at each period's end ("as known then"), as CTEs for
-- the `with` list of _tier_rules.sql (after its `periods` and `activity_entries`). Defines:
-- planned_next_steps: deal_id, period_index, one row for each period whose end falls on or
--   after the day a planned activity on the deal was entered (an open task from
--   `planned_activities`, or any activity entered before the day it is dated: a booked call or
--   meeting) and before that date
-- fields_then: deal_id, period_index, amount_was_empty, close_date_was_empty, stage_was_empty,
--   next_step_was_empty: each field's value at the period's end by field history (the old
--   value of its first change after that end); NULL where the history shows no later change,
--   so the current value is what it held then. History fields are matched by name ignoring
--   case and punctuation: Amount, CloseDate, StageName or Stage or DealStage, NextStep.
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

field_periods as (
    select
        deal_id,
        field_key,
        was_empty,
        unnest(range(
            ($as_of::date - changed_day) // $period_days + 1,
            case
                when previous_day is null then $history_periods
                else least($history_periods - 1,
                           ($as_of::date - previous_day) // $period_days) + 1
            end
        )) as period_index
    from first_changes_after
),

fields_then as (
    select
        deal_id,
        period_index,
        bool_or(was_empty) filter (where field_key = 'amount') as amount_was_empty,
        bool_or(was_empty) filter (where field_key = 'close_date') as close_date_was_empty,
        bool_or(was_empty) filter (where field_key = 'stage') as stage_was_empty,
        bool_or(was_empty) filter (where field_key = 'next_step') as next_step_was_empty
    from field_periods
    group by deal_id, period_index
),

