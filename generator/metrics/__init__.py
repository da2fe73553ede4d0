"""Metrics: the SQL in `queries/`, loaded once and run by name over the canonical tables.

In: a DuckDB connection holding the canonical tables, and `metric_params` from the config.
Out: `Result`s (column names and rows), one per metric query.
"""

from __future__ import annotations

from .queries import Query, get_query, helper_query, load_queries
from .run import Result, metric_params, run_query

__all__ = ["Query", "Result", "get_query", "helper_query", "load_queries", "metric_params",
           "run_query"]
