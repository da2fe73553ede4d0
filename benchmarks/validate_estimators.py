"""Known truth in, truth out: the evidence estimators on samples with planted effects.

    python benchmarks/validate_estimators.py [--samples 200] [--reps 20] [--months 12]
        [--effects 0,0.08,0.2] [--confounding 0,1] [--workers 2]

For every planted within-rep effect X and confounding Y it generates `--samples` demo-like
exports (`crmproof sample --within-effect X --confounding Y`, seeds 1, 2, ...), runs them
through the real pipeline (ingest, the tier and attribution SQL, `evidence.analyse_deals`)
and prints, per estimator, the mean truth, the bias (mean estimate minus truth), the RMSE,
the share of 95% intervals that contain the truth, and the mean interval width.

The truth of an estimator on one sample is the same estimator applied to what the generator
planted: every closed deal's outcome replaced by the part of its win probability that the
rep's logging put there (X times that week's diligence, plus the improver's extra after the
switch; `SampleResult.planted_win`). Each estimator is linear in the outcomes, so on a sample
its expectation is its value on the deals' win probabilities; for a within-rep estimator the
rep's skill is a constant per rep that the rep effects remove, so that expectation is exactly
its value on the planted part. A between-rep estimator also picks up skill, which goes with
logging when Y > 0: its "bias" against this truth is the confounding it cannot remove.
Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ESTIMATORS = {  # finding id -> what the table calls it
    "headline_between": "between reps",
    "headline_within": "within rep",
    "headline_team": "between reps, within team",
    "headline_rep_tenure": "within rep and tenure band",
    "attribution_created_within": "within rep, tier at creation",
    "attribution_close_within": "within rep, tier at close",
}


def run_sample(seed: int, reps: int, months: int, effect: float, confounding: float,
               resamples: int = 2000) -> list[dict]:
    """One sample through the pipeline: each estimator's estimate, interval and truth."""
    from generator import evidence, metrics
    from generator.config import load_config
    from generator.db import connect
    from generator.ingest import ingest_folder
    from generator.sample import END_DATE, generate_sample

    config = load_config()
    with tempfile.TemporaryDirectory(prefix="crmproof-validate-") as work:
        sample = generate_sample(Path(work) / "export", seed=seed, reps=reps, months=months,
                                 within_effect=effect, confounding=confounding)
        con = connect()
        ingest_folder(con, sample.folder, config)
    params = metrics.metric_params(config, END_DATE)
    result = metrics.run_query(con, "deal_attribution", params)
    columns = {name: [row[i] for row in result.rows] for i, name in enumerate(result.columns)}
    rep_ids = [r for (r,) in con.execute("select rep_id from reps where is_rep order by rep_id"
                                         ).fetchall()]
    index = {rep_id: i for i, rep_id in enumerate(rep_ids)}
    boot = evidence.RepBootstrap(len(index), seed, resamples)
    found = evidence.analyse_deals(columns, index, 1, 2, boot).findings
    planted = {**columns, "is_won": [sample.planted_win[d] for d in columns["deal_id"]]}
    truth = evidence.analyse_deals(planted, index, 1, 2, evidence.RepBootstrap(
        len(index), seed, 1)).findings
    return [{"estimator": name, "effect": effect, "confounding": confounding,
             "estimate": found[name].value, "low": found[name].low, "high": found[name].high,
             "truth": truth[name].value} for name in ESTIMATORS]


def summarise(records: list[dict]) -> list[dict]:
    """Per (effect, confounding, estimator): truth, bias, RMSE, coverage, interval width."""
    groups: dict[tuple, list[dict]] = {}
    for record in records:
        if None not in (record["estimate"], record["low"], record["truth"]):
            key = (record["effect"], record["confounding"], record["estimator"])
            groups.setdefault(key, []).append(record)
    rows = []
    for (effect, confounding, name), group in sorted(
            groups.items(), key=lambda item: (item[0][0], item[0][1],
                                              list(ESTIMATORS).index(item[0][2]))):
        errors = [r["estimate"] - r["truth"] for r in group]
        rows.append({
            "effect": effect, "confounding": confounding, "estimator": ESTIMATORS[name],
            "samples": len(group), "truth": sum(r["truth"] for r in group) / len(group),
            "bias": sum(errors) / len(group),
            "rmse": math.sqrt(sum(e * e for e in errors) / len(group)),
            "coverage": sum(r["low"] <= r["truth"] <= r["high"] for r in group) / len(group),
            "width": sum(r["high"] - r["low"] for r in group) / len(group)})
    return rows


def table(rows: list[dict]) -> str:
    """The summary as a Markdown table (differences in percentage points)."""
    lines = ["| X | Y | Estimator | Samples | Mean truth | Bias | RMSE | 95% coverage | "
             "Mean width |", "|--:|--:|---|--:|--:|--:|--:|--:|--:|"]
    for r in rows:
        lines.append(f"| {r['effect']:g} | {r['confounding']:g} | {r['estimator']} | "
                     f"{r['samples']} | {r['truth'] * 100:+.1f} | {r['bias'] * 100:+.1f} | "
                     f"{r['rmse'] * 100:.1f} | {r['coverage']:.0%} | {r['width'] * 100:.1f} |")
    return "\n".join(lines)


def _floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--effects", type=_floats, default=[0.0, 0.08, 0.2])
    parser.add_argument("--confounding", type=_floats, default=[0.0, 1.0])
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    jobs = [(seed, args.reps, args.months, effect, confounding, args.resamples)
            for effect in args.effects for confounding in args.confounding
            for seed in range(1, args.samples + 1)]
    started = dt.datetime.now()
    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as pool:
            parts = list(pool.map(run_sample, *zip(*jobs, strict=True), chunksize=4))
    else:
        parts = [run_sample(*job) for job in jobs]
    text = table(summarise([record for part in parts for record in part]))
    seconds = (dt.datetime.now() - started).total_seconds()
    print(f"{len(jobs)} samples of {args.reps} reps x {args.months} months, "
          f"{args.resamples} resamples each, in {seconds:.0f} s\n\n{text}")
    return text


if __name__ == "__main__":
    main()
