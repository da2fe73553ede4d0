"""One export file parsed into its canonical table in one scan (see `insert_file`).

A mapping source says which file columns feed which canonical columns; this module turns
that into SQL: each source column's text cleaned once per row, every typed column parsed
by the macros in `queries/_ingest_macros.sql`, and a value that does not parse reported
with its file, spreadsheet row, column and the value itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..config import Config
from ..db import ident, sql_str
from ..errors import DataError
from .canonical import REQUIRED, TABLES
from .files import number_rows
from .mapping import Mapping, Source, normalize_header, spec_headers

_TYPED = {"TIMESTAMP": "a date/time", "DATE": "a date", "BOOLEAN": "true/false",
          "DOUBLE": "an amount"}


class _Columns:
    """Translates column specs into SQL over one raw file's columns."""

    def __init__(self, headers: list[str], null_values: tuple[str, ...],
                 cleaned: dict[str, str] | None = None) -> None:
        self.by_norm = {normalize_header(h): h for h in headers}
        self.null_values = null_values
        self.cleaned = cleaned  # header -> name of its cleaned column in an inner select

    def has(self, header: str) -> bool:
        return normalize_header(header) in self.by_norm

    def text(self, header: str) -> str:
        name = self.by_norm[normalize_header(header)]
        if self.cleaned is not None:
            return ident(self.cleaned.setdefault(name, f"_c{len(self.cleaned)}"))
        expr = f"crm_text({ident(name)})"
        if self.null_values:
            nulls = ", ".join(sql_str(v) for v in self.null_values)
            expr = f"(case when {expr} in ({nulls}) then null else {expr} end)"
        return expr

    def expr(self, spec) -> str | None:
        """SQL for a spec, or None when none of its headers are in the file."""
        if isinstance(spec, str):
            return self.text(spec) if self.has(spec) else None
        if isinstance(spec, list):
            parts = [e for e in (self.expr(item) for item in spec) if e is not None]
            return None if not parts else parts[0] if len(parts) == 1 else (
                f"coalesce({', '.join(parts)})")
        if "value" in spec:
            return sql_str(str(spec["value"]))
        if "join" in spec:
            parts = [e for e in (self.expr(item) for item in spec["join"]) if e is not None]
            return f"nullif(concat_ws(' ', {', '.join(parts)}), '')" if parts else None
        if "any_of" in spec:
            parts = [e for e in (self.expr(item) for item in spec["any_of"]) if e is not None]
            return f"({' or '.join(parts)})" if parts else None
        if not self.has(spec["column"]):
            return None
        text = self.text(spec["column"])
        if "prefix" in spec:
            return f"(case when starts_with({text}, {sql_str(spec['prefix'])}) then {text} end)"
        if "first_of" in spec:
            first = f"split_part({text}, {sql_str(str(spec['first_of']))}, 1)"
            return f"nullif(trim({first}), '')"
        values = ", ".join(sql_str(v) for v in _in_values(spec["in"]))
        return f"coalesce(lower({text}) in ({values}), false)"


def _raw_columns(cols: _Columns, spec) -> list[str] | None:
    """The file's columns a spec's text comes from; None when it may hold literal text."""
    if isinstance(spec, str):
        return [cols.by_norm[normalize_header(spec)]] if cols.has(spec) else []
    items = spec if isinstance(spec, list) else spec.get("join", spec.get("any_of"))
    if "value" in (spec if isinstance(spec, dict) else {}):
        return None
    if items is None:
        items = [spec["column"]]
    found: list[str] = []
    for item in items:
        part = _raw_columns(cols, item)
        if part is None:
            return None
        found += part
    return found


def _in_values(values) -> list[str]:
    """Lower-cased texts of an `in:` list; unquoted YAML yes/true/no/false mean every spelling."""
    spellings = {True: ("true", "yes", "y", "1"), False: ("false", "no", "n", "0")}
    out: list[str] = []
    for value in values:
        out += spellings[value] if isinstance(value, bool) else [str(value).lower()]
    return out


def _is_boolean_spec(spec) -> bool:
    return isinstance(spec, dict) and ("in" in spec or "any_of" in spec)


def _typed(expr: str, kind: str, spec, dmy: bool) -> str:
    flag = "true" if dmy else "false"
    if kind == "TIMESTAMP":
        return f"crm_ts({expr}, {flag})"
    if kind == "DATE":
        return f"crm_date({expr}, {flag})"
    if kind == "BOOLEAN":
        return expr if _is_boolean_spec(spec) else f"crm_bool({expr})"
    if kind == "DOUBLE":
        return f"crm_amount({expr})"
    return expr


def _date_order(con, scan: str, cols: _Columns, source: Source, warnings: list[str],
                file: Path) -> bool:
    """Decide whether slash dates like 03/04/2024 are day-first in this file."""
    exprs = [cols.expr(spec) for column, spec in source.columns.items()
             if TABLES[source.table][column] in ("DATE", "TIMESTAMP")]
    exprs = [e for e in exprs if e is not None]
    if not exprs:
        return False
    pattern = "'^(\\d{1,2})/(\\d{1,2})/\\d{4}'"
    parts = [f"max(case when contains(_d{i}, '/') then try_cast(regexp_extract("
             f"_d{i}, {pattern}, {group}) as int) end)"
             for i in range(len(exprs)) for group in (1, 2)]
    texts = ", ".join(f"{e} as _d{i}" for i, e in enumerate(exprs))
    # Cleaning only drops characters, so a '/' in a date text is a '/' in a raw column:
    # rows without one (all ISO dates) are skipped before any text is cleaned.
    sources = [_raw_columns(cols, spec) for column, spec in source.columns.items()
               if TABLES[source.table][column] in ("DATE", "TIMESTAMP")]
    raw_cols = [] if any(s is None for s in sources) else list(
        dict.fromkeys(c for s in sources for c in s))
    where = " where " + " or ".join(f"contains({ident(c)}, '/')" for c in raw_cols
                                    ) if raw_cols else ""
    found = con.execute(f"select {', '.join(parts)} from (select {texts} from {scan}"
                        f"{where})").fetchall()[0]  # (day or month, month or day) per column
    firsts = [v for v in found[0::2] if v is not None]
    seconds = [v for v in found[1::2] if v is not None]
    first, second = (max(firsts) if firsts else None), (max(seconds) if seconds else None)
    if first is None:
        return False
    if first > 12 and (second or 0) > 12:
        raise DataError("slash dates are written both day-first and month-first",
                        file=file.name, hint="fix the file or set data.date_order")
    if first <= 12 and (second or 0) <= 12:
        warnings.append(f"{file.name}: dates like 03/04/2024 are ambiguous; read as "
                               f"month/day (set data.date_order: dmy if they are day/month)")
    return first > 12


# Raised from inside the typed insert (DuckDB's error()): the insert is rolled back and
# the file is looked at more closely.
_BAD_VALUE = "crmproof: a value cannot be read"


_SLASH_DATE = "crmproof: a slash date needs its day/month order"


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

    def sql(self, src: str, row: tuple[str, ...] = (), slashes: bool = False) -> str:
        row_ = list(row)
        flags = [f"contains(_t{i}, '/') as _slash{i}" for i in self.dates] if slashes else []
        clean_sql = f"select {', '.join(row_ + self.cleaned)} from {src}"
        null_sql = f"select {', '.join(row_ + self.unnull)} from ({clean_sql})"
        text_sql = f"select {', '.join(row_ + self.texts)} from ({null_sql})"
        return f"select {', '.join(row_ + self.typed + flags)} from ({text_sql})"

    def insert(self, table: str, src: str, slashes: bool) -> str:
        """Insert the kept rows into `table`; fail with _SLASH_DATE / _BAD_VALUE instead
        when (`slashes`) a date text holds '/' or a text does not parse, in any row."""
        fail = []
        if slashes and self.dates:
            found = " or ".join(f"_slash{i}" for i in self.dates)
            fail.append(f"when {found} then error('{_SLASH_DATE}')")
        if self.checks:
            bad = " or ".join(f"_bad{index}" for index, *_ in self.checks)
            fail.append(f"when {bad} then error('{_BAD_VALUE}')")
        where = f"case {' '.join(fail)} else _keep end" if fail else "_keep"
        return (f"insert into {table} select {', '.join(self.selected)} "
                f"from ({self.sql(src, slashes=slashes)}) where {where}")


def _typed_select(file: Path, headers: list[str], source: Source, mapping: Mapping,
                  dmy: bool) -> _TypedSelect:
    cols = _Columns(headers, mapping.null_values)
    cleaned: dict[str, str] = {}
    inner = _Columns(headers, mapping.null_values, cleaned)
    texts, typed, checks, selected, dates = [], ["_keep"], [], [], []
    for index, (column, kind) in enumerate(TABLES[source.table].items()):
        spec = source.columns.get(column)
        expr = inner.expr(spec) if spec is not None else None
        if expr is None and column in REQUIRED[source.table]:
            wanted = " or ".join(f"'{h}'" for h in spec_headers(spec)) if spec else column
            raise DataError(
                f"required column {wanted} is missing (the {mapping.name} mapping needs it "
                f"for {source.table}.{column}); found {', '.join(headers[:12])}",
                file=file.name, hint="export that column or use --mapping")
        if expr is None:
            selected.append(f"null::{kind} as {column}")
            continue
        texts.append(f"{expr} as _t{index}")
        typed.append(f"{_typed(f'_t{index}', kind, spec, dmy)}::{kind} as _v{index}")
        if kind in _TYPED and not _is_boolean_spec(spec):
            typed.append(f"(_t{index} is not null and _v{index} is null) as _bad{index}")
            checks.append((index, cols.expr(spec), kind, spec_headers(spec)))
        if kind in ("DATE", "TIMESTAMP"):
            dates.append(index)
        selected.append(f"_v{index} as {column}")
    keep = inner.expr(source.keep) if source.keep is not None else None
    texts.append(f"coalesce({keep}, false) as _keep" if keep is not None else "true as _keep")
    nulls = ", ".join(sql_str(v) for v in mapping.null_values)
    unnull = [f"(case when {name} in ({nulls}) then null else {name} end) as {name}"
              if mapping.null_values else name for name in cleaned.values()] or ["null as _c"]
    clean = [f"crm_text({ident(header)}) as {name}" for header, name in cleaned.items()]
    return _TypedSelect(clean or ["null as _c"], unnull, texts, typed, selected, checks, dates)


def insert_file(con, table: str, raw: str, file: Path, headers: list[str], source: Source,
                mapping: Mapping, config: Config, warnings: list[str], reader: str,
                scan: str) -> tuple[int, bool]:
    """Parse a file straight into `table`; return (rows inserted, dates read day-first).

    `scan` is what the typed pass reads: the file's reader itself (no all-text copy is
    kept), or the table `raw` when the file had to be loaded as text first.

    One scan in the common case: with `date_order: auto` the insert assumes there are no
    slash dates and fails if there is one; a text that does not parse fails it too. Only
    then is the file looked at again: the date order is decided from all its slash dates
    (`_date_order`), and a bad value is found with its spreadsheet row (`_check_parsed`).
    """
    setting = config["data"]["date_order"]
    dmy, guard = setting == "dmy", setting == "auto"
    while True:
        select = _typed_select(file, headers, source, mapping, dmy)
        try:
            return con.execute(select.insert(table, scan, slashes=guard)).fetchall()[0][0], dmy
        except duckdb.Error as exc:
            if _BAD_VALUE not in str(exc) and _SLASH_DATE not in str(exc):
                raise
        if not guard:
            break
        cols = _Columns(headers, mapping.null_values)
        dmy, guard = _date_order(con, scan, cols, source, warnings, file), False
    number_rows(con, raw, reader)
    con.execute(f"create or replace temp table {ident(raw + '_typed')} as "
                f"{select.sql(ident(raw), row=('_row',))}")
    _check_parsed(con, raw, file, select.checks)
    raise DataError("a value cannot be read", file=file.name,
                    hint="check the file's dates and amounts")  # _check_parsed names it


def _check_parsed(con, raw: str, file: Path, checks: list) -> None:
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
        hint = {"BOOLEAN": "use true/false, 1/0 or yes/no",
                "DOUBLE": "use a plain number like 1234.50",
                }.get(kind, "use YYYY-MM-DD or set data.date_order")
        raise DataError(f"cannot read {value!r} as {_TYPED[kind]}", file=file.name, row=row,
                        column=headers[0] if headers else None, hint=hint)

