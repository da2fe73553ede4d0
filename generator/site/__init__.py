"""Site: one build's data in, the published HTML site out.

In: a connection with the canonical tables, the config and query parameters, the
`IngestReport`. Out: the MkDocs docs folder (team pages, per-rep pages, stories, methods,
data quality), the HTML site built from it (`mkdocs`) and swapped into the output folder
(`publish`). The steps (`steps`) fill one `SiteState` in order: queries, evidence, charts.
"""

from __future__ import annotations

from .markup import asset_prefix
from .mkdocs import mkdocs_build, write_assets
from .people import Person, people
from .publish import publish
from .render import Page
from .state import SiteState
from .steps import compute_evidence, render_charts, run_queries, write_docs

__all__ = ["Page", "Person", "SiteState", "asset_prefix", "compute_evidence", "mkdocs_build",
           "people", "publish", "render_charts", "run_queries", "write_assets", "write_docs"]
