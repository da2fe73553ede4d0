"""Export files as text: which files a folder holds, their headers, and the DuckDB readers
that take every column as text (`typed` parses them into canonical types).

Listing and header sniffing are cheap and bounded: a folder entry is looked at with
`stat` only (a pipe, a folder named x.csv, a dangling symlink or a loop is skipped with a
note, never opened), and a file's header is read from its first bytes in Python, so a
huge or 100,000-column file that matches no source costs nothing. Only files that feed a
source are handed to DuckDB (`prepare`), and when DuckDB cannot read one, `problems`
finds the real cause and its row.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..db import ident, sql_str
from ..errors import DataError
from . import workbooks
from .decoding import HEAD_BYTES, Encoding, binary_kind, head_text, is_utf8, sniff_encoding
from .decoding import transcode as _transcode
from .problems import MAX_COLUMNS, MAX_LINE_BYTES, diagnose, too_many_columns

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", *workbooks.WORKBOOK_SUFFIXES)
HEADER_BYTES = 8 << 20  # a first row longer than this is no header
_DELIMITERS = (",", ";", "\t", "|")
_QUOTED = re.compile(r'"(?:[^"]|"")*"')


@dataclass
class ExportFile:
    """One file (or one sheet of a workbook) of the export, as far as it was looked at."""

    path: Path  # the entry in the user's folder
    name: str  # how messages name it: 'Deals.csv' or "Book.xlsx, sheet 'Deals'"
    source: Path  # what is read: the file itself, or a UTF-8 copy in the scratch folder
    headers: list[str] = field(default_factory=list)
    delimiter: str = ","
    encoding: Encoding | None = None  # None for Parquet
    excel: bool = False  # from a spreadsheet: dates may be Excel serial numbers
    problem: DataError | None = None  # why it cannot be read (raised only if it matters)
    reader: str = ""  # the DuckDB reader, once prepared
    columns: list[str] = field(default_factory=list)  # DuckDB's column names, once prepared

    @property
    def is_parquet(self) -> bool:
        return self.source.suffix.lower() == ".parquet"

    @property
    def stem(self) -> str:
        """The name files are recognised by: the sheet name for a sheet, else the stem."""
        return self.name.split("'")[1] if "sheet '" in self.name else self.path.stem


def list_files(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The export's data files, and the entries skipped with why (folders named like
    files, pipes, dangling symlinks, symlink loops, files that vanish). Never opens one."""
    if not folder.exists():
        raise DataError(f"data folder {folder} does not exist",
                        hint="pass --data with the folder holding your CRM export files")
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder", hint="pass --data with a folder of exports")
    files, skipped = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in DATA_SUFFIXES:
            continue
        why = _not_a_file(path)
        if why:
            skipped.append((path, why))
        else:
            files.append(path)
    if not files:
        noted = "; ".join(f"{p.name}: {why}" for p, why in skipped)
        raise DataError(f"no CSV, XLSX or Parquet files in {folder}"
                        + (f" ({noted})" if noted else ""),
                        hint="put the CRM export files there, or pass --data")
    return files, skipped


def _not_a_file(path: Path) -> str | None:
    try:
        info = os.stat(path)
    except OSError as exc:
        if path.is_symlink():
            return ("a symbolic link that loops" if exc.errno == 40
                    else "a symbolic link to a file that does not exist")
        return f"it cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(info.st_mode):
        return "a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a pipe, socket or device); it is never opened"
    return None


def data_files(folder: Path) -> list[Path]:
    return list_files(folder)[0]


# ---- headers, cheaply ------------------------------------------------------------------
def sniff(path: Path, scratch: Path) -> list[ExportFile]:
    """The file's header row (every sheet's, for a workbook), read from its first bytes."""
    if path.suffix.lower() in workbooks.WORKBOOK_SUFFIXES:
        return _sniff_workbook(path, scratch)
    found = ExportFile(path, path.name, path)
    try:
        if path.suffix.lower() == ".parquet":
            found.headers = _parquet_headers(path)
        else:
            _sniff_text(found, scratch)
    except DataError as problem:
        found.problem = problem
    except OSError as exc:
        found.problem = DataError(f"cannot be read ({exc.strerror or exc})", file=path.name,
                                  hint="check the file's permissions, or export it again")
    return [found]


def _sniff_text(found: ExportFile, scratch: Path) -> None:
    with open(found.source, "rb") as handle:
        head = handle.read(HEAD_BYTES)
        if not head:
            raise DataError("the file is empty", file=found.name,
                            hint="export it again or remove it from the folder")
        kind = binary_kind(head)
        if kind is not None:
            if (kind.startswith("an Excel") and not found.excel
                    and _sniff_misnamed_workbook(found, scratch)):
                return
            raise DataError(f"the file is {kind}, not CSV", file=found.name,
                            hint="open it and save it as 'CSV UTF-8' or .xlsx, or export "
                                 "CSV from the CRM")
        found.encoding = sniff_encoding(head, found.name)
        text = head_text(head, found.encoding)
        while "\n" not in text and len(head) < HEADER_BYTES:
            more = handle.read(HEAD_BYTES)
            if not more:
                break
            head += more
            text = head_text(head, found.encoding)
    line = text.split("\n", 1)[0] if "\n" in text or len(head) < HEADER_BYTES else None
    if line is None:
        raise DataError(f"the first row is longer than {HEADER_BYTES >> 20} MiB, so it is no "
                        "header row", file=found.name, row=1,
                        hint="export the file with a header row of column names")
    found.delimiter = _delimiter(line, found.path.suffix.lower())
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=found.delimiter), [])
    except csv.Error as exc:
        raise DataError(f"the header row cannot be read as CSV ({exc})", file=found.name,
                        row=1, hint="export the file with a header row of column names") from None
    found.headers = [h.lstrip("\ufeff") for h in first]
    if len(found.headers) > MAX_COLUMNS:
        found.problem = too_many_columns(len(found.headers), found.name)


def _delimiter(line: str, suffix: str) -> str:
    bare = _QUOTED.sub("", line)
    counts = {d: bare.count(d) for d in _DELIMITERS}
    if suffix == ".tsv" and counts["\t"]:
        return "\t"
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _parquet_headers(path: Path) -> list[str]:
    try:
        cursor = duckdb.connect().execute(
            f"select * from read_parquet({sql_str(str(path))}) limit 0")
    except duckdb.Error as exc:
        raise DataError(f"cannot be read as Parquet ({str(exc).splitlines()[0]})",
                        file=path.name, hint="export it again as Parquet or CSV") from None
    return [col[0] for col in cursor.description]


def _sniff_workbook(path: Path, scratch: Path) -> list[ExportFile]:
    try:
        sheets = workbooks.sheets(path, scratch)
    except DataError as problem:
        return [ExportFile(path, path.name, path, problem=problem)]
    out = []
    for sheet, csv_path in sheets:
        name = f"{path.name}, sheet '{sheet}'"
        if csv_path is None:
            out.append(ExportFile(path, name, path, problem=DataError(
                "the sheet is empty", file=name, hint="remove it, or export the data again")))
            continue
        found = ExportFile(path, name, csv_path, excel=True)
        _sniff_text(found, scratch)
        out.append(found)
    return out


def _sniff_misnamed_workbook(found: ExportFile, scratch: Path) -> bool:
    """An Excel workbook saved with a .csv name is read as the workbook it is (its first
    sheet); False when it is some other ZIP file."""
    try:
        sheets = [s for s in workbooks.sheets(found.path, scratch) if s[1] is not None]
    except DataError:
        return False
    if not sheets:
        return False
    found.source, found.excel = sheets[0][1], True
    _sniff_text(found, scratch)
    return True


# ---- readers -----------------------------------------------------------------------------
def _reader(file: ExportFile, parallel: bool = True, long_rows: bool = False) -> str:
    """All-text reader; RFC 4180 quoting ("" inside quotes). Quoted newlines need the
    single-threaded CSV reader when rows may be short (null_padding), so that is a retry.

    DuckDB's reader keeps buffers of many times its longest allowed row per thread: with
    rows up to MAX_LINE_BYTES a 2 GiB file needs GiB-sized buffers (past the memory cap)
    and reads 3x slower, so only the retry for a file with a long row (`long_rows`, one
    thread) allows them."""
    if file.is_parquet:
        return f"(select columns(*)::varchar from read_parquet({sql_str(str(file.source))}))"
    size = (f", parallel = false, max_line_size = {MAX_LINE_BYTES}, "
            f"buffer_size = {2 * MAX_LINE_BYTES}" if long_rows
            else "" if parallel else ", parallel = false")
    return (f"read_csv({sql_str(str(file.source))}, all_varchar = true, header = true, "
            f"null_padding = true, strict_mode = false, quote = '\"', escape = '\"', "
            f"delim = {sql_str(file.delimiter)}{size})")


def prepare(con: duckdb.DuckDBPyConnection, file: ExportFile, scratch: Path,
            warnings: list[str]) -> None:
    """Make a file that feeds a source ready for DuckDB: its reader and column names.

    A file that is not valid UTF-8 (as far as the sniff looked) is transcoded first; one
    whose bytes turn out invalid later is transcoded when DuckDB refuses it (`load_text`).
    """
    if file.problem is not None:
        raise file.problem
    if file.encoding is not None and not file.encoding.in_place:
        transcode(file, scratch, warnings)
    file.reader = _reader(file)
    try:
        cursor = con.execute(f"select * from {file.reader} limit 0")
        file.columns = [col[0] for col in cursor.description]
    except duckdb.Error:
        file.columns = []  # load_text reads it with the retries and reports what is wrong


def transcode(file: ExportFile, scratch: Path, warnings: list[str]) -> None:
    """A UTF-8 copy of the file in `scratch`, read value by value (see `decoding`)."""
    target = scratch / f"{len(list(scratch.iterdir()))}-{file.path.name}.utf8.csv"
    encoding = file.encoding
    if encoding is not None and encoding.in_place:
        encoding = Encoding("mixed", False, encoding.controls)
    utf8, legacy = _transcode(file.source, target, encoding or Encoding("mixed", False, False))
    if utf8 and legacy:
        warnings.append(f"{file.name}: mixes UTF-8 and Windows-1252 text; each value was read "
                        f"in the encoding it was written in ({legacy:,} characters as "
                        "Windows-1252)")
    file.source = target
    file.encoding = Encoding("utf-8", True, encoding.controls if encoding else False)


def load_text(con: duckdb.DuckDBPyConnection, file: ExportFile, table: str, scratch: Path,
              warnings: list[str], numbered: bool = False) -> None:
    """Load a file as text into `table` (with `_row`, its spreadsheet row, when
    `numbered`); retries single-threaded, then transcoded; the last failure says why."""
    rows = "row_number() over () + 1 as _row, " if numbered else ""
    load = f"create or replace temp table {ident(table)} as select {rows}* from "
    error: duckdb.Error | None = None
    for attempt in ("parallel", "serial", "long rows", "transcoded"):
        if attempt == "transcoded":
            if file.is_parquet or is_utf8(file.source):
                break
            transcode(file, scratch, warnings)
        file.reader = _reader(file, parallel=attempt == "parallel",
                              long_rows=attempt in ("long rows", "transcoded"))
        try:
            con.execute(load + file.reader)
        except duckdb.Error as exc:
            error = exc
            continue
        cursor = con.execute(f"select * from {ident(table)} limit 0")
        file.columns = [col[0] for col in cursor.description if col[0] != "_row"]
        return
    raise _unreadable(file, error)


def _unreadable(file: ExportFile, error: duckdb.Error | None) -> DataError:
    if file.is_parquet:
        first = str(error).splitlines()[0] if error else "unknown error"
        return DataError(f"cannot be read as Parquet ({first})", file=file.name,
                         hint="export it again as Parquet or CSV")
    return diagnose(file.source, file.name, file.delimiter, error or duckdb.Error(""))


def number_rows(con: duckdb.DuckDBPyConnection, name: str, reader: str) -> None:
    """Read a file again into `name` with `_row`, its spreadsheet row (header = row 1)."""
    con.execute(f"create or replace temp table {ident(name)} as "
                f"select row_number() over () + 1 as _row, * from {reader}")
