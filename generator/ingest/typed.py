"""One export file parsed into its canonical table in one scan (see `insert_file`).

A mapping source says which file columns feed which canonical columns; this module turns
that into SQL: each source column's text cleaned once per row, every typed column parsed
by the macros in `queries/_ingest_macros.sql`, and a value that does not parse reported
with its file, spreadsheet row, column and the value itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ..config import Config
from ..db import ident, sql_str
from ..errors import DataError
from .canonical import REQUIRED, TABLES
from .columns import CONTROL_PATTERN, Columns, typed
from .dates import SLASH_DATE, date_order, date_problem
from .files import ExportFile, number_rows
from .mapping import Mapping, Source, is_boolean_spec, spec_headers

_TYPED = {"TIMESTAMP": "a date/time", "DATE": "a date", "BOOLEAN": "true/false",
          "DOUBLE": "an amount"}
# (table, column) -> the column that stands in when the export has none: an activity without
# an entry time was entered when it happened (the export then supports no logging lag)
_STANDS_IN = {("activities", "created_at"): "occurred_at",
              ("planned_activities", "created_at"): "occurred_at"}
# Raised from inside the typed insert (DuckDB's error()): the insert is rolled back and
# the file is looked at more closely.
_BAD_VALUE = "crmproof: a value cannot be read"


@dataclass
class _TypedSelect:
    """SQL that reads one file into its canonical columns, each text cleaned once per row.

    `sql(src)` selects `_keep`, every typed value `_v<i>`, for checked columns `_bad<i>`
    (a text that did not parse) and, with `slashes`, `_slash<i>` (a date text with '/').
    """

    cleaned: list[str]
    unnull: list[str]
    texts: list[str]
    typed: list[str]
    selected: list[str]
    checks: list[tuple[int, str | None, str, list[str]]]
    dates: list[int]
    raw: dict[str, str]  # file header -> its cleaned column name

    def sql(self, src: str, row: tuple[str, ...] = (), slashes: bool = False) -> str:
        row_ = list(row)
        flags = [f"contains(_t{i}, '/') as _slash{i}" for i in self.dates] if slashes else []
        clean_sql = f"select {', '.join(row_ + self.cleaned)} from {src}"
        null_sql = f"select {', '.join(row_ + self.unnull)} from ({clean_sql})"
        text_sql = f"select {', '.join(row_ + self.texts)} from ({null_sql})"
        return f"select {', '.join(row_ + self.typed + flags)} from ({text_sql})"

    def insert(self, table: str, src: str, slashes: bool) -> str:
        """Insert the kept rows into `table`; fail with SLASH_DATE / _BAD_VALUE instead
        when (`slashes`) a date text holds '/' or a text does not parse, in any row."""
        fail = []
        if slashes and self.dates:
            found = " or ".join(f"_slash{i}" for i in self.dates)
            fail.append(f"when {found} then error('{SLASH_DATE}')")
        if self.checks:
            bad = " or ".join(f"_bad{index}" for index, *_ in self.checks)
            fail.append(f"when {bad} then error('{_BAD_VALUE}')")
        where = f"case {' '.join(fail)} else _keep end" if fail else "_keep"
        return (f"insert into {table} select {', '.join(self.selected)} "
                f"from ({self.sql(src, slashes=slashes)}) where {where}")


def _missing_required(file: ExportFile, source: Source, mapping: Mapping, column: str,
                      spec) -> DataError:
    found = ", ".join(file.columns[:12]) + (", ..." if len(file.columns) > 12 else "")
    if spec is None:
        where = f"`{column}: <header>` under the {source.table} source of {mapping.path.name}"
        return DataError(f"the {mapping.name} mapping says no column for {source.table}."
                         f"{column}, which crmproof needs (the file's headers: {found})",
                         file=file.name, hint=f"add {where}, or run `crmproof mapping "
                         "suggest` for a mapping that does")
    wanted = " or ".join(f"'{h}'" for h in spec_headers(spec))
    return DataError(f"required column {wanted} is missing (the {mapping.name} mapping needs "
                     f"it for {source.table}.{column}); found {found}", file=file.name,
                     hint="export that column or use --mapping")


def _typed_select(file: ExportFile, source: Source, mapping: Mapping,
                  dmy: bool) -> _TypedSelect:
    cols = Columns(file.columns, mapping.null_values)
    cleaned: dict[str, str] = {}
    inner = Columns(file.columns, mapping.null_values, cleaned)
    texts, typed_cols, checks, selected, dates = [], ["_keep"], [], [], []
    for index, (column, kind) in enumerate(TABLES[source.table].items()):
        spec = source.columns.get(column)
        if spec is None or inner.expr(spec) is None:
            spec = source.columns.get(_STANDS_IN.get((source.table, column)), spec)
        expr = inner.expr(spec) if spec is not None else None
        if expr is None and column in REQUIRED[source.table]:
            raise _missing_required(file, source, mapping, column, source.columns.get(column))
        if expr is None:
            selected.append(f"null::{kind} as {column}")
            continue
        texts.append(f"{expr} as _t{index}")
        value = typed(f"_t{index}", kind, spec, dmy, file.excel)
        if column == "is_done" and not is_boolean_spec(spec):  # empty: not known, so done
            value = f"(case when _t{index} is null then null else {value} end)"
        typed_cols.append(f"{value}::{kind} as _v{index}")
        if kind in _TYPED and not is_boolean_spec(spec):
            typed_cols.append(f"(_t{index} is not null and _v{index} is null) as _bad{index}")
            checks.append((index, cols.expr(spec), kind, spec_headers(spec)))
        if kind in ("DATE", "TIMESTAMP"):
            dates.append(index)
        selected.append(f"_v{index} as {column}")
    keep = inner.expr(source.keep) if source.keep is not None else None
    texts.append(f"coalesce({keep}, false) as _keep" if keep is not None else "true as _keep")
    nulls = ", ".join(sql_str(v) for v in mapping.null_values)
    unnull = [f"(case when {name} in ({nulls}) then null else {name} end) as {name}"
              if mapping.null_values else name for name in cleaned.values()] or ["null as _c"]
    controls = bool(file.encoding and file.encoding.controls)
    clean = [f"crm_text({_strip(ident(header), controls)}) as {name}"
             for header, name in cleaned.items()]
    return _TypedSelect(clean or ["null as _c"], unnull, texts, typed_cols, selected, checks,
                        dates, cleaned)


def _strip(column: str, controls: bool) -> str:
    return f"regexp_replace({column}, '{CONTROL_PATTERN}', '', 'g')" if controls else column


def insert_file(con, source: Source, raw: str, file: ExportFile, mapping: Mapping,
                config: Config, warnings: list[str], scan: str) -> tuple[int, bool]:
    """Parse a file straight into its source's table; return (rows inserted, dates read
    day-first).

    `scan` is what the typed pass reads: the file's reader itself (no all-text copy is
    kept), or the table `raw` when the file had to be loaded as text first.

    One scan in the common case: with `date_order: auto` the insert assumes there are no
    slash dates and fails if there is one; a text that does not parse fails it too. Only
    then is the file looked at again: the date order is decided from all its slash dates
    (`dates.date_order`), and a bad value is found with its spreadsheet row (`_check_parsed`).
    """
    setting = config["data"]["date_order"]
    dmy, guard = setting == "dmy", setting == "auto"
    while True:
        select = _typed_select(file, source, mapping, dmy)
        try:
            return con.execute(select.insert(source.table, scan, slashes=guard)
                               ).fetchall()[0][0], dmy
        except duckdb.Error as exc:
            if _BAD_VALUE not in str(exc) and SLASH_DATE not in str(exc):
                raise
        if not guard:
            break
        dmy, guard = date_order(con, scan, file, source, mapping, warnings, raw), False
    number_rows(con, raw, file.reader)
    con.execute(f"create or replace temp table {ident(raw + '_typed')} as "
                f"{select.sql(ident(raw), row=('_row',))}")
    _check_parsed(con, raw, file, select.checks, dmy)
    raise DataError("a value cannot be read", file=file.name,
                    hint="check the file's dates and amounts")  # _check_parsed names it


def _check_parsed(con, raw: str, file: ExportFile, checks: list, dmy: bool) -> None:
    """One scan for every typed column: the first column (in canonical order) holding a
    value that cannot be read, at its first such row. Needs `_row` in both tables."""
    if not checks:
        return
    firsts = ", ".join(f"min(case when _bad{index} then _row end)" for index, *_ in checks)
    rows = con.execute(f"select {firsts} from {ident(raw + '_typed')}").fetchall()[0]
    for (_, text, kind, headers), row in zip(checks, rows, strict=True):
        if row is None:
            continue
        value = con.execute(f"select {text} from {ident(raw)} where _row = $row",
                            {"row": row}).fetchall()[0][0]
        column = headers[0] if headers else None
        if kind in ("DATE", "TIMESTAMP") and (problem := date_problem(value, dmy)):
            raise DataError(problem, file=file.name, row=row, column=column,
                            hint="correct that date in the CRM or the file")
        hint = {"BOOLEAN": "use true/false, 1/0 or yes/no",
                "DOUBLE": "use a plain number like 1234.50",
                }.get(kind, "use YYYY-MM-DD or set data.date_order")
        raise DataError(f"cannot read {value!r} as {_TYPED[kind]}", file=file.name, row=row,
                        column=column, hint=hint)


def count_controls(con, file: ExportFile, source: Source, mapping: Mapping,
                   scan: str) -> dict[str, int]:
    """Values with control characters removed, per file column a source reads (files whose
    first bytes showed any; one extra scan of those files only)."""
    if not (file.encoding and file.encoding.controls):
        return {}
    inner = Columns(file.columns, mapping.null_values, {})
    for spec in [*source.columns.values(), source.keep]:
        if spec is not None:
            inner.expr(spec)
    headers = list(inner.cleaned or {})
    if not headers:
        return {}
    counts = ", ".join(f"count(*) filter (where regexp_matches({ident(h)}, "
                       f"'{CONTROL_PATTERN}'))" for h in headers)
    found = con.execute(f"select {counts} from {scan}").fetchall()[0]
    return {h: n for h, n in zip(headers, found, strict=True) if n}


def file_rows(con, scan: str) -> int:
    """All rows of a file, for sources whose `keep` drops some (one extra count)."""
    return con.execute(f"select count(*) from {scan}").fetchall()[0][0]
