"""`crmproof digest`: what changed since the previous build, or since a given date.

The current state is measured from the export as of its as-of date; the baseline is the
summary the previous build kept next to the output (`history`), or, with `--since`, the
same export measured as of that date (every period measure uses only what had been entered
by then). The manager's digest names reps and adds the follow-ups due or overdue.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import coaching, digest, site
from ..config import load_config
from ..errors import ConfigError
from ..metrics import metric_params
from .cache import BuildCache
from .history import History
from .manager import open_coaching_log
from .project import Project, open_project

DIGEST_QUERIES = (*digest.SUMMARY_QUERIES, "outcomes_by_rep_period")
DEFAULT_SINCE = dt.timedelta(days=7)  # when no earlier build was kept
_RELATIVE = re.compile(r"^(\d+)\s*([dw])$")


@dataclass
class DigestOptions:
    config_path: Path | None = None
    data: Path | None = None
    fmt: str | None = None
    as_of: dt.date | None = None
    since: str | None = None  # YYYY-MM-DD, Nd or Nw
    audience: str = "rep"
    output: str = "md"
    today: dt.date | None = None  # the build day (see build.project)
    out: Path = Path("site")  # the site whose kept summaries are the previous builds


def since_date(text: str, as_of: dt.date) -> dt.date:
    """`2026-09-01`, `7d` or `2w` (before as-of) as a date before `as_of`."""
    match = _RELATIVE.match(text.strip().lower())
    if match:
        count = int(match[1]) * (7 if match[2] == "w" else 1)
        day = as_of - dt.timedelta(days=count)
    else:
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise ConfigError(f"--since: expected a date YYYY-MM-DD or a span like 7d or 2w, "
                              f"got {text!r}") from None
    if day >= as_of:
        raise ConfigError(f"--since {text}: {day} is not before the as-of date {as_of}")
    return day


def _summary(project: Project, as_of: dt.date) -> tuple[dict[str, Any], site.SiteState]:
    params = {**metric_params(project.config, as_of),
              **(project.capabilities.params() if project.capabilities else {})}
    state = site.SiteState(project.con, project.config, params, project.ingest,
                           demo=project.demo, capabilities=project.capabilities,
                           today=project.today)
    site.run_queries(state, DIGEST_QUERIES)
    return site.build_summary(state), state


def _follow_ups(project: Project, data: Path | None, names: dict[str, str]
                ) -> list[dict[str, str]]:
    log, _ = open_coaching_log(project, data)
    days = project.config["coaching"]["follow_up_days"]
    found = []
    for rep_id, name in names.items():
        follow = coaching.next_follow_up(log.of(rep_id), project.as_of, days)
        if follow is not None and follow.status in ("due", "overdue"):
            found.append({"rep": name, "date": follow.day.isoformat(), "status": follow.status})
    return sorted(found, key=lambda f: (f["date"], f["rep"]))


def make_digest(options: DigestOptions) -> str:
    """The digest as text in `options.output` (md, html or json)."""
    config = load_config(options.config_path)
    out = Path(options.out).resolve()
    project = open_project(config=config, data=options.data, fmt=options.fmt,
                           as_of=options.as_of, cache=BuildCache(out), today=options.today)
    try:
        current, state = _summary(project, project.as_of)
        if options.since:
            baseline = _summary(project, since_date(options.since, project.as_of))[0]
        else:
            baseline = History(out).previous(current["as_of"]) or _summary(
                project, project.as_of - DEFAULT_SINCE)[0]
        changes = digest.compare(baseline, current)
        if options.audience == "manager":
            names = {rep: p.label for rep, p in site.people(project.con, "named").items()}
            follow_ups = _follow_ups(project, options.data, names)
        else:
            names, follow_ups = site.rep_names(state), None
        data = digest.digest_data(changes, options.audience, names, follow_ups,
                                  config["site"]["url"])
    finally:
        project.con.close()
    return digest.render(data, config["site"]["team_name"], options.output)
