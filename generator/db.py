"""DuckDB connections and SQL text helpers shared by every stage that runs SQL.

Sessions are always UTC (timestamps in the canonical tables are naive UTC); on-disk
databases get a memory cap so a large export is paged instead of held in RAM.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from .errors import QueryError

# DuckDB's own memory cap; beyond it, it spills to `<database>.tmp` next to the database.
# Its default (80% of RAM) let a 10M-activity build peak above 5 GiB.
DEFAULT_MEMORY_LIMIT = "1GB"
# After the metric queries a build's SQL is small checks; the cap drops to this, so the
# blocks DuckDB kept cached (350 MB at 1,000 reps) are handed back to the pages and engine.
AFTER_QUERIES_MEMORY_LIMIT = "256MB"


def connect(path: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with UTC session time (results never need pytz)."""
    con = duckdb.connect(path)
    con.execute("set TimeZone = 'UTC'")
    return con


def release_cached_blocks(con: duckdb.DuckDBPyConnection) -> None:
    """Lower the cap to AFTER_QUERIES_MEMORY_LIMIT (never raise it): DuckDB evicts the
    database blocks it cached, and reads them again from the file if a check needs them."""
    current = con.execute("select current_setting('memory_limit')").fetchall()[0][0]
    if _bytes(current) > _bytes(AFTER_QUERIES_MEMORY_LIMIT):
        con.execute("set memory_limit = $limit", {"limit": AFTER_QUERIES_MEMORY_LIMIT})


_UNITS = {"bytes": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KiB": 2**10,
          "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def _bytes(setting: str) -> float:
    """'953.6 MiB' (as DuckDB shows a cap) or '256MB' in bytes."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]+)\s*", setting)
    if match is None or match.group(2) not in _UNITS:
        return float("inf")  # unknown: treat as large, so the cap is lowered
    return float(match.group(1)) * _UNITS[match.group(2)]


def connect_db(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An on-disk DuckDB connection (UTC) with a memory cap (CRMPROOF_MEMORY_LIMIT)."""
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("set TimeZone = 'UTC'")
    con.execute("set enable_progress_bar = false")
    con.execute("set memory_limit = $limit",
                {"limit": os.environ.get("CRMPROOF_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)})
    return con


def sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def line_of(exc: Exception) -> str:
    """':N' for the SQL line DuckDB's message points at, else ''."""
    match = re.search(r"LINE (\d+)", str(exc))
    return f":{match.group(1)}" if match else ""


def run_script(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Run a helper SQL file (macros, views) that returns nothing."""
    try:
        con.execute(path.read_text(encoding="utf-8"))
    except duckdb.Error as exc:
        raise QueryError(f"{path}{line_of(exc)}: {str(exc).splitlines()[0]}") from exc
