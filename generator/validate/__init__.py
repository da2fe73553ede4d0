"""Validate: the canonical tables in, a data-quality report out.

In: a connection holding the ingested export, the config, the as-of date, the
`IngestReport`. Out: a `ValidationReport` (tables, findings by severity, which evidence
the export can support, every deal accounted for), and the same as counts only for the
site's Data quality page.
Only findings of severity `error` fail `crmproof validate` (exit code 3).
"""

from __future__ import annotations

from ..metrics import Capability
from .checks import MESSAGES, check, page_context
from .deals import REASONS, reconciliation_lines, window
from .report import SEVERITIES, Finding, TableSummary, ValidationReport

__all__ = ["MESSAGES", "REASONS", "SEVERITIES", "Capability", "Finding", "TableSummary",
           "ValidationReport", "check", "page_context", "reconciliation_lines", "window"]
