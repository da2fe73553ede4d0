"""Why DuckDB could not read a CSV file, found by reading it again in Python: the real
cause and its spreadsheet row (header = row 1), never a generic "save it as UTF-8 CSV".

Runs only after a read failed, so its cost never touches a file that reads cleanly.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from ..errors import DataError

MAX_LINE_BYTES = 64 << 20  # a row longer than this is refused (DuckDB's max_line_size)
MAX_COLUMNS = 4096
_FIX_QUOTES = "fix the quotes in that row in the CRM or a text editor, or export the file again"


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MiB"


def _long_row(path: Path) -> tuple[int, int] | None:
    """(row, length in bytes) of the first physical line longer than MAX_LINE_BYTES."""
    row, length = 1, 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            start = 0
            while (end := chunk.find(b"\n", start)) != -1:
                length += end - start
                if length > MAX_LINE_BYTES:
                    return row, length
                row, length, start = row + 1, 0, end + 1
            length += len(chunk) - start
            if length > MAX_LINE_BYTES:
                return row, length
    return None


def diagnose(path: Path, name: str, delimiter: str, error: duckdb.Error) -> DataError:
    """The one-line error for a CSV file DuckDB failed to read (`path` is UTF-8 text)."""
    long_row = _long_row(path)
    if long_row is not None:
        row, length = long_row
        return DataError(f"the row is longer than {_mib(MAX_LINE_BYTES)} ({_mib(length)} "
                         "before its line ends); a cell that large is not CRM data",
                         file=name, row=row, hint="shorten that value in the CRM or leave "
                         "its column out of the export")
    found = _quote_problem(path, delimiter)
    if found is not None:
        row, what = found
        return DataError(what, file=name, row=row, hint=_FIX_QUOTES)
    first = str(error).splitlines()[0]
    match = re.search(r"Line: (\d+)", str(error))
    row = int(match.group(1)) if match else None
    return DataError(f"cannot be read as CSV ({first.removeprefix('Invalid Input Error: ')})",
                     file=name, row=row, hint="check that row; the file must have one header "
                     "row and the same separator throughout")


def _quote_problem(path: Path, delimiter: str) -> tuple[int, str] | None:
    """(row where the record starts, what is wrong) for the first quoting error."""
    csv.field_size_limit(MAX_LINE_BYTES)
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        start = 1
        try:
            for _ in reader:
                start = reader.line_num + 1
        except csv.Error as exc:
            text = str(exc)
            if "unexpected end of data" in text or "EOF" in text:
                return start, ("a quoted value starts in this row and is never closed, so "
                               "every row after it would be read into that one cell")
            if "expected after" in text:
                return reader.line_num, ('a quote inside a value is not doubled ("" is how '
                                         "CSV writes a quote inside quotes)")
            return reader.line_num, f"cannot be read as CSV ({text})"
    return None


def too_many_columns(count: int, name: str) -> DataError:
    return DataError(f"the file has {count:,} columns; crmproof reads files with up to "
                     f"{MAX_COLUMNS:,}", file=name,
                     hint="export only the columns you need, or split the file")
