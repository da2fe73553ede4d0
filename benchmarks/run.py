"""Benchmark the whole build on synthetic Salesforce exports. Reports; never asserts.

    python benchmarks/run.py --scale small|medium|large

Generates the export (cached under benchmarks/out/data-<scale>/, fast DuckDB-SQL
generator), measures DuckDB's raw scan of the same CSVs, then runs a cold build (no
cache) and a no-change rebuild, each in a fresh process so peak memory (ru_maxrss) is the
build's own. Prints a table and writes benchmarks/out/<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

TARGETS = {"cold_build_s": 60.0, "peak_memory_mib": 2048.0, "no_change_rebuild_s": 5.0,
           "queries_vs_raw_scan": 2.0, "rep_page_kib_max": 40.0}


def _generate(scale: str, folder: Path, regenerate: bool) -> dict:
    from fastsample import SCALES, generate_fast

    marker = folder / ".complete.json"
    if marker.is_file() and not regenerate:
        return json.loads(marker.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    counts = generate_fast(folder, SCALES[scale])
    info = {"rows": counts, "seconds": round(time.perf_counter() - start, 2),
            "bytes": sum(p.stat().st_size for p in folder.glob("*.csv"))}
    marker.write_text(json.dumps(info))
    return info


def _raw_scan(folder: Path, repeats: int = 3) -> dict:
    """DuckDB reading every CSV as text: `count(*)` (what the targets compare against) and,
    for context, a scan that touches every column (count(*) may skip parsing values).

    The files are read once first, so the scan, like the build after it, reads them from
    the OS cache; each figure is the best of `repeats` runs (the scan's own noise is large).
    """
    import duckdb

    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    paths = sorted(folder.glob("*.csv"))
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass
    figures, rows = {}, 0
    for label, select in (("seconds", "count(*)"), ("all_columns_seconds",
                                                     "count(*), max(columns(*))")):
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            rows = sum(con.execute(f"select {select} from read_csv($p, all_varchar = true, "
                                   "header = true)", {"p": str(path)}).fetchall()[0][0]
                       for path in paths)
            runs.append(time.perf_counter() - start)
        figures[label] = round(min(runs), 3)
        figures[f"{label}_runs"] = [round(run, 3) for run in runs]
    return {"rows": rows, **figures}


def _project(scale: str, data: Path) -> Path:
    """A minimal project: a config pointing at the export and one hand-written page
    (the bundled demo stories name demo reps, which a synthetic export does not have)."""
    project = OUT / f"project-{scale}"
    shutil.rmtree(project, ignore_errors=True)
    (project / "content").mkdir(parents=True)
    (project / "crmproof.yml").write_text(f"data:\n  folder: {data}\n", encoding="utf-8")
    (project / "content" / "about.md").write_text(
        "# About\n\nA benchmark build of a synthetic export.\n", encoding="utf-8")
    return project


def _child_build(config: str, out: str) -> None:
    """Run one build in this process and print its figures as JSON (the parent's child)."""
    from generator.build import BuildOptions, build

    start = time.perf_counter()
    result = build(BuildOptions(config_path=Path(config), out=Path(out)))
    wall = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"wall_s": round(wall, 3), "timings": result.timings,
                      "peak_memory_mib": round(peak_kib / 1024, 1),
                      "unchanged": result.unchanged, "pages": result.pages,
                      "rows": result.summary.get("rows", {})}))


def _run_build(config: Path, out: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child-build", str(config), str(out)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-3000:]}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["process_s"] = round(time.perf_counter() - start, 3)  # incl. interpreter start
    return figures


def _site_figures(out: Path) -> dict:
    files = [p for p in out.rglob("*") if p.is_file()]
    reps = sorted(p.stat().st_size for p in out.glob("reps/*/index.html"))
    return {"files": len(files), "site_mib": round(sum(p.stat().st_size for p in files)
                                                  / 2**20, 2),
            "rep_pages": len(reps),
            "rep_page_kib_median": round(statistics.median(reps) / 1024, 1) if reps else None,
            "rep_page_kib_max": round(max(reps) / 1024, 1) if reps else None}


def run(scale: str, regenerate: bool) -> dict:
    data = OUT / f"data-{scale}"
    generated = _generate(scale, data, regenerate)
    project = _project(scale, data)
    site = project / "site"
    scan = _raw_scan(data)
    cold = _run_build(project / "crmproof.yml", site)
    again = _run_build(project / "crmproof.yml", site)
    rows = sum(cold["rows"].values())
    ingest_s = cold["timings"].get("ingest") or 0
    report = {
        "scale": scale, "generated": generated, "raw_scan": scan, "cold": cold,
        "no_change": again, "site": _site_figures(site),
        "rows_total": rows,
        "ingest_rows_per_s": round(rows / ingest_s) if ingest_s else None,
        "build_rows_per_s": round(rows / cold["wall_s"]),
        "queries_vs_raw_scan": round(cold["timings"].get("queries", 0) / scan["seconds"], 2)
        if scan["seconds"] else None,
        "queries_vs_all_columns_scan": round(cold["timings"].get("queries", 0)
                                             / scan["all_columns_seconds"], 2)
        if scan["all_columns_seconds"] else None,
        "cpu_count": os.cpu_count(),
    }
    report["targets"] = _targets(report)
    return report


def _targets(report: dict) -> dict:
    measured = {"cold_build_s": report["cold"]["wall_s"],
                "peak_memory_mib": report["cold"]["peak_memory_mib"],
                "no_change_rebuild_s": report["no_change"]["process_s"],
                "queries_vs_raw_scan": report["queries_vs_raw_scan"],
                "rep_page_kib_max": report["site"]["rep_page_kib_max"]}
    return {name: {"target": TARGETS[name], "measured": value,
                   "met": None if value is None else value <= TARGETS[name]}
            for name, value in measured.items()}


def _table(report: dict) -> str:
    cold, lines = report["cold"], []
    lines.append(f"crmproof benchmark: {report['scale']} ({report['rows_total']:,} rows, "
                 f"{report['generated']['bytes'] / 2**20:,.0f} MiB CSV, "
                 f"{report['cpu_count']} cores)")
    lines.append(f"  {'stage':<22}{'seconds':>10}")
    for stage, seconds in cold["timings"].items():
        lines.append(f"  {stage:<22}{seconds:>10.2f}")
    lines.append(f"  {'cold build (wall)':<22}{cold['wall_s']:>10.2f}")
    lines.append(f"  {'raw DuckDB CSV scan':<22}{report['raw_scan']['seconds']:>10.2f}"
                 f"  (count(*); touching every column: "
                 f"{report['raw_scan']['all_columns_seconds']:.2f})")
    lines.append(f"  {'no-change rebuild':<22}{report['no_change']['process_s']:>10.2f}"
                 f"  (process incl. start-up; site untouched: {report['no_change']['unchanged']})")
    lines.append(f"  peak memory {cold['peak_memory_mib']:,.0f} MiB; ingest "
                 f"{report['ingest_rows_per_s'] or 0:,} rows/s; site "
                 f"{report['site']['site_mib']} MiB in {report['site']['files']} files; "
                 f"{report['site']['rep_pages']} rep pages, max "
                 f"{report['site']['rep_page_kib_max']} KiB")
    lines.append("  targets:")
    for name, item in report["targets"].items():
        state = {True: "met", False: "NOT met", None: "n/a"}[item["met"]]
        lines.append(f"    {name:<22} {item['measured']!s:>10} (target ≤ {item['target']}) "
                     f"{state}")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child-build":
        _child_build(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("small", "medium", "large"), default="small")
    parser.add_argument("--regenerate", action="store_true",
                        help="Write the synthetic export again even if it exists.")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    report = run(args.scale, args.regenerate)
    (OUT / f"{args.scale}.json").write_text(json.dumps(report, indent=2, default=str))
    print(_table(report))
    print(f"(JSON: {OUT / f'{args.scale}.json'})")


if __name__ == "__main__":
    main()
