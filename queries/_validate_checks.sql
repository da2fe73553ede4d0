-- Data-quality checks over the canonical tables: one row per check that found a problem.
-- check_name: which check (generator/validate/checks.py words the message and the fix)
-- severity: error (impossible data), warning (suspicious or unusable rows), info (worth knowing)
-- table_name: the canonical table checked; problem_rows: how many rows failed;
-- example: one offending value (an ID or timestamp), for the terminal report only
-- Needs: every canonical table (empty when the export lacks it); $as_of, $today; and the link
-- facts queries/_capabilities.sql counts once per build ($accounts_rows,
-- $deal_unknown_accounts, $activity_unknown_deals, $activity_unknown_accounts,
-- $history_unknown_deals, each with its $..._example): a join of the 10M activities with
-- deals is not repeated here.
-- Each check is its own filtered scan, so DuckDB skips the row groups whose min/max rule the
-- problem out (a clean export reads little); exact duplicates are grouped only when a hash
-- per row says there can be some (equal rows hash alike, so fewer distinct hashes than rows
-- is the only way to have duplicates).
with
-- rows beyond the distinct row hashes: 0 proves a table holds no exact duplicates
login_hashes as materialized (
    select count(*) - count(distinct hash(l.rep_id, l.login_at)) as extra from logins l
),

history_hashes as materialized (
    select count(*) - count(distinct hash(h)) as extra from field_history h
),

-- activities entered on an earlier day than they happened, counted from the two timestamps
-- alone: the example reads every activity ID, so it is looked for only when there is one
-- (a hash semi join on the condition whose one-row build side is empty when n = 0: DuckDB
-- then stops the scan at once)
entered_early as materialized (
    select count(*) as n from activities where occurred_at::date > created_at::date
),

checks as (
    select 'deal_missing_id' as check_name, 'warning' as severity, 'deals' as table_name,
        count(*) as problem_rows, null::varchar as example
    from deals where deal_id is null
    union all
    select 'deal_missing_owner', 'warning', 'deals', count(*), min(deal_id)
    from deals where owner_rep_id is null
    union all
    select 'deal_unknown_owner', 'warning', 'deals', count(*), min(d.owner_rep_id)
    from deals d
    anti join reps r on r.rep_id = d.owner_rep_id
    where d.owner_rep_id is not null
    union all
    select 'deal_unknown_account', 'warning', 'deals', $deal_unknown_accounts,
        $deal_unknown_account_example::varchar
    where $accounts_rows > 0
    union all
    select 'activity_unknown_deal', 'warning', 'activities', $activity_unknown_deals,
        $activity_unknown_deal_example::varchar
    union all
    select 'activity_unknown_account', 'warning', 'activities', $activity_unknown_accounts,
        $activity_unknown_account_example::varchar
    where $accounts_rows > 0
    union all
    select 'activity_unknown_owner', 'warning', 'activities', count(*), min(a.owner_rep_id)
    from activities a
    anti join reps r on r.rep_id = a.owner_rep_id
    where a.owner_rep_id is not null
    union all
    select 'activity_missing_owner', 'warning', 'activities', count(*), min(activity_id)
    from activities where owner_rep_id is null
    union all
    select 'activity_missing_dates', 'warning', 'activities', count(*), min(activity_id)
    from activities where occurred_at is null or created_at is null
    union all
    select 'created_after_as_of', 'error', 'activities', count(*), max(created_at)::varchar
    from activities where created_at::date > $as_of::date and created_at::date <= $today::date
    union all
    select 'future_dated', 'error', 'activities', count(*), max(created_at)::varchar
    from activities where created_at::date > $today::date
    union all
    select 'created_before_2000', 'error', 'activities', count(*),
        least(min(created_at), min(occurred_at))::varchar
    from activities
    where created_at < timestamp '2000-01-01' or occurred_at < timestamp '2000-01-01'
    union all
    select 'activity_after_as_of', 'info', 'activities', count(*), max(occurred_at)::varchar
    from activities where occurred_at::date > $as_of::date
    union all
    select 'entered_before_it_happened', 'info', 'activities', (select n from entered_early),
        (select min(a.activity_id) from activities a
         semi join (select true as early from entered_early where n > 0) e
             on e.early = (a.occurred_at::date > a.created_at::date))
    union all
    select 'history_unknown_deal', 'info', 'field_history', $history_unknown_deals,
        $history_unknown_deal_example::varchar
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
    from (select rep_id, login_at, count(*) as copies from logins
          where (select extra from login_hashes) > 0
          group by all having count(*) > 1)
    union all
    select 'duplicate_rows', 'info', 'field_history', coalesce(sum(copies - 1), 0),
        min(record_id)
    from (select *, count(*) as copies from field_history
          where (select extra from history_hashes) > 0
          group by all having count(*) > 1)
),

final as (
    select * from checks where problem_rows > 0
)

select * from final
order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, check_name,
    table_name
