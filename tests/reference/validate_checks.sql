-- The plain definition of queries/_validate_checks.sql (every check computed here, links
-- by NOT IN / NOT EXISTS, duplicates by grouping) that tests/test_fast_checks.py compares
-- the fast query with. Not shipped.
-- Data-quality checks over the canonical tables: one row per check that found a problem.
-- check_name: which check (generator/validate.py words the message and the fix)
-- severity: error (impossible data), warning (suspicious or unusable rows), info (worth knowing)
-- table_name: the canonical table checked; problem_rows: how many rows failed;
-- example: one offending value (an ID or timestamp), for the terminal report only
with
has_accounts as (
    select count(*) > 0 as loaded from accounts
),

known as (
    select 'deal' as kind, deal_id as id from deals where deal_id is not null
    union all select 'account', account_id from accounts where account_id is not null
    union all select 'rep', rep_id from reps where rep_id is not null
),

-- activities are most of an export's rows: every check on them is one aggregate of one scan
-- (each problem's count and example), unpivoted into check rows below
activity_rows as (
    select a.*,
        a.deal_id is not null and a.deal_id not in (
            select id from known where kind = 'deal') as unknown_deal,
        a.account_id is not null and (select loaded from has_accounts) and a.account_id not in (
            select id from known where kind = 'account') as unknown_account,
        a.owner_rep_id is not null and a.owner_rep_id not in (
            select id from known where kind = 'rep') as unknown_owner,
        a.created_at < timestamp '2000-01-01' or a.occurred_at < timestamp '2000-01-01'
            as before_2000
    from activities a
),

activity_facts as materialized (
    select
        count(*) filter (where unknown_deal) as unknown_deal,
        min(deal_id) filter (where unknown_deal) as unknown_deal_example,
        count(*) filter (where unknown_account) as unknown_account,
        min(account_id) filter (where unknown_account) as unknown_account_example,
        count(*) filter (where unknown_owner) as unknown_owner,
        min(owner_rep_id) filter (where unknown_owner) as unknown_owner_example,
        count(*) filter (where owner_rep_id is null) as missing_owner,
        min(activity_id) filter (where owner_rep_id is null) as missing_owner_example,
        count(*) filter (where occurred_at is null or created_at is null) as missing_dates,
        min(activity_id) filter (where occurred_at is null or created_at is null)
            as missing_dates_example,
        count(*) filter (where created_at::date > $as_of::date
                         and created_at::date <= $today::date) as after_as_of,
        max(created_at) filter (where created_at::date > $as_of::date
                                and created_at::date <= $today::date) as after_as_of_example,
        count(*) filter (where created_at::date > $today::date) as future,
        max(created_at) filter (where created_at::date > $today::date) as future_example,
        count(*) filter (where before_2000) as before_2000,
        least(min(created_at) filter (where before_2000),
              min(occurred_at) filter (where before_2000)) as before_2000_example,
        count(*) filter (where occurred_at::date > $as_of::date) as happens_after_as_of,
        max(occurred_at) filter (where occurred_at::date > $as_of::date)
            as happens_after_as_of_example,
        count(*) filter (where occurred_at::date > created_at::date) as entered_before,
        min(activity_id) filter (where occurred_at::date > created_at::date)
            as entered_before_example
    from activity_rows
),

checks as (
    select 'deal_missing_id' as check_name, 'warning' as severity, 'deals' as table_name,
        count(*) as problem_rows, null::varchar as example
    from deals where deal_id is null
    union all
    select 'deal_missing_owner', 'warning', 'deals', count(*), min(deal_id)
    from deals where owner_rep_id is null
    union all
    select 'deal_unknown_owner', 'warning', 'deals', count(*), min(owner_rep_id)
    from deals d
    where owner_rep_id is not null
        and not exists (select 1 from known k where k.kind = 'rep' and k.id = d.owner_rep_id)
    union all
    select 'deal_unknown_account', 'warning', 'deals', count(*), min(account_id)
    from deals d
    where account_id is not null and (select loaded from has_accounts)
        and not exists (select 1 from known k where k.kind = 'account' and k.id = d.account_id)
    union all
    select 'activity_unknown_deal', 'warning', 'activities', unknown_deal,
        unknown_deal_example from activity_facts
    union all
    select 'activity_unknown_account', 'warning', 'activities', unknown_account,
        unknown_account_example from activity_facts
    union all
    select 'activity_unknown_owner', 'warning', 'activities', unknown_owner,
        unknown_owner_example from activity_facts
    union all
    select 'activity_missing_owner', 'warning', 'activities', missing_owner,
        missing_owner_example from activity_facts
    union all
    select 'activity_missing_dates', 'warning', 'activities', missing_dates,
        missing_dates_example from activity_facts
    union all
    select 'created_after_as_of', 'error', 'activities', after_as_of,
        after_as_of_example::varchar from activity_facts
    union all
    select 'future_dated', 'error', 'activities', future, future_example::varchar
    from activity_facts
    union all
    select 'created_before_2000', 'error', 'activities', before_2000,
        before_2000_example::varchar from activity_facts
    union all
    select 'activity_after_as_of', 'info', 'activities', happens_after_as_of,
        happens_after_as_of_example::varchar from activity_facts
    union all
    select 'entered_before_it_happened', 'info', 'activities', entered_before,
        entered_before_example from activity_facts
    union all
    select 'history_unknown_deal', 'info', 'field_history', count(*), min(record_id)
    from field_history h
    where object = 'deal'
        and not exists (select 1 from known k where k.kind = 'deal' and k.id = h.record_id)
    union all
    select 'deal_missing_created', 'warning', 'deals', count(*), min(deal_id)
    from deals where created_at is null
    union all
    select 'created_after_as_of', 'error', 'deals', count(*), max(created_at)::varchar
    from deals where created_at::date > $as_of::date and created_at::date <= $today::date
    union all
    select 'created_after_as_of', 'error', 'accounts', count(*), max(created_at)::varchar
    from accounts where created_at::date > $as_of::date and created_at::date <= $today::date
    union all
    select 'created_after_as_of', 'error', 'logins', count(*), max(login_at)::varchar
    from logins where login_at::date > $as_of::date and login_at::date <= $today::date
    union all
    select 'created_after_as_of', 'error', 'field_history', count(*), max(changed_at)::varchar
    from field_history where changed_at::date > $as_of::date and changed_at::date <= $today::date
    union all
    select 'future_dated', 'error', 'deals', count(*),
        greatest(max(created_at), max(last_modified_at), max(close_date))::varchar
    from deals
    where created_at::date > $today::date or last_modified_at::date > $today::date
        or (is_closed and close_date > $today::date)
    union all
    select 'future_dated', 'error', 'planned_activities', count(*), max(created_at)::varchar
    from planned_activities where created_at::date > $today::date
    union all
    select 'future_dated', 'error', 'accounts', count(*), max(created_at)::varchar
    from accounts where created_at::date > $today::date
    union all
    select 'future_dated', 'error', 'logins', count(*), max(login_at)::varchar
    from logins where login_at::date > $today::date
    union all
    select 'future_dated', 'error', 'field_history', count(*), max(changed_at)::varchar
    from field_history where changed_at::date > $today::date
    union all
    select 'created_before_2000', 'error', 'deals', count(*), min(created_at)::varchar
    from deals where created_at < timestamp '2000-01-01'
    union all
    select 'created_before_2000', 'error', 'accounts', count(*), min(created_at)::varchar
    from accounts where created_at < timestamp '2000-01-01'
    union all
    select 'won_not_closed', 'error', 'deals', count(*), min(deal_id)
    from deals where is_won and not coalesce(is_closed, false)
    union all
    select 'closed_without_close_date', 'warning', 'deals', count(*), min(deal_id)
    from deals where is_closed and close_date is null
    union all
    select 'closed_before_created', 'warning', 'deals', count(*), min(deal_id)
    from deals where close_date < created_at::date
    union all
    select 'negative_amount', 'warning', 'deals', count(*), min(deal_id)
    from deals where amount < 0
    union all
    select 'duplicate_rows', 'info', 'logins', coalesce(sum(copies - 1), 0), min(rep_id)
    from (select rep_id, login_at, count(*) as copies from logins group by all having count(*) > 1)
    union all
    select 'duplicate_rows', 'info', 'field_history', coalesce(sum(copies - 1), 0),
        min(record_id)
    from (select *, count(*) as copies from field_history group by all having count(*) > 1)
),

final as (
    select * from checks where problem_rows > 0
)

select * from final
order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, check_name,
    table_name
