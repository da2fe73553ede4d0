"""What the site says: metric results -> evidence -> charts -> Markdown pages.

`Site` holds one build's state and exposes the build steps in order. Page
contexts are plain dicts; templates escape every value that came from the data.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import charts, evidence
from .config import Config
from .ingest import IngestReport
from .metrics import Result, load_queries, run_query
from .pages import chart_html, environment, render_page
from .resources import bundled


@dataclass
class Page:
    """One generated page: where it goes, its nav title, template and context."""

    path: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def asset_prefix(page_path: str) -> str:
    """Relative path from a page's URL (directory URLs) back to the site root."""
    depth = page_path.count("/") + (0 if page_path.endswith("index.md") else 1)
    return "../" * depth


class Site:
    def __init__(self, con, config: Config, params: dict[str, Any], ingested: IngestReport,
                 demo: bool = False) -> None:
        self.con, self.config, self.params = con, config, params
        self.ingested, self.demo = ingested, demo
        self.results: dict[str, Result] = {}
        self.evidence: dict[str, Any] = {}
        self.charts: dict[str, charts.RenderedChart] = {}

    @property
    def as_of(self) -> dt.date:
        return self.params["as_of"]

    def run_queries(self) -> None:
        for name in load_queries():
            self.results[name] = run_query(self.con, name, self.params)

    def rows(self, name: str) -> list[dict[str, Any]]:
        return self.results[name].dicts()

    # ---- evidence ----------------------------------------------------------------------
    def compute_evidence(self) -> None:
        min_n = self.config["min_n"]
        by_tier = self.rows("win_rate_by_tier")
        self.evidence["tiers"] = [
            {**row, "tier_label": charts.TIER_LABELS[row["tier"]],
             **_rate(row["won_deals"], row["closed_deals"], min_n)} for row in by_tier]
        top = [r for r in by_tier if r["tier"] == "grade_a"]
        rest = [r for r in by_tier if r["tier"] != "grade_a"]
        self.evidence["headline"] = {
            "top": _rate(sum(r["won_deals"] for r in top), sum(r["closed_deals"] for r in top),
                         min_n),
            "rest": _rate(sum(r["won_deals"] for r in rest),
                          sum(r["closed_deals"] for r in rest), min_n),
        }

    # ---- charts ----------------------------------------------------------------------
    def render_charts(self) -> None:
        tiers = [{"tier": r["tier"], "rate": r["rate"], "low": r["low"], "high": r["high"],
                  "n": r["n"]} for r in self.evidence["tiers"] if r["enough"]]
        self.charts["win_rate_by_tier"] = charts.render(
            "win_rate_by_tier",
            charts.chart_rate_by_tier(tiers, "Win rate by adoption tier", "Win rate"))
        mix = [{**r, "period_end": r["period_end"].isoformat(), "share": float(r["share"])}
               for r in self.rows("tier_mix")]
        self.charts["tier_mix"] = charts.render(
            "tier_mix", charts.chart_tier_mix(mix, "The team's adoption spectrum over time"))

    def chart(self, name: str, page_path: str, description: str):
        return chart_html(self.charts[name],
                          f"{asset_prefix(page_path)}assets/charts/{name}.svg", description)

    # ---- pages -----------------------------------------------------------------------
    def pages(self) -> list[Page]:
        common = {"site": self.config["site"], "as_of": self.as_of, "demo": self.demo,
                  "min_n": self.config["min_n"]}
        home = Page("index.md", "Home", "index.md.j2", {
            **common, "headline": self.evidence["headline"], "tiers": self.evidence["tiers"],
            "chart": self.chart("win_rate_by_tier", "index.md",
                                "Win rate of closed deals by the owner's adoption tier, "
                                "with 95% intervals"),
        })
        methods = Page("methods.md", "Methods", "methods.md.j2", {
            **common, "queries": list(load_queries().values()),
            "config": self.config.values,
        })
        return [home, methods]

    def write_pages(self, docs: Path) -> int:
        docs.mkdir(parents=True, exist_ok=True)
        env = environment()
        charts_dir = docs / "assets" / "charts"
        charts_dir.mkdir(parents=True, exist_ok=True)
        for name, chart in self.charts.items():
            (charts_dir / f"{name}.svg").write_text(chart.svg, encoding="utf-8")
        pages = self.pages()
        for page in pages:
            target = docs / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_page(env, page.template, page.context), encoding="utf-8")
        nav = [{page.title: page.path} for page in pages]
        nav += self._copy_content(docs)
        (docs / "nav.yml").write_text(yaml.safe_dump(nav, sort_keys=False), encoding="utf-8")
        return len(pages)

    def _copy_content(self, docs: Path) -> list[dict[str, str]]:
        """Hand-written pages: the project's content/ folder, else the bundled default."""
        user = self.config.root / "content"
        source = user if self.config.path and user.is_dir() else bundled("content")
        nav = []
        for path in sorted(source.glob("*.md")):
            shutil.copyfile(path, docs / path.name)
            nav.append({_title_of(path): path.name})
        return nav


def _title_of(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").capitalize()


def _rate(successes: int, n: int, min_n: int) -> dict[str, Any]:
    """A proportion with its Wilson 95% interval, or 'not enough data' below min_n."""
    if n < min_n or n == 0:
        return {"n": n, "enough": False, "rate": None, "low": None, "high": None}
    low, high = evidence.wilson_interval(successes, n)
    return {"n": n, "enough": True, "rate": successes / n, "low": low, "high": high}
