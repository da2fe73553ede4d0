"""`crmproof build`, `serve`, `sample` and `init`: commands that write a site or a project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .options import (
    EXIT_CODES,
    audience_option,
    build_options,
    out_option,
    project_options,
    reports_errors,
    today_option,
)


@click.command(epilog=EXIT_CODES)
@project_options
@out_option
@audience_option
@click.option("--strict", is_flag=True,
              help="For CI: exit 6 when the newest record is older than "
                   "strict.max_data_age_days before --today, when deals or activities are "
                   "missing, or when validation finds errors.")
@today_option
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Ignore and do not write .crmproof-cache/ next to the output.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@reports_errors
def build(config: Path | None, data: Path | None, fmt: str | None, mapping: Path | None,
          as_of: dt.date | None, out: Path | None, audience: str, strict: bool,
          today: dt.date | None, no_cache: bool, quiet: bool) -> None:
    """Build the adoption site from CRM exports (the demo export by default).

    Unchanged data, config and content since the last build leave the site untouched
    (see .crmproof-cache/ next to the output).
    """
    from ..build import build as run_build
    from .progress import Progress

    progress = Progress(quiet)
    options = build_options(config, data, fmt, mapping, as_of, out, audience, strict=strict,
                             today=today, cache=not no_cache, progress=progress.start,
                             finished=progress.done)
    try:
        result = run_build(options)
    finally:
        progress.close()
    source = "the demo export" if result.demo else str(result.ingest.folder) if (
        result.ingest) else "the same data"
    if result.unchanged:
        progress.say(f"Nothing changed since the last build; {result.out} left as it was "
                     f"(as of {result.as_of})")
        return
    what = "the manager's copy (do not publish it)" if audience == "manager" else "the site"
    progress.say(f"Built {what}: {result.pages} pages from {source} (as of {result.as_of}) "
                 f"into {result.out}")


@click.command()
@project_options
@out_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on localhost (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--exit-after", "exit_after", type=float, default=None, hidden=True,
              help="Stop after this many seconds (for tests).")
@reports_errors
def serve(config: Path | None, data: Path | None, fmt: str | None, mapping: Path | None,
          as_of: dt.date | None, out: Path | None, port: int, host: str,
          exit_after: float | None) -> None:
    """Build, serve the site on localhost and rebuild when content/, templates/,
    crmproof.yml or the export folder change (the open page reloads itself)."""
    from ..build import serve as run_serve
    from .progress import Progress

    progress = Progress(quiet=False)
    options = build_options(config, data, fmt, mapping, as_of, out, progress=progress.start,
                             finished=progress.done)
    run_serve(options, port, host, say=progress.say, exit_after=exit_after)


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False),
                default=Path("sample-data"))
@click.option("--seed", default=42, show_default=True, help="Random seed; same seed, same bytes.")
@click.option("--reps", default=22, show_default=True, type=click.IntRange(1, 100_000),
              help="Number of sales reps.")
@click.option("--months", default=12, show_default=True, type=click.IntRange(1, 120),
              help="Months of history.")
@click.option("--within-effect", "within_effect", default=0.08, show_default=True,
              type=click.FloatRange(0, 0.5),
              help="Planted link between a rep's logging and their own outcomes: extra win "
                   "probability in a fully diligent week (the improver's gains scale with "
                   "it); 0 ties no outcome to the rep's own logging.")
@click.option("--confounding", default=1.0, show_default=True, type=click.FloatRange(0, 3),
              help="How strongly a rep's skill drives both logging and winning: 1 the demo's, "
                   "0 not at all.")
@reports_errors
def sample(folder: Path, seed: int, reps: int, months: int, within_effect: float,
           confounding: float) -> None:
    """Write a synthetic Salesforce Data Loader export into FOLDER.

    The sample holds reps across the whole adoption spectrum, an assistant entering
    records for others, a rep whose habit improves part-way and one whose habit slips, a
    rep who logs in but enters almost nothing, outcomes that are noisily (and
    confoundedly) associated with adoption, and a demo coaching log (coaching/log.csv).
    --within-effect and --confounding plant a known truth to check the estimators against.
    """
    from ..sample import generate_sample

    result = generate_sample(folder, seed=seed, reps=reps, months=months,
                             within_effect=within_effect, confounding=confounding)
    total = sum(result.row_counts.values())
    click.echo(f"Wrote {len(result.row_counts)} files ({total:,} rows) to {folder}")


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option("--data", "data_folder", default=None,
              help="Prefill data.folder (relative to FOLDER) with your exports folder.")
@click.option("--force", is_flag=True, help="Replace an existing crmproof.yml and content/.")
@reports_errors
def init(folder: Path, data_folder: str | None, force: bool) -> None:
    """Start a project in FOLDER: a commented crmproof.yml, a content/ folder to edit and an
    empty coaching log (coaching/log.csv, never overwritten)."""
    from ..config import init_project

    overrides = {"data.folder": data_folder} if data_folder else {}
    result = init_project(folder, force=force, overrides=overrides)
    click.echo(f"Wrote {result.config} and {len(result.copied)} file(s) in {result.content}"
               + (f" (kept {len(result.kept)} existing)" if result.kept else ""))
    click.echo("Next: set data.folder in crmproof.yml, then run `crmproof validate` and "
               "`crmproof build`; keep your one-on-ones in coaching/log.csv for "
               "`crmproof build --audience manager`.")
