-- What the export holds, counted once per build: the facts that decide which measures it can
-- support (generator/metrics/capabilities.py reads this one row), and the links between tables
-- that validate reports (queries/_validate_checks.sql reads them as bound parameters).
-- *_rows: rows per canonical table (reps: measured reps only)
-- deals_with_<column>: deals with a value in that column; closed_deals: deals with is_closed;
-- currencies: distinct deal currencies
-- deal_creators, activity_creators: records that say who created them
-- entry_times: activities whose entry time (created_at) differs from when they happened
-- entry_clock_times: deals and activities entered at a time of day (created_at not exactly
--   midnight): an export of entry dates only cannot tell a daily window
-- deal_links: activities on a deal that is in the export
-- account_links: activities on an account that is in the export and has an owner, directly
--   (their account_id) or, without one, through their deal
-- deal_edits: field-history rows on deals in the export that say who made them
-- owner_changes: field-history rows on deals in the export that change the owner
-- deal_unknown_accounts, activity_unknown_accounts: deals / activities whose account_id is not
--   in accounts; activity_unknown_deals: activities whose deal_id is not in deals;
--   history_unknown_deals: field-history rows of object 'deal' whose record_id is not in deals;
--   each with *_example: the smallest such ID (NULL when none)
-- Needs: every canonical table (empty when the export lacks it); the IDs of accounts
-- and deals are unique (ingest checks them), so each link is one hash join per table: a
-- single pass over activities joins deals and accounts once for all of the link facts.
with
account_keys as materialized (
    select account_id, owner_rep_id is not null as owned
    from accounts
    where account_id is not null
),

deal_keys as materialized (
    select deals.deal_id, coalesce(account_keys.owned, false) as account_owned
    from deals
    left join account_keys on account_keys.account_id = deals.account_id
    where deals.deal_id is not null
),

deal_facts as (
    select
        count(*) as deals_rows,
        count(*) filter (where d.is_closed) as closed_deals,
        count(d.owner_rep_id) as deals_with_owner_rep_id,
        count(d.created_at) as deals_with_created_at,
        count(d.close_date) as deals_with_close_date,
        count(d.amount) as deals_with_amount,
        count(d.next_step) as deals_with_next_step,
        count(distinct d.currency) as currencies,
        count(d.created_by_rep_id) as deal_creators,
        count(*) filter (where cast(d.created_at as time) <> time '00:00:00')
            as deal_clock_times,
        count(*) filter (where d.account_id is not null and k.account_id is null)
            as deal_unknown_accounts,
        min(d.account_id) filter (where d.account_id is not null and k.account_id is null)
            as deal_unknown_account_example
    from deals d
    left join account_keys k on k.account_id = d.account_id
),

activity_facts as (
    select
        count(*) as activities_rows,
        count(a.created_by_rep_id) as activity_creators,
        count(*) filter (where a.occurred_at is not null
                         and a.created_at is distinct from a.occurred_at) as entry_times,
        count(*) filter (where cast(a.created_at as time) <> time '00:00:00')
            as activity_clock_times,
        count(d.deal_id) as deal_links,
        count(*) filter (where coalesce(k.owned, a.account_id is null and d.account_owned))
            as account_links,
        count(*) filter (where a.deal_id is not null and d.deal_id is null)
            as activity_unknown_deals,
        min(a.deal_id) filter (where a.deal_id is not null and d.deal_id is null)
            as activity_unknown_deal_example,
        count(*) filter (where a.account_id is not null and k.account_id is null)
            as activity_unknown_accounts,
        min(a.account_id) filter (where a.account_id is not null and k.account_id is null)
            as activity_unknown_account_example
    from activities a
    left join deal_keys d on d.deal_id = a.deal_id
    left join account_keys k on k.account_id = a.account_id
),

history_facts as (
    select
        count(*) as field_history_rows,
        count(*) filter (where d.deal_id is not null and h.changed_by_rep_id is not null
                         and lower(h.field) not in ('owner', 'ownerid', 'owner_rep_id'))
            as deal_edits,
        count(*) filter (where d.deal_id is not null
                         and lower(h.field) in ('owner', 'ownerid', 'owner_rep_id'))
            as owner_changes,
        count(*) filter (where h.object = 'deal' and d.deal_id is null)
            as history_unknown_deals,
        min(h.record_id) filter (where h.object = 'deal' and d.deal_id is null)
            as history_unknown_deal_example
    from field_history h
    left join deal_keys d on d.deal_id = h.record_id
),

final as (
    select
        (select count(*) from reps where is_rep) as reps_rows,
        (select count(*) from accounts) as accounts_rows,
        (select count(*) from planned_activities) as planned_activities_rows,
        (select count(*) from logins) as logins_rows,
        deal_facts.* exclude (deal_clock_times),
        activity_facts.* exclude (activity_clock_times),
        history_facts.*,
        deal_clock_times + activity_clock_times as entry_clock_times
    from deal_facts, activity_facts, history_facts
)

select * from final
