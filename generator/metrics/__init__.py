"""Metrics: the SQL in `queries/`, loaded once and run by name over the canonical tables.

In: a DuckDB connection holding the canonical tables, and `metric_params` from the config.
Out: `Result`s (column names and rows), one per metric query, and the export's
`Capabilities`: which measures its facts support (each query's `-- needs:`), read by
validate, the site's pages and, as bound parameters, by the tier rules.
"""

from __future__ import annotations

from .capabilities import FACTS, MEASURES, Capabilities, Capability, capabilities_of
from .queries import Query, get_query, helper_query, load_queries
from .run import Result, metric_params, run_query, window_params

__all__ = ["FACTS", "MEASURES", "Capabilities", "Capability", "Query", "Result",
           "capabilities_of", "get_query", "helper_query", "load_queries", "metric_params",
           "run_query", "window_params"]
