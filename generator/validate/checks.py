"""The data-quality checks: canonical tables in, a `ValidationReport` out.

The checks are SQL (`queries/_validate_*.sql`); this module words each finding with
what to do about it and decides which evidence the export can and cannot support.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import duckdb

from ..config import Config
from ..errors import QueryError
from ..ingest import IngestReport
from ..metrics import Result, run_query
from ..resources import bundled
from .report import SEVERITIES, Capability, Finding, TableSummary, ValidationReport

_EXAMPLE = re.compile(r" \((?:e\.g\.|latest|earliest) \{example\}\)")
_TABLE_WORDS = {"deals": "deals", "activities": "activities", "accounts": "accounts",
                "logins": "logins", "field_history": "field-history rows"}
# check -> (what was found, what to do); {n} rows, {table}, {example}, {as_of}
MESSAGES: dict[str, tuple[str, str]] = {
    "deal_missing_id": ("{n} deals have no ID", "export the ID column for every row"),
    "deal_missing_owner": ("{n} deals have no owner (e.g. {example})",
                           "they count for nobody; assign owners in the CRM"),
    "deal_unknown_owner": ("{n} deals are owned by someone not in the user list (e.g. "
                           "{example})", "export all users, or check reps.only/exclude"),
    "deal_unknown_account": ("{n} deals point at an account that is not in the export (e.g. "
                             "{example})", "export all accounts, or ignore if filtered"),
    "activity_unknown_deal": ("{n} activities point at a deal that is not in the export "
                              "(e.g. {example})", "export all deals for the same period"),
    "activity_unknown_account": ("{n} activities point at an account that is not in the "
                                 "export (e.g. {example})", "export all accounts"),
    "activity_unknown_owner": ("{n} activities are owned by someone not in the user list "
                               "(e.g. {example})", "export all users"),
    "activity_missing_owner": ("{n} activities have no owner (e.g. {example})",
                               "they count for nobody"),
    "history_unknown_deal": ("{n} field-history rows are for deals not in the export",
                             "export deals and history for the same period"),
    "deal_missing_created": ("{n} deals have no created date (e.g. {example})",
                             "they are left out of periods; export the created date"),
    "activity_missing_dates": ("{n} activities lack when they happened or were entered "
                               "(e.g. {example})", "they are left out of logging lag"),
    "created_after_as_of": ("{n} {table} were entered after the as-of date {as_of} (latest "
                            "{example})", "pass a later --as-of or fix the export's clock"),
    "created_before_2000": ("{n} {table} carry a date before 2000 (earliest {example})",
                            "check the date format (data.date_order) or fix those rows"),
    "won_not_closed": ("{n} deals are won but not closed (e.g. {example})",
                       "check the won/closed columns of the mapping"),
    "closed_without_close_date": ("{n} closed deals have no close date (e.g. {example})",
                                  "they are left out of cycle length"),
    "closed_before_created": ("{n} deals close before they were created (e.g. {example})",
                              "often migrated data; check those deals"),
    "negative_amount": ("{n} deals have a negative amount (e.g. {example})",
                        "check the amount column"),
    "activity_after_as_of": ("{n} activities are scheduled after {as_of} (latest {example})",
                             "planned work; it is not counted as logged"),
    "entered_before_it_happened": ("{n} activities were entered more than a day before they "
                                   "happened", "scheduled in advance; not a logging lag"),
    "duplicate_rows": ("{n} {table} are exact duplicates", "harmless; they are counted once"),
}


def _helper(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> Result:
    path = bundled("queries") / f"_validate_{name}.sql"
    try:
        cursor = con.execute(path.read_text(encoding="utf-8"), params)
        rows = cursor.fetchall()
    except duckdb.Error as exc:
        raise QueryError(f"{path}: {str(exc).splitlines()[0]}") from exc
    return Result(tuple(col[0] for col in cursor.description), rows)


def _finding(row: dict[str, Any], as_of: dt.date) -> Finding:
    found, fix = MESSAGES[row["check_name"]]
    words = {"n": f"{row['problem_rows']:,}", "table": _TABLE_WORDS[row["table_name"]],
             "example": row["example"], "as_of": as_of.isoformat()}
    public = _EXAMPLE.sub("", found).format(**words)
    message = found.format(**words) if row["example"] is not None else public
    return Finding(row["severity"], row["check_name"], row["table_name"], row["problem_rows"],
                   f"{message}; {fix}", row["example"], f"{public}; {fix}")


def _ingest_findings(ingested: IngestReport) -> list[Finding]:
    found = [Finding("warning", "ingest_warning", "", 0, text, public=text)
             for text in ingested.warnings]
    for path in ingested.skipped:
        text = (f"{path.name} was not read: it matches no {ingested.mapping} source; "
                f"use --mapping if it holds CRM data")
        found.append(Finding("info", "skipped_file", "", 0, text, public=text))
    return found


def _capabilities(c: dict[str, int], config: Config) -> list[Capability]:
    min_n = config["min_n"]

    def cap(evidence: str, available: bool, yes: str, no: str) -> Capability:
        return Capability(evidence, available, yes if available else no)

    currencies = c["currencies"]
    single = currencies <= 1 or bool(config["data"]["base_currency"] and
                                     config["data"]["currency_rates"])
    return [
        cap("Win rate by adoption tier", c["closed_deals"] >= min_n,
            f"{c['closed_deals']:,} closed deals",
            f"only {c['closed_deals']} closed deals (minimum {min_n}): 'not enough data'"),
        cap("Deal size", c["deals_with_amount"] > 0,
            "amounts present" + ("" if single else f"; {currencies} currencies compared "
                                 "within the most common one (set data.currency_rates)"),
            "no deal has an amount: deal-size evidence is unavailable"),
        cap("Logging lag", c["timed_activities"] > 0,
            f"{c['timed_activities']:,} activities with both dates",
            "no activities with when-it-happened and when-entered: lag is unavailable"),
        cap("Active days and habit", c["deals_rows"] + c["activities_rows"] > 0,
            "from deals and activities" if c["activities_rows"] else
            "from deals only: no activities were exported",
            "no dated records"),
        cap("Proxy entry", c["records_with_creator"] > 0,
            f"{c['records_with_creator']:,} records say who created them",
            "no created-by column: proxy entry is unavailable, not zero"),
        cap("Deal completeness", c["deals_rows"] > 0,
            "amount, close date, stage" + (" and next step" if c["deals_with_next_step"]
                                           else "; no next step in the export (counts as "
                                                "missing)"), "no deals"),
        cap("Login-based signals", c["logins_rows"] > 0, f"{c['logins_rows']:,} logins",
            "no login history in the export: 'never logs in' is unavailable, not zero"),
        cap("Trust: edits by others, owner changes", c["field_history_rows"] > 0,
            f"{c['field_history_rows']:,} field changes",
            "no field history in the export: trust evidence is unavailable"),
        cap("Cost of non-use", c["activities_rows"] > 0, "open deals and their activities",
            "no activities: dark pipeline cannot be told from quiet pipeline"),
    ]


def check(con: duckdb.DuckDBPyConnection, config: Config, as_of: dt.date,
          ingested: IngestReport, demo: bool = False) -> ValidationReport:
    """The data-quality report for canonical tables already loaded into `con`."""
    report = ValidationReport(ingested.folder, ingested.mapping, as_of, demo)
    fresh = run_query(con, "data_freshness", {"as_of": as_of}).dicts()
    report.tables = [TableSummary(r["table_name"], r["rows"], r["first_at"], r["last_at"])
                     for r in fresh]
    params = {"as_of": as_of}
    report.findings = [_finding(row, as_of) for row in _helper(con, "checks", params).dicts()]
    report.findings += _ingest_findings(ingested)
    report.missing_by_rep = _helper(con, "missing_by_rep", {}).dicts()
    counts = _helper(con, "capabilities", {}).dicts()[0]
    report.capabilities = _capabilities(counts, config)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    report.findings.sort(key=lambda f: order[f.severity])
    return report


def page_context(con: duckdb.DuckDBPyConnection, config: Config, as_of: dt.date,
                 ingested: IngestReport) -> dict[str, Any]:
    """Context for the site's Data quality page: counts only, no names or IDs (privacy)."""
    report = check(con, config, as_of, ingested)
    first, last = report.date_range
    return {"quality": {
        "tables": report.tables, "first_at": first, "last_at": last,
        "findings": [{"severity": f.severity, "message": f.public} for f in report.findings],
        "capabilities": report.capabilities,
        "errors": report.count("error"), "warnings": report.count("warning"),
    }}
