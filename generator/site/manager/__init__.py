"""The manager's copy of the site: named 1:1 sheets, the agreed-window board, the ladder.

A second audience of the same pipeline: it reads the same `SiteState` (same ingest, same
queries) plus the `Coaching` view, and writes its own docs folder for its own MkDocs
build. Data flows one way: nothing here is read by the reps' site.
"""

from __future__ import annotations

from .pages import manager_pages, write_manager_docs
from .sheets import sheet_slugs

__all__ = ["manager_pages", "sheet_slugs", "write_manager_docs"]
