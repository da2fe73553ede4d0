"""Build: the commands' orchestration, from options to a published site.

In: `BuildOptions` (config path, export folder, format, as-of, output folder...).
Out: the site in the output folder and a `BuildResult`; `open_project` gives the other
commands (query, validate, stories) the same ingested export through the same cache.

load_config -> ingest -> queries -> evidence -> charts -> pages -> mkdocs -> publish
"""

from __future__ import annotations

from .cache import CACHE_NAME, BuildCache
from .pipeline import STAGES, BuildOptions, BuildResult, build
from .project import Export, Project, export_folder, latest_date, open_export, open_project
from .quality import validate_project
from .serving import serve

__all__ = ["CACHE_NAME", "STAGES", "BuildCache", "BuildOptions", "BuildResult", "Export",
           "Project", "build", "export_folder", "latest_date", "open_export", "open_project",
           "serve", "validate_project"]
