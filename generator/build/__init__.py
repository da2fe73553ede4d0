"""Build: the commands' orchestration, from options to a published site.

In: `BuildOptions` (config path, export folder, format, as-of, output folder...).
Out: the site (the reps' or, with `audience="manager"`, the manager's copy) in the output
folder and a `BuildResult`; each build's summary in the history next to it, which
`make_digest` compares with; `open_project` gives the other commands (query, validate,
stories, digest) the same ingested export through the same cache.

load_config -> ingest -> queries -> evidence -> charts -> pages -> mkdocs -> publish
"""

from __future__ import annotations

from .cache import CACHE_NAME, BuildCache
from .digesting import DigestOptions, make_digest, since_date
from .history import History
from .manager import query_params
from .pipeline import STAGES, BuildOptions, BuildResult, build
from .project import Export, Project, export_folder, latest_date, open_export, open_project
from .quality import validate_project
from .serving import serve

__all__ = ["CACHE_NAME", "STAGES", "BuildCache", "BuildOptions", "BuildResult",
           "DigestOptions", "Export", "History", "Project", "build", "export_folder",
           "latest_date", "make_digest", "open_export", "open_project", "query_params", "serve",
           "since_date", "validate_project"]
