"""A fast, large synthetic Salesforce export, generated directly in DuckDB SQL.

`generator/sample/` simulates every rep-day in Python and keeps all rows in memory:
right for the 20-rep demo, far too slow for 10M activities. This writes the same files,
headers and value formats (Data Loader CSV, every value quoted, `…T…000Z` datetimes,
ISO dates, `true/false`) with `COPY (select … from range(n)) TO 'Task.csv'`, so the real
ingest path is exercised. Randomness is a stateless integer hash of (row, salt, seed):
the same sizes and seed always give the same bytes, whatever the thread count.

Behaviour is simpler than the demo but keeps what the metrics need: each rep has a
latent diligence that sets how often they log the same day (versus days late, or via an
assistant), how complete their deals are, and (noisily) how often they win.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from generator.sample import END_DATE, HEADERS, TEAMS

_MASK = 4294967296  # 2**32


@dataclass(frozen=True)
class Scale:
    reps: int
    activities: int
    deals: int
    accounts: int
    months: int


SCALES = {
    "small": Scale(reps=50, activities=200_000, deals=20_000, accounts=5_000, months=12),
    "medium": Scale(reps=250, activities=2_500_000, deals=250_000, accounts=25_000, months=24),
    "large": Scale(reps=1_000, activities=10_000_000, deals=1_000_000, accounts=100_000,
                   months=24),
    "xlarge": Scale(reps=5_000, activities=50_000_000, deals=5_000_000, accounts=500_000,
                    months=24),
}

_MACROS = f"""
create or replace macro _mix(x) as (xor(x, x >> 16) * 73244475) % {_MASK};
create or replace macro u(n, salt) as
    _mix(_mix(_mix((n * 40503 + salt * 9973 + getvariable('seed') * 7919) % {_MASK})))
    / {_MASK}::double;
create or replace macro sfid(prefix, n) as prefix || '5g' || lpad(n::varchar, 10, '0') || 'AAX';
create or replace macro sfts(t) as strftime(t, '%Y-%m-%dT%H:%M:%S.000Z');
create or replace macro workday(d) as
    case dayofweek(d) when 6 then d - 1 when 0 then d - 2 else d end;
"""

_FIRST = ["Ava", "Ben", "Chloé", "Diego", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas",
          "Kara", "Liam", "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara"]
_LAST = ["Okafor", "Lindqvist", "Moreau", "García", "O'Brien", "Nakamura", "Schmidt", "Patel",
         "Kowalski", "Haddad", "Novak", "Rossi", "Jensen", "Mensah", "Silva", "Dubois"]
_STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote",
           "Negotiation/Review"]


def _list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _copy(con: duckdb.DuckDBPyConnection, folder: Path, name: str, select: str) -> int:
    path = folder / f"{name}.csv"
    columns = ", ".join(f'"{h}"' for h in HEADERS[name])
    return con.execute(f"copy (select {columns} from ({select})) to '{path}' "
                       f"(header, delimiter ',', quote '\"', force_quote *, new_line '\\n')"
                       ).fetchall()[0][0]


def generate_fast(folder: Path, scale: Scale, seed: int = 42) -> dict[str, int]:
    """Write User/Account/Opportunity/Task/Event/LoginHistory/OpportunityFieldHistory CSVs."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    end = END_DATE
    start = end - dt.timedelta(days=round(scale.months * 30.44))
    span = (end - start).days
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    con.execute(f"set variable seed = {int(seed)}")
    con.execute(_MACROS)
    con.execute(f"set variable start_day = DATE '{start}'")
    con.execute(f"set variable end_day = DATE '{end}'")
    con.execute(f"set variable cutoff = TIMESTAMP '{end} 23:59:59'")
    counts = {}
    counts["User"] = _copy(con, folder, "User", _users(scale))
    con.execute(f"create temp table reps as {_reps(scale)}")
    con.execute(f"create temp table deals as {_deals(scale, span)}")
    counts["Account"] = _copy(con, folder, "Account", _accounts(scale))
    counts["Opportunity"] = _copy(con, folder, "Opportunity", _opportunities())
    events = scale.activities // 10
    counts["Task"] = _copy(con, folder, "Task", _activities(scale, scale.activities - events,
                                                            span, event=False))
    counts["Event"] = _copy(con, folder, "Event", _activities(scale, events, span, event=True))
    counts["LoginHistory"] = _copy(con, folder, "LoginHistory", _logins(span))
    counts["OpportunityFieldHistory"] = _copy(con, folder, "OpportunityFieldHistory",
                                              _field_history())
    con.close()
    return counts


def _users(scale: Scale) -> str:
    """Managers 1-4, the assistant 5, an integration user 6, then the reps from 7."""
    teams = _list(list(TEAMS))
    return f"""
    with people as (
        select i + 1 as n, 'Morgan' as first, {teams}[i + 1] || 'lake' as last,
            'Sales Manager' as title, {teams}[i + 1] as team, '' as manager,
            'Standard' as user_type
        from range(4) t(i)
        union all select 5, 'Sam', 'Helper', 'Sales Assistant', 'Central', '', 'Standard'
        union all select 6, 'Marketing', 'Sync', 'Integration User', '', '', 'AutomatedProcess'
        union all
        select r + 7, {_list(_FIRST)}[r % {len(_FIRST)} + 1],
            {_list(_LAST)}[(r * 7) % {len(_LAST)} + 1] || '-' || (r // {len(_FIRST)} + 1),
            'Account Executive', {teams}[r % 4 + 1], sfid('005', r % 4 + 1), 'Standard'
        from range({scale.reps}) t(r)
    )
    select sfid('005', n) as "Id",
        lower(replace(first || '.' || last, '''', '')) || '@acme-sales.example' as "Username",
        first as "FirstName", last as "LastName", first || ' ' || last as "Name",
        lower(replace(first || '.' || last, '''', '')) || '@acme-sales.example' as "Email",
        title as "Title", team as "Department", manager as "ManagerId", 'true' as "IsActive",
        user_type as "UserType",
        sfts(getvariable('start_day') - 400 + interval 9 hour) as "CreatedDate"
    from people order by n
    """


def _reps(scale: Scale) -> str:
    """Per rep: diligence (chance to log the same day), late mode, base win rate."""
    return f"""
    select r, sfid('005', r + 7) as user_id,
        pow(u(r, 1), 0.8) as diligence,
        u(r, 2) < 0.12 as assisted,
        0.18 + 0.12 * u(r, 3) as skill
    from range({scale.reps}) t(r)
    """


def _deals(scale: Scale, span: int) -> str:
    return f"""
    with base as (
        select j, j % {scale.reps} as r,
            getvariable('start_day') + (u(j, 11) * {span})::int as created_day,
            7 + (-ln(1 - u(j, 12) * 0.999) * 35)::int as cycle,
            exp(ln(18000) + 0.6 * sqrt(-2 * ln(1 - u(j, 13) * 0.999))
                * cos(2 * pi() * u(j, 14))) as size
        from range({scale.deals}) t(j)
    )
    select j, b.r, sfid('006', j + 1) as deal_id, p.user_id, p.diligence,
        sfid('001', floor(u(j, 15) * {max(1, scale.accounts // scale.reps)})::bigint
             * {scale.reps} + b.r + 1) as account_id,
        workday(created_day) as created_day, created_day + cycle as close_day,
        round(size, -2) as amount,
        created_day + cycle <= getvariable('end_day') as closed,
        created_day + cycle <= getvariable('end_day')
            and u(j, 16) < p.skill + 0.10 * p.diligence as won,
        case when u(j, 17) < p.diligence then p.user_id
             when p.assisted then sfid('005', 5) else p.user_id end as creator,
        u(j, 18) as roll
    from base b join reps p using (r)
    """


def _accounts(scale: Scale) -> str:
    industries = _list(["Manufacturing", "Healthcare", "Retail", "Finance", "Education",
                        "Logistics", "Energy", "Media"])
    return f"""
    select sfid('001', k + 1) as "Id",
        {_list(_LAST)}[(k * 13) % {len(_LAST)} + 1] || ' ' || {industries}[k % 8 + 1]
            || ' Ltd ' || k as "Name",
        sfid('005', k % {scale.reps} + 7) as "OwnerId",
        case when u(k, 21) < 0.3 then sfid('005', 6) else sfid('005', k % {scale.reps} + 7)
            end as "CreatedById",
        {industries}[(k // 7) % 8 + 1] as "Industry",
        '+1 555 01' || lpad((k % 100)::varchar, 2, '0') as "Phone",
        'www.account' || k || '.example' as "Website",
        sfts(getvariable('start_day') - (1 + u(k, 22) * 300)::int
             + interval 9 hour) as "CreatedDate",
        sfts(getvariable('start_day') - 1 + interval 9 hour) as "LastModifiedDate"
    from range({scale.accounts}) t(k)
    order by k
    """


def _opportunities() -> str:
    return f"""
    select deal_id as "Id", account_id as "AccountId", user_id as "OwnerId",
        creator as "CreatedById", 'Deal ' || (j + 1) || ' renewal' as "Name",
        case when won then 'Closed Won' when closed then 'Closed Lost'
             else {_list(_STAGES)}[(roll * 5)::int % 5 + 1] end as "StageName",
        case when roll > 0.5 + 0.5 * diligence then '' else printf('%.2f', amount) end
            as "Amount",
        case when r % 4 = 3 then 'EUR' else 'USD' end as "CurrencyIsoCode",
        case when not closed and roll > 0.6 + 0.4 * diligence then ''
             else close_day::varchar end as "CloseDate",
        closed::varchar as "IsClosed", won::varchar as "IsWon",
        case when closed or roll > 0.3 + 0.7 * diligence then ''
             else 'Follow up on pricing' end as "NextStep",
        sfts(created_day + interval 10 hour + to_seconds((roll * 25000)::int))
            as "CreatedDate",
        sfts(least(close_day, getvariable('end_day')) + interval 17 hour) as "LastModifiedDate"
    from deals
    order by j
    """


def _activities(scale: Scale, count: int, span: int, event: bool) -> str:
    """Most activities sit on one of the rep's deals, within its life; the rest on accounts.

    Whether the rep logs a given day's work the same day is decided once per rep and day.
    """
    salt = 100 if event else 0
    per_rep_deals = max(1, scale.deals // scale.reps)
    per_rep_accounts = max(1, scale.accounts // scale.reps)
    pick = f"""
    with base as (
        select i, i % {scale.reps} as r, u(i, {salt + 31}) < 0.7 as on_deal,
            floor(u(i, {salt + 32}) * {per_rep_deals})::bigint * {scale.reps}
                + i % {scale.reps} as j,
            u(i, {salt + 33}) as at_roll, u(i, {salt + 34}) as hour_roll,
            u(i, {salt + 35}) as late_roll
        from range({count}) t(i)
    ),
    placed as (
        select b.*, p.user_id, p.diligence, p.assisted, d.deal_id, d.account_id,
            workday(case when on_deal and d.j is not null
                 then d.created_day + (at_roll * (least(d.close_day, getvariable('end_day'))
                                                  - d.created_day))::int
                 else getvariable('start_day') + (at_roll * {span})::int end) as day
        from base b join reps p using (r) left join deals d on d.j = b.j
    ),
    logged as (
        select *, u(r * 100000 + (day - getvariable('start_day')), 41) < diligence as same_day,
            day + interval 8 hour + to_seconds((hour_roll * 36000)::int) as occurred_at
        from placed
    ),
    final as (
        select *,
            case when same_day then greatest(occurred_at, day + interval '16 hours 30 minutes')
                    + to_seconds((late_roll * 900)::int)
                 else occurred_at + to_days(1 + (late_roll * 6)::int) end as created_at,
            case when not same_day and assisted and late_roll < 0.75 then sfid('005', 5)
                 else user_id end as creator,
            sfid('001', floor(u(i, {salt + 36}) * {per_rep_accounts})::bigint * {scale.reps}
                        + r + 1) as other_account
        from logged
    )
    """
    what = "case when on_deal then deal_id else other_account end"
    account = "case when on_deal then account_id else other_account end"
    if event:
        return pick + f"""
        select sfid('00U', i + 1) as "Id", user_id as "OwnerId", creator as "CreatedById",
            {what} as "WhatId", {account} as "AccountId", 'Meeting with customer' as "Subject",
            'Meeting' as "Type", sfts(occurred_at) as "ActivityDateTime",
            sfts(occurred_at) as "StartDateTime",
            sfts(occurred_at + interval 45 minute) as "EndDateTime",
            '45' as "DurationInMinutes", sfts(created_at) as "CreatedDate"
        from final where created_at <= getvariable('cutoff') order by i
        """
    return pick + f"""
    select sfid('00T', i + 1) as "Id", user_id as "OwnerId", creator as "CreatedById",
        {what} as "WhatId", {account} as "AccountId",
        case when hour_roll < 0.55 then 'Call' else 'Email' end as "Subject",
        case when late_roll < 0.6 then case when hour_roll < 0.55 then 'Call' else 'Email' end
             else '' end as "Type",
        case when hour_roll < 0.55 then 'Call' else 'Email' end as "TaskSubtype",
        'Completed' as "Status", day::varchar as "ActivityDate",
        'Spoke to contact' || (i % 97) || '@customer.example' as "Description",
        sfts(created_at) as "CreatedDate"
    from final where created_at <= getvariable('cutoff') order by i
    """


def _logins(span: int) -> str:
    return f"""
    with days as (
        select getvariable('start_day') + d::int as day from range({span + 1}) t(d)
        where dayofweek(getvariable('start_day') + d::int) between 1 and 5
    ),
    grid as (
        select p.r, p.user_id, day, p.diligence from reps p cross join days
        where u(p.r * 100000 + (day - getvariable('start_day')), 51) < p.diligence + 0.1
        union all
        select -1, sfid('005', 5), day, 1.0 from days
    )
    select sfid('0Ya', row_number() over (order by day, r)) as "Id", user_id as "UserId",
        sfts(day + interval 8 hour + to_seconds((u(r * 100000 + (day - getvariable('start_day')),
                                                  52) * 3600)::int)) as "LoginTime",
        'Application' as "LoginType", 'Success' as "Status", 'Browser' as "Application"
    from grid order by day, r
    """


def _field_history() -> str:
    return """
    with changes as (
        select j, 1 as k, deal_id, 'StageName' as field,
            'Negotiation/Review' as old_value,
            case when won then 'Closed Won' else 'Closed Lost' end as new_value,
            creator as who, close_day + interval 16 hour as changed_at
        from deals where closed
        union all
        select j, 2, deal_id, 'CloseDate', close_day::varchar, (close_day + 14)::varchar,
            sfid('005', r % 4 + 1), created_day + interval 12 hour + to_days(3 + (roll * 17)::int)
        from deals where u(j, 61) < 0.08
        union all
        select j, 3, deal_id, 'Owner', sfid('005', r % 4 + 1), user_id, sfid('005', r % 4 + 1),
            created_day + interval 11 hour + to_days(1 + (roll * 9)::int)
        from deals where u(j, 62) < 0.01
    )
    select sfid('017', row_number() over (order by j, k)) as "Id", deal_id as "OpportunityId",
        field as "Field", old_value as "OldValue", new_value as "NewValue",
        who as "CreatedById", sfts(changed_at) as "CreatedDate"
    from changes where changed_at <= getvariable('cutoff') order by j, k
    """
