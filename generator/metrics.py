"""Metric queries: one `queries/<name>.sql` file each, loaded once, run by name.

A query file starts with `--` comment lines: the first is its one-line description,
the rest define its output columns. Values go in as bound parameters (`$as_of`),
never formatted into the SQL text.

A line `-- requires: _helper` (in the query or a fragment it includes) names a helper file
`queries/_helper.sql` that builds temp tables from the same parameters, e.g. measures several
queries share. `run_query` runs it first; given a `prepared` set it runs each helper at most
once for that set (one connection, one parameter set), so shared work is done once per build.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from .config import Config
from .errors import QueryError
from .resources import bundled

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Query:
    """A metric query; `sql` has its `-- include:` fragments expanded, ready to run.

    `segments` maps runs of lines of `sql` back to the file they came from, as
    (first line in sql, file, first line in that file), so errors name the right place.
    """

    name: str
    description: str
    columns_doc: str
    sql: str
    path: Path
    segments: tuple[tuple[int, Path, int], ...] = ()

    @property
    def parameters(self) -> tuple[str, ...]:
        body = "\n".join(line.split("--", 1)[0] for line in self.sql.splitlines())
        return tuple(sorted(set(_PARAM.findall(body))))

    @property
    def requires(self) -> tuple[str, ...]:
        """Helper files (`_name`) to run before this query, in order of first mention."""
        names = (_REQUIRES.match(line) for line in self.sql.splitlines())
        return tuple(dict.fromkeys(match.group(1) for match in names if match))

    def source_of(self, line: int) -> str:
        """'file:line' for a line number of the expanded SQL."""
        start, path, first = max((seg for seg in self.segments if seg[0] <= line),
                                 default=(1, self.path, 1))
        return f"{path}:{first + line - start}"


@dataclass(frozen=True)
class Result:
    """A query's rows as plain tuples plus its column names."""

    columns: tuple[str, ...]
    rows: list[tuple]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


_INCLUDE = re.compile(r"^-- include: (_[a-z0-9_]+\.sql)\s*$")
_REQUIRES = re.compile(r"^-- requires: (_[a-z0-9_]+)\s*$")


def _expand(path: Path, seen: tuple[Path, ...] = ()
            ) -> tuple[str, tuple[tuple[int, Path, int], ...]]:
    """The file's text with each `-- include: _fragment.sql` line replaced by that file
    (fragments may include fragments)."""
    if path in seen:
        raise QueryError(f"{seen[-1]}: {path.name} includes itself")
    lines: list[str] = []
    segments = [(1, path, 1)]
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _INCLUDE.match(line)
        if not match:
            lines.append(line)
            continue
        fragment = path.parent / match.group(1)
        if not fragment.is_file():
            raise QueryError(f"{path}:{number}: included file {match.group(1)} not found")
        text, inner = _expand(fragment, (*seen, path))
        offset = len(lines)
        segments.extend((offset + start, file, first) for start, file, first in inner)
        lines.extend(text.splitlines())
        segments.append((len(lines) + 1, path, number + 1))
    return "\n".join(lines) + "\n", tuple(segments)


def _parse(path: Path) -> Query:
    sql, segments = _expand(path)
    header = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if not _REQUIRES.match(line):
            header.append(line[2:].strip())
    if not header or not header[0]:
        raise QueryError(f"{path}:1: a query must start with a '-- description' line")
    return Query(path.stem, header[0], "\n".join(header[1:]).strip(), sql, path, segments)


@cache
def load_queries(folder: Path | None = None) -> dict[str, Query]:
    """All metric queries by name; files starting with '_' are helpers, not metrics."""
    folder = folder or bundled("queries")
    return {path.stem: _parse(path) for path in sorted(folder.glob("*.sql"))
            if not path.name.startswith("_")}


def get_query(name: str) -> Query:
    queries = load_queries()
    if name not in queries:
        raise QueryError(f"unknown query '{name}'; 'crmproof query --list' shows the "
                         f"{len(queries)} available")
    return queries[name]


@cache
def _helper(path: Path) -> Query:
    if not path.is_file():
        raise QueryError(f"required helper {path.name} not found")
    return _parse(path)


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any],
              prepared: set[str] | None = None) -> Result:
    """Run a metric by name with only the parameters it uses; errors name file and line.

    Helpers the query requires run first; pass the same `prepared` set to every call on one
    connection with one parameter set (as a build does) to run each helper only once.
    Without it the helpers run on every call, so results always reflect the current data.
    """
    query = get_query(name)
    _prepare(con, query, params, set() if prepared is None else prepared)
    cursor = _execute(con, query, params)
    try:
        rows = cursor.fetchall()  # DuckDB 2.x: fetchall is the stable call
    except duckdb.Error as exc:
        line = _line_of(exc)
        where = query.source_of(int(line[1:])) if line else str(query.path)
        raise QueryError(f"{where}: {str(exc).splitlines()[0]}") from exc
    return Result(tuple(col[0] for col in cursor.description), rows)


def _prepare(con: duckdb.DuckDBPyConnection, query: Query, params: dict[str, Any],
             prepared: set[str]) -> None:
    """Run the helpers `query` requires (and theirs, first) that are not in `prepared`."""
    for name in query.requires:
        if name not in prepared:
            prepared.add(name)
            helper = _helper(query.path.parent / f"{name}.sql")
            _prepare(con, helper, params, prepared)
            _execute(con, helper, params)


def _execute(con: duckdb.DuckDBPyConnection, query: Query,
             params: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    """Run a query or helper with only the parameters it uses; errors name file and line."""
    bound = {key: params[key] for key in query.parameters if key in params}
    missing = [key for key in query.parameters if key not in params]
    if missing:
        raise QueryError(f"{query.path}: needs parameter(s) {', '.join(missing)}")
    try:
        return con.execute(query.sql, bound)
    except duckdb.Error as exc:
        line = _line_of(exc)
        where = query.source_of(int(line[1:])) if line else str(query.path)
        raise QueryError(f"{where}: {str(exc).splitlines()[0]}") from exc


def _line_of(exc: Exception) -> str:
    match = re.search(r"LINE (\d+)", str(exc))
    return f":{match.group(1)}" if match else ""


def run_script(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Run a helper SQL file (macros, views) that returns nothing."""
    try:
        con.execute(path.read_text(encoding="utf-8"))
    except duckdb.Error as exc:
        raise QueryError(f"{path}{_line_of(exc)}: {str(exc).splitlines()[0]}") from exc


_ISO_DAY = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}


def metric_params(config: Config, as_of: dt.date) -> dict[str, Any]:
    """Every bound parameter a metric query may use, from the config and the as-of date.

    `as_of` is a date: the last day included in the latest period.
    """
    program = config["program"]
    start = program["start_date"]
    if start is None:  # the 12 program weeks that end with the as-of week
        monday = as_of - dt.timedelta(days=as_of.weekday())
        start = monday - dt.timedelta(weeks=program["weeks"] - 1)
    params: dict[str, Any] = {
        "as_of": as_of,
        "period_days": config["period_days"],
        "history_periods": config["history_periods"],
        "workdays": [_ISO_DAY[day] for day in config["workdays"]],
        "holidays": [str(day) for day in config["holidays"]],
        "tz": config["timezone"],
        "min_n": config["min_n"],
        "program_start": dt.date.fromisoformat(str(start)),
        "program_weeks": program["weeks"],
        "program_min_active_days": program["min_active_days"],
        "stale_days": config["cost"]["stale_days"],
    }
    params.update(config["tiers"])
    return params
