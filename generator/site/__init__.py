"""Site: one build's data in, the published HTML site out.

In: a connection with the canonical tables, the config and query parameters, the
`IngestReport`. Out: the MkDocs docs folder (team pages, per-rep pages, stories, methods,
data quality), the HTML site built from it (`engines`: `mkdocs`, or Zensical) and swapped
into the output folder (`publish`). The steps (`steps`) fill one `SiteState` in order:
queries, evidence, charts.
The same state also gives the build's digest summary and the reps' Atom feed (`summary`),
and, with the `Coaching` view, the manager's copy (`manager/`), a separate docs folder
and MkDocs build that the reps' site never reads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Light, and bound now (`people` is named like its module, which an import would shadow).
from .engines import build_html, check_engine, engine_versions
from .people import Person, people
from .publish import MARKER, check_output, is_crmproof_site, publish, site_audience

# name -> the module that defines it, imported on first use (PEP 562): a build that finds
# nothing changed needs `check_output` only, not Altair, NumPy and the theme (0.6 s). No
# name here may be a module's name (importing the module would shadow it).
_EXPORTS = {
    "write_manager_docs": "manager", "asset_prefix": "markup", "AUDIENCES": "mkdocs",
    "mkdocs_build": "mkdocs", "write_assets": "mkdocs", "prefetch_assets": "mkdocs",
    "Page": "render", "SiteState": "state",
    "compute_evidence": "steps", "render_charts": "steps", "run_queries": "steps",
    "write_docs": "steps", "build_summary": "summary", "rep_names": "summary",
    "write_feed": "summary",
}

if TYPE_CHECKING:
    from .manager import write_manager_docs
    from .markup import asset_prefix
    from .mkdocs import AUDIENCES, mkdocs_build, prefetch_assets, write_assets
    from .render import Page
    from .state import SiteState
    from .steps import compute_evidence, render_charts, run_queries, write_docs
    from .summary import build_summary, rep_names, write_feed


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = ["AUDIENCES", "MARKER", "Page", "Person", "SiteState", "asset_prefix",
           "build_html", "build_summary", "check_engine", "check_output", "compute_evidence",
           "engine_versions", "is_crmproof_site", "mkdocs_build", "people", "prefetch_assets",
           "publish", "rep_names", "render_charts", "run_queries", "site_audience",
           "write_assets", "write_docs", "write_feed", "write_manager_docs"]
