"""Build: the whole pipeline as a short sequence of named steps.

load_config -> ingest -> run_queries -> evidence -> charts -> pages -> mkdocs -> publish

The output folder is checked before anything runs (`output`: never a folder crmproof did
not build) and locked for the build. Everything is written into a temporary directory
next to the output; `site/` is replaced only after `mkdocs build --strict` succeeded, in
one system call (`site.publish`), and files whose bytes did not change keep their old
inode and mtime, so a rebuild with no changes rewrites nothing.

Nightly CI rebuilds mostly unchanged data, so `.crmproof-cache/` (next to the output)
keeps the ingested database keyed by the exports' content hashes, and a stamp of the
whole build: when neither data, config, content nor crmproof itself changed, the build
stops after hashing and leaves `site/` alone.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import site
from ..config import Config, load_config
from ..db import release_cached_blocks
from ..errors import CrmproofError
from ..ingest import TABLES, IngestReport
from .cache import BuildCache, code_fingerprint, digest, output_path, tree_hashes
from .history import History
from .lock import WORK_PREFIX, build_lock, clear_leftovers, disk_full_reported
from .manager import build_manager, log_fingerprint
from .output import check_output, prepare_parent
from .project import Project, export_folder, format_fingerprint, latest_record, open_project
from .quality import check_strict, validation_errors

STAGES = ("ingest", "queries", "evidence", "charts", "pages", "mkdocs", "publish")


@dataclass
class BuildOptions:
    config_path: Path | None = None
    data: Path | None = None
    out: Path = Path("site")
    as_of: dt.date | None = None
    fmt: str | None = None
    strict: bool = False
    today: dt.date | None = None  # --strict compares the data's age to this (default: today)
    cache: bool = True
    audience: str = "rep"  # or "manager": the manager's copy (see build.manager)
    progress: Callable[[str], None] = lambda step: None
    finished: Callable[[str, float], None] = lambda step, seconds: None


@dataclass
class BuildResult:
    out: Path
    as_of: dt.date
    pages: int
    ingest: IngestReport | None
    timings: dict[str, float] = field(default_factory=dict)
    demo: bool = False
    unchanged: bool = False  # nothing changed since the last build: site/ left untouched
    summary: dict = field(default_factory=dict)


class _Timer:
    def __init__(self, options: BuildOptions) -> None:
        self.timings: dict[str, float] = {}
        self.options = options

    def __call__(self, name: str, func, *args, **kwargs):
        self.options.progress(name)
        start = time.perf_counter()
        result = func(*args, **kwargs)
        self.timings[name] = round(time.perf_counter() - start, 3)
        self.options.finished(name, self.timings[name])
        return result


def build(options: BuildOptions) -> BuildResult:
    """Build the site into `options.out`; raise a CrmproofError subclass on any problem."""
    config = load_config(options.config_path)
    site.check_engine(config)
    out = output_path(options.out)
    folder = export_folder(config, options.data)
    site.check_output(out, options.audience)  # the manager's copy never mixes with the site
    check_output(out, {"crmproof.yml and content/": config.root if config.path else None,
                       "the export files": folder})
    prepare_parent(out)
    with build_lock(out.parent):
        clear_leftovers(out.parent)
        cache = BuildCache(out)
        if options.cache:
            cache.check()
        with disk_full_reported(out):
            return _build_locked(options, config, out, cache, folder)


def _build_locked(options: BuildOptions, config: Config, out: Path, cache: BuildCache,
                  folder: Path | None) -> BuildResult:
    timer = _Timer(options)
    history = History(out)
    inputs = cache.inputs_fingerprint(folder)
    key = _build_key(options, config, inputs, history)
    summary = cache.unchanged(key) if options.cache else None
    if summary is not None:
        if options.strict:
            check_strict(summary, config, options.today)
        return BuildResult(out, dt.date.fromisoformat(summary["as_of"]), summary["pages"], None,
                           timer.timings, summary["demo"], unchanged=True, summary=summary)
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX, dir=out.parent) as work:
        work_dir = Path(work)
        project = timer("ingest", open_project, config=config, data=options.data,
                        fmt=_format(options, config), as_of=options.as_of,
                        cache=cache if options.cache else None, work=work_dir,
                        strict=options.strict, today=options.today)
        try:
            summary = _summary(project)
            if options.strict:
                summary["validation_errors"] = validation_errors(project)
                check_strict(summary, config, options.today)
            if options.audience == "manager":
                count, kept = build_manager(project, timer, work_dir, out, options.data)
            else:
                count, kept = _build_site(project, timer, work_dir, out,
                                          history if options.cache else None,
                                          cache.folder() if options.cache else None)
        finally:
            project.con.close()
    summary["pages"] = count
    if options.cache:
        history.save(kept)
        cache.save_stamp(_build_key(options, config, inputs, history), summary)
    return BuildResult(out, project.as_of, count, project.ingest, timer.timings, project.demo,
                       summary=summary)


def _build_site(project: Project, timer: _Timer, work_dir: Path, out: Path,
                history: History | None, cache_dir: Path | None) -> tuple[int, dict]:
    """queries -> evidence -> charts -> pages -> mkdocs -> publish; returns the page count
    and the build's digest summary (its feed holds the earlier builds' summaries too)."""
    docs = work_dir / "docs"
    site.prefetch_assets(cache_dir)
    state = site.SiteState(project.con, project.config, project.params, project.ingest,
                           demo=project.demo, capabilities=project.capabilities,
                           today=project.today)
    timer("queries", site.run_queries, state)
    release_cached_blocks(project.con)  # what follows reads the results, and small checks
    timer("evidence", site.compute_evidence, state)
    timer("charts", site.render_charts, state)
    count = timer("pages", site.write_docs, state, docs)
    kept = site.build_summary(state)
    site.write_feed(state, docs, history.with_current(kept) if history else [kept])
    site.write_assets(docs)
    built = work_dir / "site"
    timer("mkdocs", site.build_html, project.config, docs, built, work_dir, project.as_of,
          "rep", True)
    timer("publish", site.publish, built, out)
    return count, kept


# ---- inputs and the cache -------------------------------------------------------------
def _format(options: BuildOptions, config: Config) -> str:
    return options.fmt or config["data"]["format"]


def _build_key(options: BuildOptions, config: Config, inputs: list, history: History) -> str:
    """Everything the site's bytes depend on: data, config, project files, crmproof itself,
    the audience (and the manager's coaching log), the summaries the feed is made of, and
    the site engine's version."""
    project_files = []
    if config.path:
        project_files = [tree_hashes(config.root / name) for name in ("content", "templates")]
        if config["site"]["logo"]:
            project_files.append(tree_hashes(config.resolve(config["site"]["logo"])))
    audience = [options.audience, log_fingerprint(config, options.data)
                if options.audience == "manager" else None]
    return digest(inputs, config.values, format_fingerprint(_format(options, config)),
                  options.as_of, options.strict, project_files, code_fingerprint(), audience,
                  history.fingerprint() if options.cache else None, site.engine_versions(config))


# ---- what the data holds, and --strict ------------------------------------------------
def _summary(project: Project) -> dict:
    """As-of date, newest record and row counts per table: shown on the site, used by --strict."""
    latest = latest_record(project.con, project.today)
    rows = {table: project.con.execute(f'select count(*) from "{table}"').fetchall()[0][0]
            for table in TABLES}
    return {"as_of": project.as_of.isoformat(), "latest": latest and latest.isoformat(),
            "rows": rows, "missing_tables": list(project.ingest.missing_tables),
            "demo": project.demo, "pages": 0}



__all__ = ["BuildOptions", "BuildResult", "CrmproofError", "build"]
