"""The data-quality report as plain values: tables, findings, capabilities, deals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..metrics import Capabilities, Capability

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    severity: str  # error, warning or info
    check: str
    table: str
    rows: int
    message: str
    example: str | None = None
    public: str = ""  # the message without example IDs or names, for the site


@dataclass(frozen=True)
class TableSummary:
    table: str
    rows: int
    first_at: dt.datetime | None
    last_at: dt.datetime | None


@dataclass
class ValidationReport:
    folder: Path
    mapping: str
    as_of: dt.date
    demo: bool = False
    today: dt.date | None = None  # the build day: records dated after it are reported
    tables: list[TableSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    capabilities: list[Capability] = field(default_factory=list)
    missing_by_rep: list[dict[str, Any]] = field(default_factory=list)
    capability_model: Capabilities | None = None
    deals: dict[str, Any] = field(default_factory=dict)  # see deals.reconcile

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def ok(self) -> bool:
        return self.count("error") == 0

    @property
    def date_range(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        firsts = [t.first_at for t in self.tables if t.first_at]
        lasts = [t.last_at for t in self.tables if t.last_at]
        return (min(firsts) if firsts else None, max(lasts) if lasts else None)

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON values (`crmproof validate --output json`)."""
        first, last = self.date_range
        return {
            "source": "demo" if self.demo else str(self.folder),
            "format": self.mapping, "as_of": self.as_of.isoformat(),
            "today": self.today.isoformat() if self.today else None,
            "data_from": first.isoformat() if first else None,
            "data_to": last.isoformat() if last else None,
            "rows": {t.table: t.rows for t in self.tables},
            "deals": self.deals,
            "capabilities": {c.name: c.available for c in self.capabilities},
            "capability_reasons": {c.name: c.reason for c in self.capabilities},
            "findings": [{"severity": f.severity, "check": f.check, "table": f.table,
                          "rows": f.rows, "message": f.message} for f in self.findings],
            "errors": self.count("error"), "warnings": self.count("warning"),
            "notes": self.count("info"),
        }
