"""Running metric queries by name, with only the bound parameters each one uses.

Values go in as bound parameters (`$as_of`), never formatted into the SQL text. A helper a
query requires (`-- requires: _helper`) runs first; given a `prepared` set it runs at most
once for that set (one connection, one parameter set), so shared work is done once per build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NamedTuple

import duckdb

from ..config import Config, parse_window
from ..db import line_of
from ..errors import QueryError
from .queries import Query, get_query, helper_query


class Result:
    """A query's rows as plain tuples plus its column names.

    Fetched with `run_query(..., as_arrays=True)` it holds NumPy columns instead (`array`),
    made without a Python object per number; `rows` is then built from them on first use.
    A text column whose values repeat is held as small unsigned codes into its values
    (`_Coded`): one or two bytes a row, where an array of objects holds an 8-byte pointer.
    """

    def __init__(self, columns: tuple[str, ...], rows: list[tuple] | None = None,
                 arrays: dict[str, Any] | None = None) -> None:
        self.columns = tuple(columns)
        self._rows = rows
        self._arrays = arrays

    @property
    def rows(self) -> list[tuple]:
        if self._rows is None:
            self._rows = list(zip(*(self._held(c).tolist() for c in self.columns), strict=True))
        return self._rows

    def array(self, column: str):
        """One column as a NumPy array: NULL as NaN in a float column, else as None. A coded
        or masked column is made on each call (a caller that drops it frees it); any other is
        the held array itself."""
        import numpy as np  # only the evidence and the rep pages need it

        if self._arrays is None:
            index = self.columns.index(column)
            values = np.empty(len(self.rows), dtype=object)
            values[:] = [row[index] for row in self.rows]
            return values
        values = self._held(column)
        if not isinstance(values, np.ma.MaskedArray):
            return values
        if values.dtype.kind == "f":
            return values.filled(np.nan)
        plain = values.data.astype(object)
        plain[np.ma.getmaskarray(values)] = None
        return plain

    def arrays(self) -> Mapping[str, Any]:
        """Every column by name, each made by `array` when it is read."""
        return _Columns(self)

    def factorized(self, column: str) -> tuple[Any, list]:
        """(codes, values): each row's value as an index into `values` (NumPy integers)."""
        import numpy as np

        held = self._arrays.get(column) if self._arrays is not None else None
        if isinstance(held, _Coded):
            return held.codes, held.lookup.tolist()
        index: dict[Any, int] = {}
        values = self.array(column).tolist()
        codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.intp,
                            count=len(values))
        return codes, list(index)

    def _held(self, column: str):
        held = self._arrays[column]
        return held.lookup[held.codes] if isinstance(held, _Coded) else held

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Result) and self.columns == other.columns
                and self.rows == other.rows)

    def __repr__(self) -> str:
        held = "as arrays" if self._rows is None else len(self._rows)
        return f"Result(columns={self.columns!r}, rows={held})"


class _Coded(NamedTuple):
    codes: Any  # a NumPy array of unsigned integers, one per row
    lookup: Any  # a NumPy object array: the values, then None (the code of NULL)


class _Columns(Mapping):
    def __init__(self, result: Result) -> None:
        self._result = result

    def __getitem__(self, column: str):
        if column not in self._result.columns:
            raise KeyError(column)
        return self._result.array(column)

    def __iter__(self) -> Iterator[str]:
        return iter(self._result.columns)

    def __len__(self) -> int:
        return len(self._result.columns)


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any],
              prepared: set[str] | None = None, as_arrays: bool = False,
              only: tuple[str, ...] | None = None) -> Result:
    """Run a metric by name with only the parameters it uses; errors name file and line.

    Helpers the query requires run first; pass the same `prepared` set to every call on one
    connection with one parameter set (as a build does) to run each helper only once.
    Without it the helpers run on every call, so results always reflect the current data.
    `as_arrays` fetches the result as NumPy columns (for a row per deal: several times faster),
    `only` those columns of it when given (in the query's order).
    """
    query = get_query(name)
    _prepare(con, query, params, set() if prepared is None else prepared)
    if as_arrays:
        return _fetch_arrays(con, query, params, only)
    cursor = _execute(con, query, params)
    columns = tuple(col[0] for col in cursor.description)
    with _reported(con, query):
        rows = _fetched_rows(cursor)
    return Result(columns, rows)


_SHARED_TYPES = (str, dt.date)  # immutable, and equal values are alike in every way
# A result this long is fetched in parts of this many rows, and each part's texts and dates
# share the objects of the parts before it: a row per rep and week of 1,000 reps (53,000
# rows, 0.06 s), and at 5,000 reps the weeks, periods and program weeks too. Shorter
# results, of smaller teams far from the memory cap, are fetched at once.
SHARED_FROM_ROWS = 50_000


def _fetched_rows(cursor: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Every row of the cursor's result. DuckDB makes a new string and date per value: the
    row per rep and week held 265,000 copies of 5,000 reps' IDs and of 53 week starts at
    5,000 reps, while DuckDB held its whole cap; fetched in parts, the copies of one part
    are let go before the next is made."""
    rows = cursor.fetchmany(SHARED_FROM_ROWS)
    if len(rows) < SHARED_FROM_ROWS:
        return rows
    shares: dict[int, Any] = {}
    rows = _shared_values(rows, shares)
    while part := cursor.fetchmany(SHARED_FROM_ROWS):
        rows += _shared_values(part, shares)
    return rows


def _shared_values(rows: list[tuple], shares: dict[int, Any]) -> list[tuple]:
    """The rows with each text and date one object per value, across every call with the
    same `shares` (column index -> `setdefault` of that column's values seen so far). A
    column holds one type (or NULL), so its first value decides."""
    if not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    for index, values in enumerate(columns):
        share = shares.get(index)
        if share is None:
            first = next((v for v in values if v is not None), None)
            if type(first) not in _SHARED_TYPES:
                continue
            share = shares[index] = {}.setdefault
        columns[index] = tuple(map(share, values, values))
    return list(zip(*columns, strict=True))


def _prepare(con: duckdb.DuckDBPyConnection, query: Query, params: dict[str, Any],
             prepared: set[str]) -> None:
    """Run the helpers `query` requires (and theirs, first) that are not in `prepared`."""
    for name in query.requires:
        if name not in prepared:
            prepared.add(name)
            helper = helper_query(query.path.parent / f"{name}.sql")
            _prepare(con, helper, params, prepared)
            _execute(con, helper, params)


def _execute(con: duckdb.DuckDBPyConnection, query: Query,
             params: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    """Run a query or helper with only the parameters it uses; errors name file and line."""
    bound = _bound(query, params)
    with _reported(con, query):
        return con.execute(query.sql, bound)


def _bound(query: Query, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters `query` uses; a QueryError names those `params` lacks."""
    missing = [key for key in query.parameters if key not in params]
    if missing:
        raise QueryError(f"{query.path}: needs parameter(s) {', '.join(missing)}")
    return {key: params[key] for key in query.parameters}


@contextmanager
def _reported(con: duckdb.DuckDBPyConnection, query: Query) -> Iterator[None]:
    """DuckDB's errors as one-line QueryErrors naming the file and line (or, past the
    memory cap, what to do)."""
    try:
        yield
    except duckdb.OutOfMemoryException as exc:
        cap = con.execute("select current_setting('memory_limit')").fetchall()[0][0]
        raise QueryError(f"{query.path}: the export needs more memory than DuckDB's cap "
                         f"({cap}); set CRMPROOF_MEMORY_LIMIT (e.g. 4GB) on a machine that has "
                         "it, or build one site per region from partitioned exports") from exc
    except duckdb.Error as exc:
        line = line_of(exc)
        where = query.source_of(int(line[1:])) if line else str(query.path)
        raise QueryError(f"{where}: {str(exc).splitlines()[0]}") from exc


_FETCHED = "_crmproof_fetched"  # a temp table and types, dropped when the arrays are made
_SAMPLE = 20_000


def _fetch_arrays(con: duckdb.DuckDBPyConnection, query: Query, params: dict[str, Any],
                  only: tuple[str, ...] | None = None) -> Result:
    """The result as NumPy columns. A text column whose values repeat comes through an
    ENUM: NumPy then holds one Python string per distinct value, not one per row (a row per
    closed deal made eight columns of separate copies of 'grade_a', 'EUR'...: 1.7 GB at
    5,000 reps). The values and their order are the query's own."""
    bound = _bound(query, params)
    with _reported(con, query):
        # on the query's first line, so DuckDB's line numbers still point into its file
        con.execute(f"create or replace temp table {_FETCHED} as {query.sql}", bound)
        try:
            return _arrays_of_fetched(con, query, only)
        finally:
            con.execute(f"drop table if exists {_FETCHED}")
            for (kind,) in con.execute("select type_name from duckdb_types() where "
                                       f"starts_with(type_name, '{_FETCHED}_')").fetchall():
                con.execute(f'drop type if exists "{kind}"')


def _arrays_of_fetched(con: duckdb.DuckDBPyConnection, query: Query,
                       only: tuple[str, ...] | None) -> Result:
    import numpy as np  # only the evidence and the rep pages need it

    described = con.execute("select column_name, data_type from duckdb_columns() where "
                            f"database_name = 'temp' and table_name = '{_FETCHED}' "
                            "order by column_index").fetchall()
    if only is not None:
        unknown = sorted(set(only) - {name for name, _ in described})
        if unknown:
            raise QueryError(f"{query.path}: has no column {', '.join(unknown)}, which the "
                             "site reads; keep it in the query's output")
        described = [(name, kind) for name, kind in described if name in only]
    columns = tuple(name for name, _ in described)
    texts = [name for name, kind in described if kind == "VARCHAR"]
    # Values that repeat within a sample of the rows are shared (it only decides how they
    # are held; a count of the whole result cost as much as the rest of the fetch): every
    # tier and currency, and the reps' IDs of a team of 5,000, but not the deals' own IDs.
    rows, *distinct = con.execute(
        "select count(*)" + "".join(f', count(distinct "{c}")' for c in texts)
        + f" from {_FETCHED} using sample reservoir({_SAMPLE} rows) repeatable (1)"
    ).fetchall()[0]
    shared = {c for c, n in zip(texts, distinct, strict=True) if n * 2 <= rows}
    select, values = [], {}
    for index, name in enumerate(columns):
        if name not in shared:
            select.append(f'"{name}"')
            continue
        kind = f"{_FETCHED}_{index}"
        con.execute(f'create temp type "{kind}" as enum (select distinct "{name}" from '
                    f'{_FETCHED} where "{name}" is not null)')
        values[name] = con.execute(f'select enum_range(null::"{kind}")').fetchall()[0][0]
        # its code, not the ENUM itself: NumPy gets an ENUM only through pandas
        select.append(f'enum_code("{name}"::"{kind}") as "{name}"')
    fetched = con.execute(f"select {', '.join(select)} from {_FETCHED}").fetchnumpy()
    arrays = {name: fetched[name] for name in columns}
    for name, known in values.items():
        lookup = np.empty(len(known) + 1, dtype=object)
        lookup[:-1] = known  # and None, at the end, for NULL
        codes = arrays[name]
        if isinstance(codes, np.ma.MaskedArray):
            codes = codes.filled(len(known))
        arrays[name] = _Coded(codes, lookup)
    return Result(columns, arrays=arrays)


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
        # what the export holds (`capabilities`); a build replaces these defaults
        "deal_creators": True, "activity_creators": True, "entry_times": True,
        "entry_clock": True,
    }
    params.update(config["tiers"])
    params.update(window_params(config, {}))
    return params


def window_params(config: Config, agreed: dict[tuple[str, dt.date], Any]) -> dict[str, Any]:
    """The bound lists window_board.sql reads: each rep's agreed windows by the day they
    apply from ({(rep_id, day): Window}), and program.daily_window for everyone else."""
    default = parse_window(config["program"]["daily_window"])
    keys = sorted(agreed)
    return {"window_reps": [rep for rep, _ in keys], "window_from": [day for _, day in keys],
            "window_start": [agreed[key].start for key in keys],
            "window_end": [agreed[key].end for key in keys],
            "window_default_start": default.start, "window_default_end": default.end}
