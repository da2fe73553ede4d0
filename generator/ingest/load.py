"""Ingest: export files -> DuckDB canonical tables, typed and checked.

Files stream through DuckDB (`read_csv` / `read_parquet`, all text; `files`), a
mapping turns vendor columns into canonical columns, and each file is parsed straight into
its table by SQL macros (`typed`, `queries/_ingest_macros.sql`). Every value that
cannot be read is reported with its file, spreadsheet row (header = row 1), column and the
value itself. This module picks the mapping, loads every file, and checks and finishes the
tables (unique IDs, names and emails resolved to rep IDs, currencies).
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
from .canonical import OPTIONAL_TABLES, PERSON_COLUMNS, TABLES, create_empty
from .files import data_files, headers_of, load_file
from .mapping import (
    BUILTIN,
    Mapping,
    best_source,
    builtin_mapping,
    load_mapping,
    spec_headers,
)
from .typed import insert_file


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


# ---- choosing a mapping --------------------------------------------------------------


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
        headers = headers_of(con, files, Path(scratch), readers, loaded)
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
                    load_file(con, path, Path(scratch), raw)
                report.skipped.append(path)
                _drop_scratch(con, raw)
                continue
            warned = len(report.warnings)
            try:
                rows, dmy = insert_file(con, source.table, raw, path, headers[path][1], source,
                                        mapping, config, report.warnings, readers[path],
                                        ident(raw) if path in loaded else readers[path])
            except duckdb.Error:
                if path in loaded:
                    raise
                # Read straight from the file, it failed past its header (quoted newlines,
                # invalid UTF-8): load it as text with the retries, then type that.
                del report.warnings[warned:]
                readable, readers[path], found = load_file(con, path, Path(scratch), raw)
                headers[path] = (readable, found)
                loaded.add(path)
                rows, dmy = insert_file(con, source.table, raw, path, headers[path][1], source,
                                        mapping, config, report.warnings, readers[path],
                                        ident(raw))
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
    con.execute(f"drop table if exists {ident(raw)}")
    con.execute(f"drop table if exists {ident(raw + '_typed')}")


def ensure_format_name(fmt: str) -> str:
    if fmt in ("auto", *BUILTIN) or Path(fmt).suffix in (".yml", ".yaml"):
        return fmt
    raise ConfigError(f"unknown format '{fmt}'; use auto, {', '.join(BUILTIN)} "
                      f"or the path of a mapping .yml file")
