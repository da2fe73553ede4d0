"""Ingest: export files -> DuckDB canonical tables, typed and checked.

Files stream through DuckDB (`read_csv` / `read_parquet`, all text), a mapping turns
vendor columns into canonical columns, and typed parsing happens in SQL macros
(`queries/_ingest_macros.sql`). Every value that cannot be read is reported with
its file, spreadsheet row (header = row 1), column and the value itself.
"""

from __future__ import annotations

import codecs
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .canonical import OPTIONAL_TABLES, PERSON_COLUMNS, REQUIRED, TABLES, create_empty
from .config import Config
from .errors import ConfigError, DataError, MissingTableError
from .mapping import (
    BUILTIN,
    Mapping,
    Source,
    best_source,
    builtin_mapping,
    load_mapping,
    normalize_header,
    spec_headers,
)
from .metrics import run_script
from .resources import bundled

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet")
_TYPED = {"TIMESTAMP": "a date/time", "DATE": "a date", "BOOLEAN": "true/false",
          "DOUBLE": "an amount"}


@dataclass
class LoadedFile:
    path: Path
    table: str
    rows: int  # rows loaded into the table (a source's `keep:` may drop some)
    date_order: str  # 'mdy' or 'dmy'; how slash dates in this file were read


@dataclass
class IngestReport:
    folder: Path
    mapping: str
    files: list[LoadedFile] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ---- reading files -------------------------------------------------------------------
def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _text_encoding(path: Path) -> str | None:
    """'utf-16' / 'utf-16-le' / 'utf-16-be' when the file is UTF-16, else None; binary
    files (Excel saved as .csv, archives, anything with NUL bytes) are a DataError."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise DataError("the file is an Excel or ZIP file, not CSV", file=path.name,
                        hint="open it and save it as 'CSV UTF-8', or export CSV from the CRM")
    if b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    raise DataError("the file holds binary data, not text", file=path.name,
                    hint="export it again as CSV (UTF-8) or Parquet")


def _as_utf8(path: Path, scratch: Path, check: bool = True) -> Path:
    """UTF-8 files are read in place; UTF-16 and Windows-1252 are transcoded once.

    With `check=False` a file that is not UTF-16 is taken to be UTF-8 without reading it
    through: DuckDB rejects invalid UTF-8 itself, and the caller comes back with `check=True`
    when it does."""
    if path.suffix.lower() == ".parquet":
        return path
    encoding = _text_encoding(path)
    if encoding:
        pass
    elif not check or _is_utf8(path):
        return path
    else:
        encoding = "cp1252"
    target = scratch / f"{len(list(scratch.iterdir()))}-{path.name}"
    try:
        with open(path, encoding=encoding, newline="") as src, \
                open(target, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    except UnicodeError:
        with open(path, encoding="latin-1", newline="") as src, \
                open(target, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    return target


def _reader(path: Path, parallel: bool = True) -> str:
    """All-text reader; RFC 4180 quoting ("" inside quotes). Quoted newlines need the
    single-threaded CSV reader when rows may be short (null_padding), so that is the retry."""
    if path.suffix.lower() == ".parquet":
        return f"(select columns(*)::varchar from read_parquet({_sql_str(str(path))}))"
    return (f"read_csv({_sql_str(str(path))}, all_varchar = true, header = true, "
            f"null_padding = true, strict_mode = false, quote = '\"', escape = '\"'"
            f"{'' if parallel else ', parallel = false'})")


def _load_raw(con: duckdb.DuckDBPyConnection, original: Path, readable: Path,
              name: str) -> tuple[str, list[str]]:
    """Load a file as all-text columns; return the reader that worked and the headers.

    Rows are not numbered here: `row_number() over ()` would force one thread. The rare
    file with an unreadable value is read again with its spreadsheet rows (`_number_rows`)."""
    if readable.stat().st_size == 0:
        raise DataError("the file is empty", file=original.name,
                        hint="export it again or remove it from the folder")
    load = f"create or replace temp table {_ident(name)} as select * from "
    try:
        try:
            reader = _reader(readable)
            con.execute(load + reader)
        except duckdb.Error:
            reader = _reader(readable, parallel=False)
            con.execute(load + reader)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        raise DataError(f"cannot be read as CSV or Parquet ({first})", file=original.name,
                        hint="save it as UTF-8 CSV with a header row") from None
    cursor = con.execute(f"select * from {_ident(name)} limit 0")
    return reader, [col[0] for col in cursor.description]


def _probe(con: duckdb.DuckDBPyConnection, original: Path,
           readable: Path) -> tuple[str, list[str]] | None:
    """A file's reader and headers without reading it through (the typed pass reads it
    straight into its canonical columns); None when even the quick read fails."""
    if readable.stat().st_size == 0:
        raise DataError("the file is empty", file=original.name,
                        hint="export it again or remove it from the folder")
    reader = _reader(readable)
    try:
        cursor = con.execute(f"select * from {reader} limit 0")
    except duckdb.Error:
        return None
    return reader, [col[0] for col in cursor.description]


def _number_rows(con: duckdb.DuckDBPyConnection, name: str, reader: str) -> None:
    """Read a file again into `name` with `_row`, its spreadsheet row (header = row 1)."""
    con.execute(f"create or replace temp table {_ident(name)} as "
                f"select row_number() over () + 1 as _row, * from {reader}")


def data_files(folder: Path) -> list[Path]:
    if not folder.exists():
        raise DataError(f"data folder {folder} does not exist",
                        hint="pass --data with the folder holding your CRM export files")
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder", hint="pass --data with a folder of exports")
    files = sorted(p for p in folder.iterdir()
                   if p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith("."))
    if not files:
        raise DataError(f"no CSV or Parquet files in {folder}",
                        hint="put the CRM export files there, or pass --data")
    return files


# ---- mapping to canonical columns ------------------------------------------------------
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
            return _ident(self.cleaned.setdefault(name, f"_c{len(self.cleaned)}"))
        expr = f"crm_text({_ident(name)})"
        if self.null_values:
            nulls = ", ".join(_sql_str(v) for v in self.null_values)
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
            return _sql_str(str(spec["value"]))
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
            return f"(case when starts_with({text}, {_sql_str(spec['prefix'])}) then {text} end)"
        values = ", ".join(_sql_str(v) for v in _in_values(spec["in"]))
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


def _date_order(con, scan: str, cols: _Columns, source: Source, report: IngestReport,
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
    where = " where " + " or ".join(f"contains({_ident(c)}, '/')" for c in raw_cols
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
        report.warnings.append(f"{file.name}: dates like 03/04/2024 are ambiguous; read as "
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
    nulls = ", ".join(_sql_str(v) for v in mapping.null_values)
    unnull = [f"(case when {name} in ({nulls}) then null else {name} end) as {name}"
              if mapping.null_values else name for name in cleaned.values()] or ["null as _c"]
    clean = [f"crm_text({_ident(header)}) as {name}" for header, name in cleaned.items()]
    return _TypedSelect(clean or ["null as _c"], unnull, texts, typed, selected, checks, dates)


def _insert_file(con, table: str, raw: str, file: Path, headers: list[str], source: Source,
                 mapping: Mapping, config: Config, report: IngestReport, reader: str,
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
        dmy, guard = _date_order(con, scan, cols, source, report, file), False
    _number_rows(con, raw, reader)
    con.execute(f"create or replace temp table {_ident(raw + '_typed')} as "
                f"{select.sql(_ident(raw), row=('_row',))}")
    _check_parsed(con, raw, file, select.checks)
    raise DataError("a value cannot be read", file=file.name,
                    hint="check the file's dates and amounts")  # _check_parsed names it


def _check_parsed(con, raw: str, file: Path, checks: list) -> None:
    """One scan for every typed column: the first column (in canonical order) holding a
    value that cannot be read, at its first such row. Needs `_row` in both tables."""
    if not checks:
        return
    firsts = ", ".join(f"min(case when _bad{index} then _row end)" for index, *_ in checks)
    rows = con.execute(f"select {firsts} from {_ident(raw + '_typed')}").fetchall()[0]
    for (_, text, kind, headers), row in zip(checks, rows, strict=True):
        if row is None:
            continue
        value = con.execute(f"select {text} from {_ident(raw)} where _row = $row",
                            {"row": row}).fetchall()[0][0]
        hint = {"BOOLEAN": "use true/false, 1/0 or yes/no",
                "DOUBLE": "use a plain number like 1234.50",
                }.get(kind, "use YYYY-MM-DD or set data.date_order")
        raise DataError(f"cannot read {value!r} as {_TYPED[kind]}", file=file.name, row=row,
                        column=headers[0] if headers else None, hint=hint)


# ---- choosing a mapping --------------------------------------------------------------
def _load_file(con, path: Path, scratch: Path, name: str) -> tuple[Path, str, list[str]]:
    """Load a file as text into table `name`: (readable file, reader that worked, headers)."""
    readable = _as_utf8(path, scratch, check=False)
    try:
        reader, headers = _load_raw(con, path, readable, name)
    except DataError:
        # DuckDB refuses invalid UTF-8: Windows-1252 files are transcoded and read again.
        if readable != path or path.suffix.lower() == ".parquet" or _is_utf8(path):
            raise
        readable = _as_utf8(path, scratch)
        reader, headers = _load_raw(con, path, readable, name)
    return readable, reader, headers


def _headers_of(con, files: list[Path], scratch: Path,
                readers: dict[Path, str] | None = None,
                loaded: set[Path] | None = None
                ) -> dict[Path, tuple[Path, list[str]]]:
    """Every file's headers; `readers` receives the read_csv/read_parquet that worked.

    A file whose header the quick read can take is not loaded here; one it cannot is loaded
    as text into `_raw_<index>` (with the retries and transcoding) and added to `loaded`."""
    found = {}
    for index, path in enumerate(files):
        readable = _as_utf8(path, scratch, check=False)
        probed = _probe(con, path, readable)
        if probed is not None:
            reader, headers = probed
        else:
            readable, reader, headers = _load_file(con, path, scratch, f"_raw_{index}")
            if loaded is not None:
                loaded.add(path)
        found[path] = (readable, headers)
        if readers is not None:
            readers[path] = reader
    return found


def choose_mapping(fmt: str, headers: dict[Path, tuple[Path, list[str]]],
                   folder: Path) -> Mapping:
    """Use the forced format or mapping file, else the built-in that matches most files."""
    if fmt not in ("auto", *BUILTIN):
        return load_mapping(Path(ensure_format_name(fmt)))
    candidates = [builtin_mapping(fmt)] if fmt != "auto" else [builtin_mapping(n)
                                                                for n in BUILTIN]
    scored = [(sum(best_source(m, h)[0] is not None for _, h in headers.values()), m)
              for m in candidates]
    best_count, best = max(scored, key=lambda pair: pair[0])
    if best_count == 0:
        sample = ", ".join(h for _, hs in list(headers.values())[:1] for h in hs[:8])
        what = f"the {fmt} mapping" if fmt != "auto" else "any known export format"
        raise DataError(f"no file in {folder} matches {what} (first file's headers: {sample})",
                        hint="try --format auto, another --format, or --mapping my.yml")
    return best


# ---- after loading -----------------------------------------------------------------
def _check_unique_ids(con, table: str, origins: dict[str, tuple[str, str]]) -> None:
    key = next(iter(TABLES[table]))
    if table in ("logins", "field_history"):
        return
    # Cheap first: distinct hashes as many as IDs proves them unique (a hash collision only
    # lowers the count); the grouped query that names a duplicate runs only otherwise.
    extra = con.execute(f"select count({key}) - count(distinct hash({key})) from {table}"
                        ).fetchall()[0][0]
    if not extra:
        return
    dup = con.execute(f"select {key}, count(*) from {table} where {key} is not null "
                      f"group by all having count(*) > 1 order by 1 limit 1").fetchall()
    if dup:
        raise DataError(f"ID {dup[0][0]!r} appears {dup[0][1]} times in {table}",
                        file=origins[table][0], column=origins[table][1],
                        hint="remove the duplicate rows or export again")


def _finish(con, config: Config, reps_loaded: bool) -> None:
    """Resolve names/emails to rep IDs, derive reps when there is no user table, mark reps."""
    if not reps_loaded:
        run_script(con, bundled("queries") / "_reps_from_owners.sql")
    run_script(con, bundled("queries") / "_person_lookup.sql")
    for table, columns in PERSON_COLUMNS.items():
        for column in columns:
            con.execute(f"update {table} set {column} = l.rep_id from _person_lookup l "
                        f"where lower({table}.{column}) = l.alias and {table}.{column} <> l.rep_id")
    con.execute(bundled("queries").joinpath("_mark_reps.sql").read_text(encoding="utf-8"),
                {"only": [str(v).lower() for v in config["reps"]["only"]],
                 "exclude": [str(v).lower() for v in config["reps"]["exclude"]]})
    _convert_currency(con, config)


def _convert_currency(con, config: Config) -> None:
    """With data.base_currency and data.currency_rates set, put all amounts in one currency."""
    base, rates = config["data"]["base_currency"], config["data"]["currency_rates"]
    if not base or not rates:
        return
    codes = sorted(str(code).strip().upper() for code in rates)
    values = [float(rates[code]) for code in sorted(rates, key=lambda c: str(c).strip().upper())]
    con.execute(bundled("queries").joinpath("_convert_currency.sql").read_text(encoding="utf-8"),
                {"base": str(base).strip().upper(), "currencies": codes, "rates": values})


def ingest_folder(con: duckdb.DuckDBPyConnection, folder: Path, config: Config,
                  fmt: str = "auto") -> IngestReport:
    """Load every export file in `folder` into the canonical tables of `con`."""
    folder = Path(folder)
    files = data_files(folder)
    run_script(con, bundled("queries") / "_ingest_macros.sql")
    with tempfile.TemporaryDirectory(prefix="crmproof-ingest-") as scratch:
        readers: dict[Path, str] = {}
        loaded: set[Path] = set()
        headers = _headers_of(con, files, Path(scratch), readers, loaded)
        mapping = choose_mapping(fmt, headers, folder)
        report = IngestReport(folder, mapping.name)
        for table in TABLES:
            create_empty(con, table)
        filled: set[str] = set()
        origins: dict[str, tuple[str, str]] = {}  # table -> (first file, its key header)
        for index, path in enumerate(files):
            source, _ = best_source(mapping, headers[path][1])
            raw = f"_raw_{index}"
            if source is None:
                if path not in loaded:  # read it through: an unreadable file is still an error
                    _load_file(con, path, Path(scratch), raw)
                report.skipped.append(path)
                _drop_scratch(con, raw)
                continue
            warned = len(report.warnings)
            try:
                rows, dmy = _insert_file(con, source.table, raw, path, headers[path][1], source,
                                         mapping, config, report, readers[path],
                                         _ident(raw) if path in loaded else readers[path])
            except duckdb.Error:
                if path in loaded:
                    raise
                # Read straight from the file, it failed past its header (quoted newlines,
                # invalid UTF-8): load it as text with the retries, then type that.
                del report.warnings[warned:]
                readable, readers[path], found = _load_file(con, path, Path(scratch), raw)
                headers[path] = (readable, found)
                loaded.add(path)
                rows, dmy = _insert_file(con, source.table, raw, path, headers[path][1], source,
                                         mapping, config, report, readers[path], _ident(raw))
            _drop_scratch(con, raw)
            filled.add(source.table)
            key_spec = source.columns.get(next(iter(TABLES[source.table])))
            origins.setdefault(source.table, (path.name, (spec_headers(key_spec) or
                                                           [next(iter(TABLES[source.table]))])[0]))
            report.files.append(LoadedFile(path, source.table, rows, "dmy" if dmy else "mdy"))
        if "deals" not in filled:
            raise MissingTableError(f"no deals/opportunities file found in {folder} "
                            f"(read with the {mapping.name} mapping)",
                            hint="export deals/opportunities, or pass --format / --mapping")
        for table in TABLES:
            if table in filled:
                _check_unique_ids(con, table, origins)
            elif table in OPTIONAL_TABLES or table == "reps":
                report.missing_tables.append(table)
    _finish(con, config, reps_loaded="reps" in filled)
    return report


def _drop_scratch(con, raw: str) -> None:
    con.execute(f"drop table if exists {_ident(raw)}")
    con.execute(f"drop table if exists {_ident(raw + '_typed')}")


def ensure_format_name(fmt: str) -> str:
    if fmt in ("auto", *BUILTIN) or Path(fmt).suffix in (".yml", ".yaml"):
        return fmt
    raise ConfigError(f"unknown format '{fmt}'; use auto, {', '.join(BUILTIN)} "
                      f"or the path of a mapping .yml file")
