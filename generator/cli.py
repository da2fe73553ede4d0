"""The `crmproof` command line. It only parses options, calls the stages and reports.

Any CrmproofError becomes one line on stderr and its exit code; a traceback is
shown only with --debug.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path

import click

from . import __version__
from .config import CONFIG_NAME, find_config
from .errors import CrmproofError

EXIT_CODES = """Exit codes: 0 success, 1 other error, 2 config error, 3 data error,
4 query error, 5 build error, 6 --strict check failed."""


class UserError(click.ClickException):
    """A CrmproofError shown as `Error: <one line>` with the error's own exit code."""

    def __init__(self, error: CrmproofError) -> None:
        super().__init__(str(error).splitlines()[0] if str(error) else type(error).__name__)
        self.exit_code = error.exit_code


def reports_errors(func):
    """Turn project errors into one-line messages unless --debug was given."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CrmproofError as error:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            raise UserError(error) from None
    return wrapper


def _date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _config_path(config: Path | None) -> Path | None:
    return config if config is not None else find_config(Path.cwd())


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="crmproof")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
def cli(debug: bool) -> None:
    """Turn exported CRM data into an offline site that shows reps, with their own
    team's numbers, how CRM habits go with winning.

    Start with `crmproof build` (builds the demo site into ./site), then
    `crmproof init` to set up your own project.
    """


config_option = click.option(
    "--config", "config", type=click.Path(path_type=Path, dir_okay=False),
    help=f"Config file (default: ./{CONFIG_NAME} if present, else built-in defaults).")
data_option = click.option(
    "--data", type=click.Path(path_type=Path, file_okay=False),
    help="Folder of CRM export files (default: data.folder in the config, else the demo).")
format_option = click.option(
    "--format", "fmt", default=None,
    help="Export format: auto, salesforce, hubspot, pipedrive, generic (default: auto).")
mapping_option = click.option(
    "--mapping", type=click.Path(path_type=Path, dir_okay=False),
    help="A mapping .yml for an export format crmproof does not know.")
as_of_option = click.option(
    "--as-of", "as_of", callback=_date, metavar="YYYY-MM-DD",
    help="Report as of this date (default: the latest timestamp in the data).")


def project_options(func):
    """--config, --data, --format, --mapping and --as-of: where a command's data comes from."""
    for option in reversed((config_option, data_option, format_option, mapping_option,
                            as_of_option)):
        func = option(func)
    return func


out_option = click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), default=Path("site"),
    show_default=True, help="Where the built site goes (replaced atomically).")


def _build_options(config, data, fmt, mapping, as_of, out, **extra):
    from .build import BuildOptions

    return BuildOptions(config_path=_config_path(config), data=data, out=out, as_of=as_of,
                        fmt=str(mapping) if mapping else fmt, **extra)


@cli.command(epilog=EXIT_CODES)
@project_options
@out_option
@click.option("--strict", is_flag=True,
              help="For CI: exit 6 when the newest record is older than "
                   "strict.max_data_age_days before --today, when deals or activities are "
                   "missing, or when validation finds errors.")
@click.option("--today", callback=_date, metavar="YYYY-MM-DD",
              help="The date --strict measures the data's age against (default: today). "
                   "Never shown on the site.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Ignore and do not write .crmproof-cache/ next to the output.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@reports_errors
def build(config: Path | None, data: Path | None, fmt: str | None, mapping: Path | None,
          as_of: dt.date | None, out: Path, strict: bool, today: dt.date | None,
          no_cache: bool, quiet: bool) -> None:
    """Build the adoption site from CRM exports (the demo export by default).

    Unchanged data, config and content since the last build leave the site untouched
    (see .crmproof-cache/ next to the output).
    """
    from .build import build as run_build
    from .progress import Progress

    progress = Progress(quiet)
    options = _build_options(config, data, fmt, mapping, as_of, out, strict=strict,
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
    progress.say(f"Built {result.pages} pages from {source} (as of {result.as_of}) "
                 f"into {result.out}")


@cli.command()
@project_options
@out_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on localhost (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--exit-after", "exit_after", type=float, default=None, hidden=True,
              help="Stop after this many seconds (for tests).")
@reports_errors
def serve(config: Path | None, data: Path | None, fmt: str | None, mapping: Path | None,
          as_of: dt.date | None, out: Path, port: int, host: str,
          exit_after: float | None) -> None:
    """Build, serve the site on localhost and rebuild when content/, templates/,
    crmproof.yml or the export folder change (the open page reloads itself)."""
    from .progress import Progress
    from .serve import serve as run_serve

    progress = Progress(quiet=False)
    options = _build_options(config, data, fmt, mapping, as_of, out, progress=progress.start,
                             finished=progress.done)
    run_serve(options, port, host, say=progress.say, exit_after=exit_after)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False),
                default=Path("sample-data"))
@click.option("--seed", default=42, show_default=True, help="Random seed; same seed, same bytes.")
@click.option("--reps", default=20, show_default=True, type=click.IntRange(1, 100_000),
              help="Number of sales reps.")
@click.option("--months", default=12, show_default=True, type=click.IntRange(1, 120),
              help="Months of history.")
@reports_errors
def sample(folder: Path, seed: int, reps: int, months: int) -> None:
    """Write a synthetic Salesforce Data Loader export into FOLDER.

    The sample holds reps across the whole adoption spectrum, an assistant entering
    records for others, a rep whose habit improves part-way, and outcomes that are
    noisily (and confoundedly) associated with adoption.
    """
    from .sample import generate_sample

    result = generate_sample(folder, seed=seed, reps=reps, months=months)
    total = sum(result.row_counts.values())
    click.echo(f"Wrote {len(result.row_counts)} files ({total:,} rows) to {folder}")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _render_result(result, fmt: str) -> str:
    """A query result as an aligned text table, CSV or JSON (dates as ISO strings)."""
    import csv
    import io
    import json

    if fmt == "json":
        rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
                for row in result.dicts()]
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([[_cell(v) for v in row] for row in result.rows])
        return buffer.getvalue().rstrip("\n")
    cells = [list(result.columns)] + [[_cell(v) for v in row] for row in result.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(result.columns))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@cli.command()
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List every metric query.")
@click.option("--format", "output", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True, help="Output format.")
@config_option
@data_option
@as_of_option
@reports_errors
def query(name: str | None, list_queries: bool, output: str, config: Path | None,
          data: Path | None, as_of: dt.date | None) -> None:
    """Print one metric (NAME is a file in queries/, without .sql) for the data.

    `crmproof query --list` shows every metric with its one-line description.
    """
    from .metrics import get_query, load_queries, run_query
    from .project import open_project

    if list_queries or not name:
        queries = load_queries()
        width = max(len(q) for q in queries)
        for query_name, item in queries.items():
            click.echo(f"{query_name.ljust(width)}  {item.description}")
        return
    get_query(name)  # fail fast on an unknown name, before loading data
    project = open_project(_config_path(config), data=data, as_of=as_of)
    click.echo(_render_result(run_query(project.con, name, project.params), output))


@cli.command()
@project_options
@reports_errors
def validate(config: Path | None, data: Path | None, fmt: str | None, mapping: Path | None,
             as_of: dt.date | None) -> None:
    """Check an export's data quality and say which evidence it can support.

    Exits 3 when the report holds errors (impossible data); warnings do not fail.
    """
    from .config import load_config
    from .validate import render_text
    from .validate import validate as run_validate

    report = run_validate(load_config(_config_path(config)), data,
                          str(mapping) if mapping else fmt, as_of)
    click.echo(render_text(report), nl=False)
    if not report.ok:
        raise click.exceptions.Exit(3)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option("--data", "data_folder", default=None,
              help="Prefill data.folder (relative to FOLDER) with your exports folder.")
@click.option("--force", is_flag=True, help="Replace an existing crmproof.yml and content/.")
@reports_errors
def init(folder: Path, data_folder: str | None, force: bool) -> None:
    """Start a project in FOLDER: a commented crmproof.yml and a content/ folder to edit."""
    from .init import init_project

    overrides = {"data.folder": data_folder} if data_folder else {}
    result = init_project(folder, force=force, overrides=overrides)
    click.echo(f"Wrote {result.config} and {len(result.copied)} file(s) in {result.content}"
               + (f" (kept {len(result.kept)} existing)" if result.kept else ""))
    click.echo("Next: set data.folder in crmproof.yml, then run `crmproof validate` and "
               "`crmproof build`.")


stories_out_option = click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Folder for the story files (default: content/stories next to the config, else "
         "./content/stories). Existing files are never overwritten.")


def _story_data(config, data, fmt, mapping, as_of):
    from .project import open_project
    from .story_data import StoryData

    project = open_project(_config_path(config), data=data, as_of=as_of,
                           fmt=str(mapping) if mapping else fmt)
    return StoryData(project.con, project.config, project.params)


@cli.group()
def stories() -> None:
    """Success stories: reps whose numbers rose with their CRM habit.

    A story is a Markdown file in content/stories/ with live numbers written as
    [[metric win_rate period=after]]; see "Writing a success story" in the README.
    """


@stories.command("suggest")
@project_options
@stories_out_option
@click.option("--limit", default=3, show_default=True, type=click.IntRange(1, 1000),
              help="Write drafts for at most this many candidates.")
@reports_errors
def stories_suggest(config: Path | None, data: Path | None, fmt: str | None,
                    mapping: Path | None, as_of: dt.date | None, out: Path | None,
                    limit: int) -> None:
    """Find reps whose tier rose and whose win rate and won amounts rose with it, and
    write a draft story (draft: true, consent: false) for each of the strongest.

    A candidate needs at least min_n closed deals before and after the rise. Candidates
    are ranked by the lower end of the 95% interval of their win-rate difference.
    Drafts never publish; finish one, get the rep's consent, then set draft: false.
    """
    from .story_drafts import suggest

    numbers = _story_data(config, data, fmt, mapping, as_of)
    folder = out or numbers.config.root / "content" / "stories"
    found = suggest(numbers, folder, limit)
    if not found:
        click.echo(f"No candidates: no rep's tier rose with {numbers.min_n}+ closed deals on "
                   "each side and a higher win rate after.")
        return
    rows = [("#", "rep", "name", "win rate before", "after", "difference (95% interval)",
             "draft")]
    for rank, (candidate, written) in enumerate(found, start=1):
        value, low, high = candidate.difference
        before, after = candidate.before, candidate.after
        rows.append((str(rank), candidate.rep_id, numbers.reps[candidate.rep_id][0],
                     f"{before.won / before.closed:.0%} of {before.closed}",
                     f"{after.won / after.closed:.0%} of {after.closed}",
                     f"{value * 100:+.0f} pp ({low * 100:+.0f} to {high * 100:+.0f})",
                     f"{written.path}{'' if written.created else ' (exists, unchanged)'}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = zip(row, widths, strict=True)
        click.echo("  ".join(cell.ljust(width) for cell, width in cells).rstrip())


@cli.command("new-story")
@click.argument("rep")
@project_options
@stories_out_option
@reports_errors
def new_story(rep: str, config: Path | None, data: Path | None, fmt: str | None,
              mapping: Path | None, as_of: dt.date | None, out: Path | None) -> None:
    """Write a story skeleton for REP (a rep ID, or the rep's exact name).

    Front matter filled in (consent: false, draft: true), placeholders ready; periods
    are before/after the rep's rise in tier, or the whole history when there is none.
    """
    from .story_drafts import new_story as write_skeleton

    numbers = _story_data(config, data, fmt, mapping, as_of)
    written = write_skeleton(numbers, out or numbers.config.root / "content" / "stories", rep)
    if not written.created:
        raise click.ClickException(f"{written.path} exists; edit it, or remove it first")
    click.echo(f"Wrote {written.path}")


def main() -> None:
    cli(prog_name="crmproof")


if __name__ == "__main__":
    sys.exit(main())
