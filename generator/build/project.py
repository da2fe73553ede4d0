"""A project opened for work: config loaded, the export ingested (or reopened from the
ingest cache), as-of date and query parameters fixed. Shared by `build`, `query`,
`validate` and `stories`.

The ingested export always lives in an on-disk DuckDB database with a memory cap, so a
10M-activity export is paged rather than held in RAM. With a cache (`.crmproof-cache/`,
keyed by the export files' content hashes, the format, the data settings and the ingest
code) an export ingested before is reopened at once; `query`, `validate` and `stories` use
the cache of `crmproof build`'s default output (`./site`), so after a build they start at once.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ..config import Config, load_config
from ..db import connect_db
from ..errors import BuildError, DataError, MissingTableError, StaleDataError
from ..ingest import IngestReport, ingest_folder
from ..metrics import Capabilities, capabilities_of, metric_params
from ..resources import bundled
from ..sample import generate_sample
from ..text import DATE_MAX, DATE_MIN, date_in_range
from .cache import BuildCache, digest, ingest_code_fingerprint, output_path
from .lock import build_lock

DEMO_SEED = 42
DEFAULT_OUT = Path("site")  # `crmproof build`'s default output; its cache serves the commands


@dataclass
class Project:
    con: duckdb.DuckDBPyConnection
    config: Config
    ingest: IngestReport
    as_of: dt.date
    params: dict[str, Any] = field(default_factory=dict)
    demo: bool = False
    capabilities: Capabilities | None = None
    today: dt.date | None = None  # the build day: records after it never move the as-of


@dataclass
class Export:
    """An ingested export, open read-only."""

    con: duckdb.DuckDBPyConnection
    ingest: IngestReport
    demo: bool


def export_folder(config: Config, data: Path | None) -> Path | None:
    """The user's export folder (`--data`, else data.folder), or None for the demo export."""
    if data is not None:
        return Path(data)
    if config["data"]["folder"]:
        return config.resolve(config["data"]["folder"])
    return None


def data_folder(config: Config, data: Path | None, scratch: Path) -> tuple[Path, bool]:
    """The user's export folder, or the embedded demo export generated from its seed."""
    folder = export_folder(config, data)
    if folder is not None:
        return folder, False
    demo = scratch / "demo-data"
    generate_sample(demo, seed=DEMO_SEED)
    return demo, True


def format_fingerprint(fmt: str) -> list:
    """A format name, or a mapping file's name and content hash (its edits change the
    ingest; the mapping loader reports a file that is not UTF-8)."""
    path = Path(fmt)
    return [fmt, digest(path.read_bytes().hex()) if path.suffix in (".yml", ".yaml")
            and path.is_file() else None]


def build_day(today: dt.date | None = None) -> dt.date:
    """The build day: `--today`, else today's date in UTC (never the machine's time zone)."""
    return today or dt.datetime.now(dt.timezone.utc).date()


def latest_record(con: duckdb.DuckDBPyConnection,
                  today: dt.date | None = None) -> dt.date | None:
    """The day of the newest dated record that is not after the build day; None when there
    is none. Records dated later (a wrong clock, 2099) never move it; validate reports them."""
    path = bundled("queries") / "_latest_record.sql"
    try:
        row = con.execute(path.read_text(encoding="utf-8"),
                          {"today": build_day(today)}).fetchall()[0]
    except duckdb.Error as exc:
        raise BuildError(f"{path}: {str(exc).splitlines()[0]}") from None
    return row[0]


def latest_date(con: duckdb.DuckDBPyConnection, config: Config,
                today: dt.date | None = None) -> dt.date:
    """as_of from the config, else the day of the latest record in the data up to the
    build day (the wall clock only caps it: the same export gives the same date)."""
    if config["as_of"]:
        return dt.date.fromisoformat(str(config["as_of"]))
    latest = latest_record(con, today)
    if latest is None:
        raise BuildError("the export holds no dated records on or before "
                         f"{build_day(today)}; set as_of in crmproof.yml or pass --as-of")
    return latest


def open_export(config: Config, data: Path | None = None, fmt: str | None = None,
                cache: BuildCache | None = None, work: Path | None = None,
                strict: bool = False) -> Export:
    """The export in an on-disk DuckDB, opened read-only: from `cache` when it holds this
    export, else ingested (into the cache, or with only `work` into `work/ingest.duckdb`).
    Without `cache` or `work`, the cache of `crmproof build`'s default output is used."""
    fmt = fmt or config["data"]["format"]
    folder = export_folder(config, data)
    if cache is None and work is None:
        cache = BuildCache(output_path(DEFAULT_OUT))
        cache.check()
    with build_lock(cache.dir.parent) if cache is not None else nullcontext():
        return _open_export(config, data, fmt, folder, cache, work, strict)


def _open_export(config: Config, data: Path | None, fmt: str, folder: Path | None,
                 cache: BuildCache | None, work: Path | None, strict: bool) -> Export:
    if cache is not None:
        key = digest(cache.inputs_fingerprint(folder), format_fingerprint(fmt), config["data"],
                     config["reps"], ingest_code_fingerprint())
        cache.save_hashes()
        db, ingested = cache.ingest_db(key), cache.load_ingest_report(key)
    else:
        db, ingested = work / "ingest.duckdb", None
    if ingested is None:
        with _scratch(work) as scratch:
            ingested = _ingest_into(db, config, data, fmt, scratch, strict)
        if cache is not None:
            cache.save_ingest_report(key, ingested)
            cache.forget_other_ingests(key)
    return Export(connect_db(db, read_only=True), ingested, folder is None)


def open_project(config_path: Path | None = None, data: Path | None = None,
                 fmt: str | None = None, as_of: dt.date | None = None,
                 config: Config | None = None, cache: BuildCache | None = None,
                 work: Path | None = None, strict: bool = False,
                 today: dt.date | None = None) -> Project:
    """Config and the ingested export (see `open_export`), ready for metric queries; the
    metric parameters include what the export can support (`capabilities`)."""
    config = config or load_config(config_path)
    export = open_export(config, data, fmt, cache, work, strict)
    day = as_of or latest_date(export.con, config, today)
    if not date_in_range(day):
        export.con.close()
        raise DataError(f"the newest record in the export is dated {day.isoformat()}, "
                        f"outside {DATE_MIN.year}-{DATE_MAX.year}; fix that record, or set "
                        "as_of in crmproof.yml (or --as-of)")
    found = capabilities_of(export.con, config)
    params = {**metric_params(config, day), **found.params(),
              "supports": found.as_json()}
    return Project(export.con, config, export.ingest, day, params, export.demo, found,
                   build_day(today))


@contextmanager
def _scratch(work: Path | None):
    """`work` when given, else a temporary folder for the ingest's scratch files."""
    if work is not None:
        yield work
        return
    with tempfile.TemporaryDirectory(prefix="crmproof-data-") as scratch:
        yield Path(scratch)


def _ingest_into(db: Path, config: Config, data: Path | None, fmt: str, work: Path,
                 strict: bool) -> IngestReport:
    """Ingest into `<db>.partial`, then rename: a crash never leaves a half-filled cache."""
    partial = db.with_name(db.name + ".partial")
    db.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        con = connect_db(partial)
        try:
            folder, _ = data_folder(config, data, work)
            try:
                ingested = ingest_folder(con, folder, config, fmt)
            except MissingTableError as error:
                if strict:
                    raise StaleDataError(f"--strict: {error}") from None
                raise
            con.execute("checkpoint")
        finally:
            con.close()
    except BaseException:
        for leftover in (partial, partial.with_name(partial.name + ".wal")):
            leftover.unlink(missing_ok=True)  # a failed ingest (disk full...) leaves nothing
        raise
    os.replace(partial, db)
    return ingested
