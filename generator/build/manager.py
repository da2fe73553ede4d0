"""The manager's copy: the same project and queries as the reps' site, plus the coaching log.

coaching log -> queries (with each rep's agreed window) -> coaching -> pages -> mkdocs ->
publish, into a folder of its own (never the reps' site's: `site.check_output`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import coaching, site
from ..config import Config, ladder
from ..db import release_cached_blocks
from ..digest import SUMMARY_QUERIES
from ..errors import DataError
from ..metrics import get_query, window_params
from ..sample import demo_coaching_log
from ..validate import Finding
from .cache import tree_hashes
from .project import Project, export_folder

MANAGER_QUERIES = tuple(dict.fromkeys(("adoption_tier", "window_board", "rep_signals",
                                       *SUMMARY_QUERIES, "outcomes_by_rep_period")))
DEMO_LOG = "the demo coaching log"


def _shown(path: Path, config: Config) -> str:
    try:
        return str(path.resolve().relative_to(config.root))
    except ValueError:
        return str(path)


def log_fingerprint(config: Config, data: Path | None) -> list:
    """What the manager's copy reads besides the export: the coaching log's bytes."""
    path = coaching.find_log(config, export_folder(config, data))
    return ["demo" if path is None else str(path), tree_hashes(path) if path else []]


def _reps(con) -> list[coaching.RepRef]:
    rows = con.execute("select rep_id, name, email from reps where is_rep order by rep_id")
    return [coaching.RepRef(*row) for row in rows.fetchall()]


def log_finding(config: Config, con, data: Path | None) -> Finding | None:
    """`crmproof validate`'s line about the coaching log, when there is one."""
    path = coaching.find_log(config, export_folder(config, data))
    if path is None:
        return None
    shown = _shown(path, config)
    try:
        log = coaching.read_log(path, _reps(con), len(ladder(config)), shown=shown)
    except DataError as error:
        return Finding("error", "coaching_log", "coaching log", 1, str(error))
    reps = len({entry.rep_id for entry in log.entries})
    return Finding("info", "coaching_log", "coaching log", len(log.entries),
                   f"coaching log {shown}: {len(log.entries)} entries for {reps} reps")


def open_coaching_log(project: Project, data: Path | None) -> tuple[coaching.CoachingLog, str]:
    """The checked coaching log and how to name it: the project's, else the demo's."""
    reps = _reps(project.con)
    levels = len(ladder(project.config))
    path = coaching.find_log(project.config, export_folder(project.config, data))
    if path is None and project.demo:
        return coaching.read_log(None, reps, levels, text=demo_coaching_log(),
                                 shown=DEMO_LOG), DEMO_LOG
    if path is None:
        return coaching.CoachingLog(None), "no coaching log yet: coaching/log.csv"
    shown = _shown(path, project.config)
    return coaching.read_log(path, reps, levels, shown=shown), shown


def with_windows(project: Project, log: coaching.CoachingLog) -> dict[str, Any]:
    """The build's query parameters with each rep's daily window agreed in the log."""
    return {**project.params, **window_params(project.config, coaching.agreed_windows(log))}


def query_params(project: Project, name: str, data: Path | None) -> dict[str, Any]:
    """What `crmproof query NAME` binds: the build's parameters and, for a query that reads
    the agreed daily windows, the coaching log's, as the manager's copy has them."""
    if not any(param.startswith("window_") for param in get_query(name).parameters):
        return project.params
    log, _ = open_coaching_log(project, data)
    return with_windows(project, log)


def known_inputs(project: Project) -> dict[str, bool] | None:
    """Which inputs of the 1:1 patterns the export holds (None: assume all)."""
    caps = project.capabilities
    if caps is None:
        return None
    return {"logins": caps.has("logins.login_at"), "creators": caps.has("creators"),
            "activities": caps.count_of("activities_rows") > 0,
            "entry_times": caps.has("entry_times")}


def build_manager(project: Project, timer: Callable[..., Any], work_dir: Path, out: Path,
                  data: Path | None) -> tuple[int, dict[str, Any]]:
    """Build and publish the manager's copy; return its page count and the build summary."""
    log, shown = timer("coaching log", open_coaching_log, project, data)
    params = with_windows(project, log)
    state = site.SiteState(project.con, project.config, params, project.ingest,
                           demo=project.demo, capabilities=project.capabilities,
                           today=project.today)
    timer("queries", site.run_queries, state, MANAGER_QUERIES)
    release_cached_blocks(project.con)  # what follows reads the results, and small checks
    state.people = site.people(project.con, "named")
    view = timer("coaching", coaching.coach, state.rows, project.config, log, project.as_of,
                 known_inputs(project))
    summary = site.build_summary(state)
    docs, built = work_dir / "docs", work_dir / "site"
    count = timer("pages", site.write_manager_docs, state, view, log, shown, docs)
    site.write_assets(docs, "manager")
    timer("mkdocs", site.build_html, project.config, docs, built, work_dir, project.as_of,
          "manager")
    timer("publish", site.publish, built, out, "manager")
    return count, summary
