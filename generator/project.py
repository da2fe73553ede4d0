"""A project opened for work: config loaded, exports ingested, as-of date and query
parameters fixed. Shared by `build`, `query`, `validate` and `stories`."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from .canonical import connect
from .config import Config, load_config
from .errors import BuildError
from .ingest import IngestReport, ingest_folder
from .metrics import metric_params, run_script
from .resources import bundled
from .sample import generate_sample

DEMO_SEED = 42


@dataclass
class Project:
    con: duckdb.DuckDBPyConnection
    config: Config
    ingest: IngestReport
    as_of: dt.date
    params: dict[str, Any] = field(default_factory=dict)
    demo: bool = False


def data_folder(config: Config, data: Path | None, scratch: Path) -> tuple[Path, bool]:
    """The user's export folder, or the embedded demo export generated from its seed."""
    if data is not None:
        return Path(data), False
    if config["data"]["folder"]:
        return config.resolve(config["data"]["folder"]), False
    demo = scratch / "demo-data"
    generate_sample(demo, seed=DEMO_SEED)
    return demo, True


def latest_date(con: duckdb.DuckDBPyConnection, config: Config) -> dt.date:
    """as_of from the config, else the day of the latest record in the data (never today)."""
    if config["as_of"]:
        return dt.date.fromisoformat(str(config["as_of"]))
    run_script(con, bundled("queries") / "_latest_record.sql")
    latest = con.execute("select latest from _latest_record").fetchall()[0][0]
    if latest is None:
        raise BuildError("the export holds no dated records; set as_of in crmproof.yml")
    return latest


def open_project(config_path: Path | None = None, data: Path | None = None,
                 fmt: str | None = None, as_of: dt.date | None = None,
                 config: Config | None = None) -> Project:
    """Load config and data into an in-memory DuckDB, ready for metric queries."""
    config = config or load_config(config_path)
    with tempfile.TemporaryDirectory(prefix="crmproof-data-") as scratch:
        folder, demo = data_folder(config, data, Path(scratch))
        con = connect()
        report = ingest_folder(con, folder, config, fmt or config["data"]["format"])
    day = as_of or latest_date(con, config)
    return Project(con, config, report, day, metric_params(config, day), demo)
