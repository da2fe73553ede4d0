"""Ingest: export files -> DuckDB canonical tables, typed and checked.

The folder is listed and every file's header read cheaply in Python (`files`); the
mapping is chosen and each file recognised as the sources it feeds (`recognize`); only
those files go through DuckDB (`read_csv` / `read_parquet`, all text), each parsed
straight into its table by SQL macros (`typed`, `queries/_ingest_macros.sql`). Every
value that cannot be read is reported with its file, spreadsheet row (header = row 1),
column and the value itself; a file that feeds nothing is skipped with a note, unread.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..config import Config
from ..db import ident, run_script
from ..errors import ConfigError, DataError, MissingTableError
from ..resources import bundled
from .canonical import DERIVED_TABLES, OPTIONAL_TABLES, TABLES, create_empty
from .files import ExportFile, list_files, load_text, prepare, sniff
from .finish import check_unique_ids, finish, settle
from .mapping import BUILTIN, Mapping, Source, builtin_mapping, load_mapping, spec_headers
from .recognize import Match, mapping_score, recognize
from .typed import count_controls, file_rows, insert_file


@dataclass
class LoadedFile:
    path: Path
    table: str
    rows: int  # rows loaded into the table (a source's `keep:` may drop some)
    date_order: str  # 'mdy' or 'dmy'; how slash dates in this file were read
    name: str = ""  # how messages name it ("Book.xlsx, sheet 'Deals'"); the file name


@dataclass
class IngestReport:
    folder: Path
    mapping: str
    files: list[LoadedFile] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skip_reasons: dict[str, str] = field(default_factory=dict)  # file name -> why skipped
    notes: list[str] = field(default_factory=list)  # worth knowing, not wrong


# ---- choosing a mapping --------------------------------------------------------------
def choose_mapping(fmt: str, files: list[ExportFile], folder: Path) -> Mapping:
    """Use the forced format or mapping file, else the built-in that reads most files."""
    if fmt not in ("auto", *BUILTIN):
        return load_mapping(Path(ensure_format_name(fmt)))
    candidates = [builtin_mapping(fmt)] if fmt != "auto" else [builtin_mapping(n)
                                                                for n in BUILTIN]
    scored = [(mapping_score(m, files), m) for m in candidates]
    best_count, best = max(scored, key=lambda pair: pair[0])
    if best_count == (0, 0):
        raise _no_match(fmt, files, folder)
    return best


def _no_match(fmt: str, files: list[ExportFile], folder: Path) -> DataError:
    readable = [f for f in files if f.headers]
    sample = (f"{readable[0].name}: " + ", ".join(readable[0].headers[:8])
              if readable else "no file has a header row crmproof can read")
    if fmt == "auto":
        return DataError(f"no file in {folder} looks like a Salesforce, HubSpot, Pipedrive or "
                         f"crmproof generic export ({sample})",
                         hint=f"run `crmproof mapping suggest {folder} -o my.yml`, then pass "
                              "--mapping my.yml")
    return DataError(f"no file in {folder} matches the {fmt} mapping ({sample})",
                     hint="leave --format out to detect the format, or run `crmproof "
                          f"mapping suggest {folder} -o my.yml` and pass --mapping my.yml")


# ---- loading ---------------------------------------------------------------------------
@dataclass
class _Load:
    """One ingest run's state: the connection, scratch folder, mapping and report."""

    con: duckdb.DuckDBPyConnection
    scratch: Path
    mapping: Mapping
    config: Config
    report: IngestReport
    filled: set[str] = field(default_factory=set)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)

    def skip(self, file: ExportFile, why: str) -> None:
        if file.path not in self.report.skipped:
            self.report.skipped.append(file.path)
        known = self.report.skip_reasons.get(file.path.name)
        self.report.skip_reasons[file.path.name] = f"{known}; {why}" if known else why


def ingest_folder(con: duckdb.DuckDBPyConnection, folder: Path, config: Config,
                  fmt: str = "auto") -> IngestReport:
    """Load every export file in `folder` into the canonical tables of `con`."""
    folder = Path(folder)
    paths, odd = list_files(folder)
    run_script(con, bundled("queries") / "_ingest_macros.sql")
    with tempfile.TemporaryDirectory(prefix="crmproof-ingest-") as scratch_dir:
        scratch = Path(scratch_dir)
        files = [found for path in paths for found in sniff(path, scratch)]
        mapping = choose_mapping(fmt, files, folder)
        run = _Load(con, scratch, mapping, config, IngestReport(folder, mapping.name))
        for path, why in odd:
            run.report.skipped.append(path)
            run.report.skip_reasons[path.name] = why
        for table in TABLES:
            create_empty(con, table)
        for index, file in enumerate(files):
            _load_file(run, file, index)
        _check_tables(run, folder)
    settle(con, run.report)
    finish(con, config, reps_loaded="reps" in run.filled)
    return run.report


def _load_file(run: _Load, file: ExportFile, index: int) -> None:
    match = recognize(run.mapping, file)
    if not match.sources:
        run.skip(file, _skip_reason(run.mapping, file, match))
        return
    if file.problem is not None:
        raise file.problem
    raw = f"_raw_{index}"
    prepare(run.con, file, run.scratch, run.report.warnings)
    loaded = not file.columns  # DuckDB's quick read failed: load it as text first
    if loaded:
        load_text(run.con, file, raw, run.scratch, run.report.warnings)
    for source in match.sources:
        loaded = _insert(run, file, source, raw, loaded)
    _drop_scratch(run.con, raw)


def _skip_reason(mapping: Mapping, file: ExportFile, match: Match) -> str:
    where = f"sheet '{file.stem}' " if file.excel and "sheet" in file.name else ""
    if match.other is not None:
        note = f" ({match.other.note})" if match.other.note else ""
        return (f"{where}it is a {mapping.name} {match.other.name} export, which crmproof "
                f"does not use{note}")
    if file.problem is not None:
        return f"{where}it matches no {mapping.name} source, and {_problem_text(file)}"
    return (f"{where}it matches no {mapping.name} source; use --mapping (or `crmproof "
            "mapping suggest`) if it holds CRM data")


def _problem_text(file: ExportFile) -> str:
    text = str(file.problem)
    return text.split(": ", 1)[1] if text.startswith(file.name) else text


def _insert(run: _Load, file: ExportFile, source: Source, raw: str, loaded: bool) -> bool:
    """Parse the file into one source's table; returns whether it is now loaded as text."""
    warned = len(run.report.warnings)
    scan = ident(raw) if loaded else file.reader
    try:
        rows, dmy = insert_file(run.con, source, raw, file, run.mapping, run.config,
                                run.report.warnings, scan)
    except duckdb.Error:
        if loaded:
            raise
        # Read straight from the file, it failed past its header (quoted newlines,
        # invalid UTF-8): load it as text with the retries, then type that.
        del run.report.warnings[warned:]
        load_text(run.con, file, raw, run.scratch, run.report.warnings)
        loaded, scan = True, ident(raw)
        rows, dmy = insert_file(run.con, source, raw, file, run.mapping, run.config,
                                run.report.warnings, scan)
    _note_cleaning(run, file, source, scan, rows)
    run.filled.add(source.table)
    key = next(iter(TABLES[source.table]))
    run.origins.setdefault(source.table, (file.name, (spec_headers(
        source.columns.get(key)) or [key])[0]))
    run.report.files.append(LoadedFile(file.path, source.table, rows,
                                       "dmy" if dmy else "mdy", file.name))
    return loaded


def _note_cleaning(run: _Load, file: ExportFile, source: Source, scan: str,
                   rows: int) -> None:
    """Say what was removed from values and which rows `keep` dropped."""
    for header, count in count_controls(run.con, file, source, run.mapping, scan).items():
        run.report.notes.append(f"{file.name}, column '{header}': control characters (such "
                                f"as NUL) removed from {count:,} values")
    if source.keep is not None:
        total = file_rows(run.con, scan)
        if total > rows:
            run.report.notes.append(f"{file.name}: {total - rows:,} of {total:,} rows left "
                                    f"out by the mapping's keep rule for {source.table}")


def _check_tables(run: _Load, folder: Path) -> None:
    if "deals" not in run.filled:
        raise MissingTableError(f"no deals/opportunities file found in {folder} "
                                f"(read with the {run.mapping.name} mapping)",
                                hint="export deals/opportunities, or pass --format / --mapping")
    for table in TABLES:
        if table in run.filled:
            check_unique_ids(run.con, table, run.origins)
        elif (table in OPTIONAL_TABLES or table == "reps") and table not in DERIVED_TABLES:
            run.report.missing_tables.append(table)


def _drop_scratch(con, raw: str) -> None:
    con.execute(f"drop table if exists {ident(raw)}")
    con.execute(f"drop table if exists {ident(raw + '_typed')}")


def ensure_format_name(fmt: str) -> str:
    if fmt in ("auto", *BUILTIN) or Path(fmt).suffix in (".yml", ".yaml"):
        return fmt
    raise ConfigError(f"unknown format '{fmt}'; use auto, {', '.join(BUILTIN)} "
                      f"or the path of a mapping .yml file")
