"""What one build computed: the plain state that every page, chart and evidence module reads.

`SiteState` is filled step by step (`steps`): metric results, then evidence, then charts.
Modules above it take it as an argument and never import the steps, so data flows one way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import duckdb
from markupsafe import Markup

from ..charts import RenderedChart
from ..config import Config
from ..ingest import IngestReport
from ..metrics import MEASURES, Capabilities, Result
from .markup import asset_prefix, chart_html, data_link
from .people import Person


@dataclass
class SiteState:
    con: duckdb.DuckDBPyConnection
    config: Config
    params: dict[str, Any]
    ingested: IngestReport
    demo: bool = False
    capabilities: Capabilities | None = None  # what the export supports (None: everything)
    today: dt.date | None = None  # the build day
    results: dict[str, Result] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    charts: dict[str, RenderedChart] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    # what every chart and table shows, written as assets/data/<name>.csv and linked
    data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _dicts: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    _grouped: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict,
                                                                  repr=False)

    @property
    def as_of(self) -> dt.date:
        return self.params["as_of"]

    def has(self, measure: str) -> bool:
        """Whether the export supports a measure (`metrics.MEASURES`)."""
        return self.capabilities is None or self.capabilities.available(measure)

    def coverage(self) -> dict[str, Any]:
        """What every page states: the window it covers, which measures the export
        supports (`has`) and, for those it does not, why (`why`: 'not in this export: ...')."""
        days = self.params["history_periods"] * self.params["period_days"]
        start = self.as_of - dt.timedelta(days=days - 1)
        window = {"start": start, "end": self.as_of, "days": days,
                  "periods": self.params["history_periods"],
                  "period_days": self.params["period_days"]}
        line = (f"Covers {_day(start)} to {_day(self.as_of)}: the last "
                f"{window['periods']} periods of {window['period_days']} days, as of "
                f"{_day(self.as_of)}.")
        caps = self.capabilities
        has = {name: self.has(name) for name in MEASURES}
        why = {name: (_sentence(caps.measures[name].reason) if caps and not has[name] else "")
               for name in MEASURES}
        basis = caps.active_day_basis if caps else (
            "created at least one deal or activity themself")
        return {"window": window, "window_line": line, "has": has, "why": why,
                "active_day_basis": basis,
                "creators_known": caps is None or caps.has("creators")}

    def rows(self, name: str) -> list[dict[str, Any]]:
        """A metric's rows as dicts (computed once); no rows when the query is missing."""
        if name not in self._dicts:
            result = self.results.get(name)
            self._dicts[name] = result.dicts() if result is not None else []
        return self._dicts[name]

    def grouped(self, name: str) -> dict[str, list[dict[str, Any]]]:
        """A per-rep metric's rows grouped by rep_id, in query order."""
        if name not in self._grouped:
            groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in self.rows(name):
                groups[row["rep_id"]].append(row)
            self._grouped[name] = dict(groups)
        return self._grouped[name]

    def by_rep(self, name: str) -> dict[str, dict[str, Any]]:
        """A metric with one row per rep, keyed by rep_id."""
        return {rep: rows[0] for rep, rows in self.grouped(name).items()}

    def chart(self, name: str, page_path: str, description: str) -> Markup | None:
        """A chart's HTML for a page (with a link to its data), or None when there was no
        data to draw it."""
        if name not in self.charts:
            return None
        prefix = asset_prefix(page_path)
        return chart_html(self.charts[name], f"{prefix}assets/charts/{name}", description,
                          f"{prefix}assets/data/{name}.csv" if name in self.data else None)

    def table_data(self, name: str, page_path: str, rows: list[dict[str, Any]]) -> Markup:
        """Keep a table's rows for assets/data/<name>.csv; the link to put under it."""
        self.data[name] = rows
        return data_link(f"{asset_prefix(page_path)}assets/data/{name}.csv")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _sentence(reason: str) -> str:
    """'not in this export: no login history' -> 'Not in this export: no login history'."""
    return reason[:1].upper() + reason[1:]
