"""Export files read as text: which files a folder holds, their encodings, and the DuckDB
readers that take every column as text (`typed` parses them into canonical types).
A file that is binary, empty or not CSV at all is a one-line DataError.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import duckdb

from ..db import ident, sql_str
from ..errors import DataError

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet")


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
        return f"(select columns(*)::varchar from read_parquet({sql_str(str(path))}))"
    return (f"read_csv({sql_str(str(path))}, all_varchar = true, header = true, "
            f"null_padding = true, strict_mode = false, quote = '\"', escape = '\"'"
            f"{'' if parallel else ', parallel = false'})")


def _load_raw(con: duckdb.DuckDBPyConnection, original: Path, readable: Path,
              name: str) -> tuple[str, list[str]]:
    """Load a file as all-text columns; return the reader that worked and the headers.

    Rows are not numbered here: `row_number() over ()` would force one thread. The rare
    file with an unreadable value is read again with its spreadsheet rows (`number_rows`)."""
    if readable.stat().st_size == 0:
        raise DataError("the file is empty", file=original.name,
                        hint="export it again or remove it from the folder")
    load = f"create or replace temp table {ident(name)} as select * from "
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
    cursor = con.execute(f"select * from {ident(name)} limit 0")
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


def number_rows(con: duckdb.DuckDBPyConnection, name: str, reader: str) -> None:
    """Read a file again into `name` with `_row`, its spreadsheet row (header = row 1)."""
    con.execute(f"create or replace temp table {ident(name)} as "
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


def load_file(con, path: Path, scratch: Path, name: str) -> tuple[Path, str, list[str]]:
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


def headers_of(con, files: list[Path], scratch: Path,
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
            readable, reader, headers = load_file(con, path, scratch, f"_raw_{index}")
            if loaded is not None:
                loaded.add(path)
        found[path] = (readable, headers)
        if readers is not None:
            readers[path] = reader
    return found

