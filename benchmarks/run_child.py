"""The benchmark's heavy steps, each run in its own process by `run.py` (which measures it).

    python benchmarks/run_child.py generate SCALE FOLDER
    python benchmarks/run_child.py scan FOLDER
    python benchmarks/run_child.py load FOLDER DATABASE
    python benchmarks/run_child.py build CONFIG OUT

Each prints one JSON line of figures as its last line of output.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def generate(scale: str, folder: str) -> dict:
    from fastsample import SCALES, generate_fast

    start = time.perf_counter()
    counts = generate_fast(Path(folder), SCALES[scale])
    return {"rows": counts, "reps": SCALES[scale].reps,
            "seconds": round(time.perf_counter() - start, 2),
            "bytes": sum(p.stat().st_size for p in Path(folder).glob("*.csv"))}


def _best(con, select: str, paths: list[Path], repeats: int = 3) -> tuple[float, list[float]]:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for path in paths:
            con.execute(select.format(path=str(path).replace("'", "''"))).fetchall()
        runs.append(round(time.perf_counter() - start, 3))
    return min(runs), runs


def scan(folder: str) -> dict:
    """DuckDB reading the export's CSVs, from the OS cache (each file read once first):

    - text: `count(*)` over all-text columns, the floor the whole build is compared with;
    - typed: every column read with DuckDB's own type detection (`max(columns(*))`
      forces each value to be parsed), the floor for ingest, which types every column.
    """
    import duckdb

    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    paths = sorted(Path(folder).glob("*.csv"))
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass
    text_s, text_runs = _best(con, "select count(*) from read_csv('{path}', all_varchar = true, "
                                   "header = true)", paths)
    typed_s, typed_runs = _best(con, "select count(*), max(columns(*)) from "
                                     "read_csv('{path}', header = true)", paths)
    return {"text_s": text_s, "text_runs": text_runs, "typed_s": typed_s,
            "typed_runs": typed_runs}


def load(folder: str, database: str) -> dict:
    """DuckDB's own load of the export: every CSV into a table of an on-disk database, types
    detected, nothing cleaned or checked, under the build's memory cap. No ingest into
    DuckDB's file format can be faster, so this is the floor under crmproof's ingest."""
    import duckdb

    from generator.db import DEFAULT_MEMORY_LIMIT

    path = Path(database)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("set enable_progress_bar = false")
    con.execute("set memory_limit = $limit", {"limit": DEFAULT_MEMORY_LIMIT})
    start = time.perf_counter()
    for index, csv in enumerate(sorted(Path(folder).glob("*.csv"))):
        con.execute(f"create table t{index} as select * from read_csv('"
                    + str(csv).replace("'", "''") + "', header = true)")
    con.execute("checkpoint")
    seconds = time.perf_counter() - start
    con.close()
    size = path.stat().st_size
    path.unlink()
    return {"load_s": round(seconds, 3), "database_mib": round(size / 2**20, 1)}


def build(config: str, out: str) -> dict:
    from generator.build import BuildOptions, build

    start = time.perf_counter()
    result = build(BuildOptions(config_path=Path(config), out=Path(out)))
    wall = time.perf_counter() - start
    return {"wall_s": round(wall, 3), "timings": result.timings, "unchanged": result.unchanged,
            "pages": result.pages, "rows": result.summary.get("rows", {})}


def main() -> None:
    step, *args = sys.argv[1:]
    figures = {"generate": generate, "scan": scan, "load": load, "build": build}[step](*args)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
