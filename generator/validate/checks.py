"""The data-quality checks: canonical tables in, a `ValidationReport` out.

The checks are SQL (`queries/_validate_*.sql`); this module words each finding with
what to do about it and decides which evidence the export can and cannot support.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import duckdb

from ..config import Config
from ..errors import QueryError
from ..ingest import IngestReport
from ..metrics import Capabilities, Result, capabilities_of, helper_query, metric_params, run_query
from ..resources import bundled
from .deals import reconcile, reconciliation_lines
from .report import SEVERITIES, Finding, TableSummary, ValidationReport

_EXAMPLE = re.compile(r" \((?:e\.g\.|latest|earliest) \{example\}\)")
_TABLE_WORDS = {"deals": "deals", "activities": "activities", "accounts": "accounts",
                "logins": "logins", "field_history": "field-history rows",
                "planned_activities": "planned activities"}
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
                             "they count in win rates but not in sales cycles or a rep's "
                             "active days; export the created date"),
    "activity_missing_dates": ("{n} activities lack when they happened or were entered "
                               "(e.g. {example})", "they are left out of logging lag"),
    "created_after_as_of": ("{n} {table} were entered after the as-of date {as_of} (latest "
                            "{example})", "pass a later --as-of or fix the export's clock"),
    "future_dated": ("{n} {table} are dated after the build day (latest {example})",
                     "they never move the as-of date; fix the dates in the CRM or the "
                     "export's clock"),
    "created_before_2000": ("{n} {table} carry a date before 2000 (earliest {example})",
                            "check the date format (data.date_order) or fix those rows"),
    "won_not_closed": ("{n} deals are won but not closed (e.g. {example})",
                       "check the won/closed columns of the mapping"),
    "closed_without_close_date": ("{n} closed deals have no close date and no last-modified "
                                  "date to stand in (e.g. {example})",
                                  "they are left out of the win rate and the sales cycle; "
                                  "export the close date"),
    "closed_before_created": ("{n} deals close before they were created (e.g. {example})",
                              "an impossible sales cycle: left out of every cycle "
                              "statistic; often migrated data, check those deals"),
    "negative_amount": ("{n} deals have a negative amount (e.g. {example})",
                        "check the amount column"),
    "activity_after_as_of": ("{n} activities are scheduled after {as_of} (latest {example})",
                             "planned work; it is not counted as logged"),
    "entered_before_it_happened": ("{n} activities were entered before the day they happened "
                                   "(e.g. {example})", "scheduled in advance: they have no "
                                   "logging lag and are left out of it"),
    "duplicate_rows": ("{n} {table} are exact duplicates", "harmless; they are counted once"),
}


def _helper(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> Result:
    path = bundled("queries") / f"_validate_{name}.sql"
    query = helper_query(path)
    try:
        cursor = con.execute(query.sql, {key: params[key] for key in query.parameters})
        rows = cursor.fetchall()
    except duckdb.Error as exc:
        raise QueryError(f"{path}: {str(exc).splitlines()[0]}") from exc
    return Result(tuple(col[0] for col in cursor.description), rows)


def _finding(row: dict[str, Any], as_of: dt.date, today: dt.date) -> Finding:
    found, fix = MESSAGES[row["check_name"]]
    words = {"n": f"{row['problem_rows']:,}", "table": _TABLE_WORDS[row["table_name"]],
             "example": row["example"], "as_of": as_of.isoformat(),
             "today": today.isoformat()}
    public = _EXAMPLE.sub("", found).format(**words)
    message = found.format(**words) if row["example"] is not None else public
    return Finding(row["severity"], row["check_name"], row["table_name"], row["problem_rows"],
                   f"{message}; {fix}", row["example"], f"{public}; {fix}")


def _ingest_findings(ingested: IngestReport) -> list[Finding]:
    """What ingest noticed while reading the files: warnings, skipped files, dropped rows."""
    found = [Finding("warning", "ingest_warning", "", 0, text, public=text)
             for text in ingested.warnings]
    for path in ingested.skipped:
        why = ingested.skip_reasons.get(path.name) or (
            f"it matches no {ingested.mapping} source; use --mapping if it holds CRM data")
        text = f"{path.name} was not read: {why}"
        found.append(Finding("info", "skipped_file", "", 0, text, public=text))
    for text in ingested.notes:
        found.append(Finding("info", "ingest_note", "", 0, text, public=text))
    return found


def check(con: duckdb.DuckDBPyConnection, config: Config, as_of: dt.date,
          ingested: IngestReport, demo: bool = False, today: dt.date | None = None,
          capabilities: Capabilities | None = None,
          results: Mapping[str, Result] | None = None) -> ValidationReport:
    """The data-quality report for canonical tables already loaded into `con`; `today` is
    the build day (records dated after it are reported, default: today in UTC). Pass the
    export's `capabilities` when known (counting them again costs a scan of every table,
    and the link checks read their counts), and a build's metric `results`: the tables
    and the deals are then read from its data_freshness and deal_reconciliation."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    report = ValidationReport(ingested.folder, ingested.mapping, as_of, demo, today=today)
    found = capabilities or capabilities_of(con, config)
    params = {**metric_params(config, as_of), **found.params(), "today": today}
    known = results or {}
    fresh = (known.get("data_freshness") or run_query(con, "data_freshness", params)).dicts()
    report.tables = [TableSummary(r["table_name"], r["rows"], r["first_at"], r["last_at"])
                     for r in fresh]
    facts = {**params, **found.counts, **found.examples}
    report.findings = [_finding(row, as_of, today)
                       for row in _helper(con, "checks", facts).dicts()]
    report.findings += _ingest_findings(ingested)
    report.missing_by_rep = _helper(con, "missing_by_rep", {}).dicts()
    report.capabilities = list(found.measures.values())
    report.capability_model = found
    deals = known.get("deal_reconciliation") or run_query(con, "deal_reconciliation", params)
    report.deals = reconcile(deals.dicts(), params)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    report.findings.sort(key=lambda f: order[f.severity])
    return report


def page_context(con: duckdb.DuckDBPyConnection, config: Config, as_of: dt.date,
                 ingested: IngestReport, today: dt.date | None = None,
                 capabilities: Capabilities | None = None,
                 results: Mapping[str, Result] | None = None) -> dict[str, Any]:
    """Context for the site's Data quality page: counts only, no names or IDs (privacy)."""
    report = check(con, config, as_of, ingested, today=today, capabilities=capabilities,
                   results=results)
    first, last = report.date_range
    return {"quality": {
        "tables": report.tables, "first_at": first, "last_at": last,
        "findings": [{"severity": f.severity, "message": f.public} for f in report.findings],
        "capabilities": report.capabilities,
        "errors": report.count("error"), "warnings": report.count("warning"),
        "deals": report.deals, "deal_lines": reconciliation_lines(report.deals),
    }}
