-- Share of each rep's open deals that carry amount, close date, stage and a next step, as of $as_of.
-- needs: deals.owner_rep_id
-- rep_id: the rep (every reps.is_rep person, also without deals)
-- open_deals: deals the rep owns that were created by $as_of (day in $tz; or with no created
--   date) and were open on it:
--   not closed, or closed with a close_date after $as_of
-- complete_deals: open deals with all four required fields
-- completeness: complete_deals / open_deals; NULL without open deals
-- missing_amount: open deals without an amount
-- missing_close_date: open deals without a close date
-- missing_stage: open deals with an empty stage
-- missing_next_step: open deals with an empty next_step and no activity on the deal, logged or
--   planned (entered by $as_of), occurring after $as_of
-- requires: _day_macros
with
team as (
    select rep_id from reps where is_rep
),

next_activities as (
    -- logged or planned (open tasks are next steps)
    select distinct deal_id
    from (
        select deal_id, created_at, occurred_at from activities
        union all
        select deal_id, created_at, occurred_at from planned_activities
    )
    where deal_id is not null
        and local_day(created_at, $tz) <= $as_of::date
        and occurred_day(occurred_at, $tz) > $as_of::date
),

open_deals as (
    select
        deals.owner_rep_id as rep_id,
        deals.amount is null as no_amount,
        deals.close_date is null as no_close_date,
        coalesce(trim(deals.stage), '') = '' as no_stage,
        coalesce(trim(deals.next_step), '') = '' and next_activities.deal_id is null
            as no_next_step
    from deals
    left join next_activities on next_activities.deal_id = deals.deal_id
    where (deals.created_at is null or local_day(deals.created_at, $tz) <= $as_of::date)
        and (not coalesce(deals.is_closed, false) or deals.close_date > $as_of::date)
),

rep_counts as (
    select
        rep_id,
        count(*) as open_deals,
        count(*) filter (where not (no_amount or no_close_date or no_stage or no_next_step))
            as complete_deals,
        count(*) filter (where no_amount) as missing_amount,
        count(*) filter (where no_close_date) as missing_close_date,
        count(*) filter (where no_stage) as missing_stage,
        count(*) filter (where no_next_step) as missing_next_step
    from open_deals
    group by rep_id
),

final as (
    select
        team.rep_id,
        coalesce(rep_counts.open_deals, 0) as open_deals,
        coalesce(rep_counts.complete_deals, 0) as complete_deals,
        rep_counts.complete_deals / nullif(rep_counts.open_deals, 0)::double as completeness,
        coalesce(rep_counts.missing_amount, 0) as missing_amount,
        coalesce(rep_counts.missing_close_date, 0) as missing_close_date,
        coalesce(rep_counts.missing_stage, 0) as missing_stage,
        coalesce(rep_counts.missing_next_step, 0) as missing_next_step
    from team
    left join rep_counts on rep_counts.rep_id = team.rep_id
)

select * from final
order by rep_id
