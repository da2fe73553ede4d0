"""What the site says: metric results -> evidence -> charts -> Markdown pages.

`Site` holds one build's state and exposes the build steps in order. Page
contexts are plain dicts; templates escape every value that came from the data.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from . import charts, rep_pages, site_charts, site_evidence, site_pages, story_pages
from .config import Config
from .ingest import IngestReport
from .metrics import Result, load_queries, run_query
from .pages import Page, asset_prefix, chart_html, environment, render_page
from .resources import bundled

__all__ = ["Page", "Site", "asset_prefix"]


class Site:
    def __init__(self, con, config: Config, params: dict[str, Any], ingested: IngestReport,
                 demo: bool = False) -> None:
        self.con, self.config, self.params = con, config, params
        self.ingested, self.demo = ingested, demo
        self.results: dict[str, Result] = {}
        self.evidence: dict[str, Any] = {}
        self.charts: dict[str, charts.RenderedChart] = {}
        self.people: dict[str, rep_pages.Person] = {}
        self._dicts: dict[str, list[dict[str, Any]]] = {}
        self._grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}

    @property
    def as_of(self) -> dt.date:
        return self.params["as_of"]

    def run_queries(self) -> None:
        prepared: set[str] = set()  # helpers shared by several queries run once per build
        for name in load_queries():
            self.results[name] = run_query(self.con, name, self.params, prepared)
        self.people = rep_pages.people(self.con, self.config["privacy"])

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

    # ---- evidence ----------------------------------------------------------------------
    def compute_evidence(self) -> None:
        self.evidence = site_evidence.compute_evidence(self)

    # ---- charts ----------------------------------------------------------------------
    def render_charts(self) -> None:
        self.charts.update(site_charts.render_charts(self))
        self.charts.update(rep_pages.render_charts(self))

    def chart(self, name: str, page_path: str, description: str) -> Markup | None:
        """A chart's HTML for a page, or None when there was no data to draw it."""
        if name not in self.charts:
            return None
        return chart_html(self.charts[name],
                          f"{asset_prefix(page_path)}assets/charts/{name}.svg", description)

    # ---- pages -----------------------------------------------------------------------
    def pages(self) -> list[Page]:
        common = {"site": self.config["site"], "as_of": self.as_of, "demo": self.demo,
                  "min_n": self.config["min_n"]}
        team = site_pages.pages(self, common)
        reps = rep_pages.pages(self, common)
        methods = site_pages.methods_page(self, common)
        from .validate import page_context  # data-quality page (issue #4)
        quality = Page("data-quality.md", "Data quality", "data_quality.md.j2", {
            **common, **page_context(self.con, self.config, self.as_of, self.ingested)})
        return [*team, *reps, methods, quality]

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
        nav = [{page.title: page.path} for page in pages if page.in_nav]
        nav += self._copy_content(docs)
        nav += story_pages.write_stories(self, docs)
        self._copy_queries(docs)
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


    def _copy_queries(self, docs: Path) -> None:
        """Each metric's SQL (included fragments expanded), linked from the methods page."""
        target = docs / "queries"
        target.mkdir(parents=True, exist_ok=True)
        for query in load_queries().values():
            (target / query.path.name).write_text(query.sql, encoding="utf-8")


def _title_of(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").capitalize()
