"""The site stage's steps, in build order, each reading and filling one `SiteState`:

run_queries -> compute_evidence -> render_charts -> write_docs

`write_docs` writes the MkDocs `docs/` folder: the generated pages, the charts (SVG and spec), the
hand-written content, the stories and every query's SQL; `mkdocs` turns it into HTML.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..errors import BuildError
from ..evidence import DEAL_COLUMNS
from ..metrics import load_queries, run_query
from ..resources import bundled
from ..text import read_text_file
from ..validate import page_context
from . import rep_pages, story_pages, team_charts, team_evidence, team_pages
from .data_files import write_data
from .markup import write_chart
from .people import people
from .render import Page, environment, render_page
from .state import SiteState

# read only by the manager's copy: the reps' site does not run them (a second on 10M rows)
MANAGER_ONLY = ("rep_signals", "window_board")
# a row per closed deal (500,000 at 1,000 reps): fetched as NumPy columns, and only those the
# evidence and the rep pages read (not the deal's ID: 170 MB of strings at 5,000 reps)
AS_ARRAYS = {"deal_attribution": (*DEAL_COLUMNS, "currency")}


def run_queries(site: SiteState, names: tuple[str, ...] | None = None) -> None:
    """The reps' site's metric queries (or only `names`), and the people the privacy mode
    allows."""
    prepared: set[str] = set()  # helpers shared by several queries run once per build
    for name in names or tuple(n for n in load_queries() if n not in MANAGER_ONLY):
        site.results[name] = run_query(site.con, name, site.params, prepared,
                                       as_arrays=name in AS_ARRAYS, only=AS_ARRAYS.get(name))
    site.people = people(site.con, site.config["privacy"])


def compute_evidence(site: SiteState) -> None:
    site.evidence = team_evidence.compute_evidence(site)


def render_charts(site: SiteState) -> None:
    site.charts.update(team_charts.render_charts(site))
    site.charts.update(rep_pages.render_charts(site))


def site_pages(site: SiteState) -> Iterator[Page]:
    """Every generated page: team pages, per-rep pages, methods and data quality. Each is
    made when the one before it has been taken (a context per rep, 5,000 of them, is not
    held at once); methods and data quality come last, after every finding is registered."""
    common = {"site": site.config["site"], "as_of": site.as_of, "demo": site.demo,
              "min_n": site.config["min_n"], "min_reps": site.config["min_reps"],
              **site.coverage()}
    yield from team_pages.pages(site, common)
    yield from rep_pages.pages(site, common)
    yield team_pages.methods_page(site, common)
    yield Page("data-quality.md", "Data quality", "data_quality.md.j2", {
        **common, **_quality_context(site)})


def _quality_context(site: SiteState) -> dict:
    """The data-quality page's context, with the CSV link of each of its tables."""
    context = page_context(site.con, site.config, site.as_of, site.ingested, site.today,
                           site.capabilities, site.results)
    quality, path = context["quality"], "data-quality.md"
    return {**context, "csv": {
        "tables": site.table_data("export_tables", path, [
            {"table": t.table, "rows": t.rows, "first_at": t.first_at, "last_at": t.last_at}
            for t in quality["tables"]]),
        "capabilities": site.table_data("export_capabilities", path, [
            {"evidence": c.evidence, "available": c.available, "reason": c.reason}
            for c in quality["capabilities"]]),
        "deals": site.table_data("export_deals", path, [
            {"deals": what, "count": count} for what, count in quality.get("deal_lines", [])]),
        "findings": site.table_data("export_findings", path, quality["findings"])}}


def write_docs(site: SiteState, docs: Path) -> int:
    """Write the MkDocs docs folder (with `nav.yml`); return the generated page count."""
    docs.mkdir(parents=True, exist_ok=True)
    env = environment()
    charts_dir = docs / "assets" / "charts"
    charts_dir.mkdir(parents=True, exist_ok=True)
    for name, chart in site.charts.items():
        write_chart(charts_dir, name, chart)
    count, nav = 0, []
    for page in site_pages(site):
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(env, page.template, page.context), encoding="utf-8")
        count += 1
        if page.in_nav:
            nav.append({page.title: page.path})
    nav += _copy_content(site, docs)
    nav += story_pages.write_stories(site, docs)
    _copy_queries(docs)
    write_data(docs / "assets" / "data", site.data, site.evidence["findings"].values(),
               site.as_of)
    (docs / "nav.yml").write_text(yaml.safe_dump(nav, sort_keys=False), encoding="utf-8")
    return count


def _copy_content(site: SiteState, docs: Path) -> list[dict[str, str]]:
    """Hand-written pages: the project's content/ folder, else the bundled default."""
    user = site.config.root / "content"
    source = user if site.config.path and user.is_dir() else bundled("content")
    nav = []
    for path in sorted(p for p in source.glob("*.md") if p.is_file()):  # no folders, FIFOs
        nav.append({_title_of(path): path.name})
        shutil.copyfile(path, docs / path.name)
    return nav


def _copy_queries(docs: Path) -> None:
    """Each metric's SQL (included fragments expanded), linked from the methods page."""
    target = docs / "queries"
    target.mkdir(parents=True, exist_ok=True)
    for query in load_queries().values():
        (target / query.path.name).write_text(query.sql, encoding="utf-8")
    for helper in sorted(bundled("queries").glob("_*.sql")):  # the rules the methods link
        (target / helper.name).write_text(helper.read_text(encoding="utf-8"), encoding="utf-8")


def _title_of(path: Path) -> str:
    try:
        text = read_text_file(path, "page")
    except ValueError as exc:
        raise BuildError(f"{path.parent.name}/{path.name}: {exc}") from None
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").capitalize()
