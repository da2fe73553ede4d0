"""Data quality for the commands: `crmproof validate`'s report, and `build --strict`'s checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..config import Config
from ..errors import StaleDataError
from ..validate import ValidationReport, check
from .manager import log_finding
from .project import Project, build_day, latest_record, open_export

REQUIRED_TABLES = ("deals", "activities")


def validate_project(config: Config, data: Path | None = None, fmt: str | None = None,
                     as_of: dt.date | None = None,
                     today: dt.date | None = None) -> ValidationReport:
    """Open the export (the demo when none is configured; through the ingest cache) and
    check its data quality; records dated after `today` (default: today) are reported."""
    export = open_export(config, data, fmt)
    if as_of is None and config["as_of"]:
        as_of = dt.date.fromisoformat(str(config["as_of"]))
    as_of = as_of or latest_record(export.con, today) or dt.date(2000, 1, 1)
    report = check(export.con, config, as_of, export.ingest, export.demo, build_day(today))
    found = log_finding(config, export.con, data)  # the manager's log, checked like the rest
    if found is not None:
        report.findings.append(found)
    return report


def validation_errors(project: Project) -> list[str]:
    """Messages of the data-quality checks of severity 'error' (see `crmproof validate`)."""
    found = check(project.con, project.config, project.as_of, project.ingest, project.demo,
                  project.today, project.capabilities)
    return [f.message for f in found.findings if f.severity == "error"]


def check_strict(summary: dict, config: Config, today: dt.date | None) -> None:
    """--strict: required tables present and non-empty, the newest record recent enough,
    no validation errors."""
    for table in REQUIRED_TABLES:
        if table in summary["missing_tables"] or not summary["rows"].get(table):
            raise StaleDataError(f"--strict: the export holds no {table}; export them too, "
                                 f"or build without --strict")
    today = today or dt.date.today()
    latest = dt.date.fromisoformat(summary["latest"]) if summary["latest"] else None
    allowed = config["strict"]["max_data_age_days"]
    if latest is None or (today - latest).days > allowed:
        age = "no dated records" if latest is None else (
            f"the newest record is from {latest}, {(today - latest).days} days before {today}")
        raise StaleDataError(f"--strict: stale data: {age} (strict.max_data_age_days is "
                             f"{allowed}); check that the export job ran")
    errors = summary.get("validation_errors") or []
    if errors:
        raise StaleDataError(f"--strict: validation found {len(errors)} error(s), first: "
                             f"{errors[0]}; run crmproof validate for all of them")
