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


def connect(path: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with UTC session time (results never need pytz)."""
    con = duckdb.connect(path)
    con.execute("set TimeZone = 'UTC'")
    return con


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
