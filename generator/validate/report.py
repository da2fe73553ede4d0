"""The data-quality report as plain values: tables, findings and capabilities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Capability:
    """Whether one kind of evidence can be computed from this export, and why (not)."""

    evidence: str
    available: bool
    reason: str


@dataclass
class ValidationReport:
    folder: Path
    mapping: str
    as_of: dt.date
    demo: bool = False
    tables: list[TableSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    capabilities: list[Capability] = field(default_factory=list)
    missing_by_rep: list[dict[str, Any]] = field(default_factory=list)

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
