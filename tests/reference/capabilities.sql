-- The plain definition of queries/_capabilities.sql (one subquery per fact, every link an
-- EXISTS) that tests/test_fast_checks.py compares the one-pass query with. Not shipped.
-- What the export holds, counted once per build: the facts that decide which measures it can
-- support (generator/metrics/capabilities.py reads this one row).
-- *_rows: rows per canonical table (reps: measured reps only)
-- deals_with_<column>: deals with a value in that column; closed_deals: deals with is_closed;
-- currencies: distinct deal currencies
-- deal_creators, activity_creators: records that say who created them
-- entry_times: activities whose entry time (created_at) differs from when they happened
-- entry_clock_times: deals and activities entered at a time of day (created_at not exactly
--   midnight): an export of entry dates only cannot tell a daily window
-- deal_links: activities on a deal that is in the export
-- account_links: activities on an account that is in the export and has an owner, directly
--   or through their deal
-- deal_edits: field-history rows on deals in the export that say who made them
-- owner_changes: field-history rows on deals that change the owner
with
final as (
    select
        (select count(*) from reps where is_rep) as reps_rows,
        (select count(*) from accounts) as accounts_rows,
        (select count(*) from deals) as deals_rows,
        (select count(*) from activities) as activities_rows,
        (select count(*) from planned_activities) as planned_activities_rows,
        (select count(*) from logins) as logins_rows,
        (select count(*) from field_history) as field_history_rows,
        (select count(*) from deals where is_closed) as closed_deals,
        (select count(owner_rep_id) from deals) as deals_with_owner_rep_id,
        (select count(created_at) from deals) as deals_with_created_at,
        (select count(close_date) from deals) as deals_with_close_date,
        (select count(amount) from deals) as deals_with_amount,
        (select count(next_step) from deals) as deals_with_next_step,
        (select count(distinct currency) from deals) as currencies,
        (select count(created_by_rep_id) from deals) as deal_creators,
        (select count(created_by_rep_id) from activities) as activity_creators,
        (select count(*) from activities
         where occurred_at is not null and created_at is distinct from occurred_at) as entry_times,
        (select count(*) from deals where cast(created_at as time) <> time '00:00:00')
            + (select count(*) from activities where cast(created_at as time) <> time '00:00:00')
            as entry_clock_times,
        (select count(*) from activities semi join deals on deals.deal_id = activities.deal_id)
            as deal_links,
        (select count(*)
         from activities
         left join deals on deals.deal_id = activities.deal_id
         semi join accounts
             on accounts.account_id = coalesce(activities.account_id, deals.account_id)
             and accounts.owner_rep_id is not null) as account_links,
        (select count(*) from field_history
         semi join deals on deals.deal_id = field_history.record_id
         where field_history.changed_by_rep_id is not null
             and lower(field_history.field) not in ('owner', 'ownerid', 'owner_rep_id'))
            as deal_edits,
        (select count(*) from field_history
         semi join deals on deals.deal_id = field_history.record_id
         where lower(field_history.field) in ('owner', 'ownerid', 'owner_rep_id'))
            as owner_changes,
        (select count(*) from deals d where account_id is not null
         and not exists (select 1 from accounts k where k.account_id = d.account_id))
            as deal_unknown_accounts,
        (select min(account_id) from deals d where account_id is not null
         and not exists (select 1 from accounts k where k.account_id = d.account_id))
            as deal_unknown_account_example,
        (select count(*) from activities a where deal_id is not null
         and not exists (select 1 from deals d where d.deal_id = a.deal_id))
            as activity_unknown_deals,
        (select min(deal_id) from activities a where deal_id is not null
         and not exists (select 1 from deals d where d.deal_id = a.deal_id))
            as activity_unknown_deal_example,
        (select count(*) from activities a where account_id is not null
         and not exists (select 1 from accounts k where k.account_id = a.account_id))
            as activity_unknown_accounts,
        (select min(account_id) from activities a where account_id is not null
         and not exists (select 1 from accounts k where k.account_id = a.account_id))
            as activity_unknown_account_example,
        (select count(*) from field_history h where object = 'deal'
         and not exists (select 1 from deals d where d.deal_id = h.record_id))
            as history_unknown_deals,
        (select min(record_id) from field_history h where object = 'deal'
         and not exists (select 1 from deals d where d.deal_id = h.record_id))
            as history_unknown_deal_example
)

select * from final
