"""`crmproof validate`'s report as terminal tables (plain text, no colour codes, and no
control characters from the data: names are cleaned, anything else is shown escaped)."""

from __future__ import annotations

import datetime as dt
import io

from ..text import clean_text, terminal_text
from ..validate import ValidationReport, reconciliation_lines


def _stamp(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "–"


def render_text(report: ValidationReport, width: int = 100) -> str:
    """The report as terminal tables (plain text, no colour codes)."""
    from rich.console import Console
    from rich.table import Table

    out = io.StringIO()
    console = Console(file=out, width=width, no_color=True, highlight=False,
                      emoji=False, markup=False)
    source = "the demo export" if report.demo else str(report.folder)
    first, last = report.date_range
    console.print(f"Data quality of {source} ({report.mapping} format), as of "
                  f"{report.as_of}; data from {_stamp(first)} to {_stamp(last)}; build day "
                  f"{report.today}")
    tables = Table("Table", "Rows", "First", "Last", title="Tables")
    for t in report.tables:
        tables.add_row(t.table, f"{t.rows:,}", _stamp(t.first_at), _stamp(t.last_at))
    console.print(tables)
    if report.findings:
        findings = Table("Severity", "Finding", title="Findings")
        for f in report.findings:
            findings.add_row(f.severity, f.message)
        console.print(findings)
    if report.missing_by_rep:
        missing = Table("Rep", "Open deals", "No amount", "No close date", "No stage",
                        "No next step", title="Open deals missing required fields")
        for r in report.missing_by_rep:
            missing.add_row(clean_text(r["rep_name"]), *(str(r[k]) for k in (
                "open_deals", "missing_amount", "missing_close_date", "missing_stage",
                "missing_next_step")))
        console.print(missing)
    if report.deals:
        deals = Table("Deals", "Count", title=f"Every deal accounted for "
                      f"({report.deals['in_export']:,} in the export)")
        for what, count in reconciliation_lines(report.deals):
            deals.add_row(what, f"{count:,}")
        console.print(deals)
    caps = Table("Evidence", "Available", "Why", title="What this export can support")
    for c in report.capabilities:
        caps.add_row(c.evidence, "yes" if c.available else "no", c.reason)
    console.print(caps)
    console.print(f"{report.count('error')} error(s), {report.count('warning')} warning(s), "
                  f"{report.count('info')} note(s)")
    return terminal_text(out.getvalue())  # CRM text never sends raw escapes to a terminal


def report_rows(report: ValidationReport) -> list[tuple[str, str, object]]:
    """The report as (section, key, value) rows: `crmproof validate --output csv`."""
    data = report.as_json()
    rows: list[tuple[str, str, object]] = [("report", k, data[k]) for k in (
        "source", "format", "as_of", "today", "data_from", "data_to")]
    rows += [("rows", table, n) for table, n in data["rows"].items()]
    rows += [("deals", key, value) for key, value in data["deals"].items()
             if not isinstance(value, dict)]
    rows += [("deals_excluded", reason, n) for reason, n in data["deals"]["excluded"].items()]
    rows += [("capabilities", name, ok) for name, ok in data["capabilities"].items()]
    rows += [(f"finding_{f['severity']}", f["check"], f["message"]) for f in data["findings"]]
    return rows
