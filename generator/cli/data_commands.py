"""`crmproof query` and `validate`: commands that read an export and print what it holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .options import (
    config_path,
    output_option,
    project_options,
    reports_errors,
    today_option,
)


def _cell(value, exact: bool = False) -> str:
    """A value as text: exact numbers for CSV (325020, 0.1234567), short ones in tables."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value) if exact else f"{value:.4f}".rstrip("0")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def render_rows(columns, rows, output: str) -> str:
    """Rows as an aligned text table, CSV (exact numbers) or JSON (dates as ISO strings)."""
    import csv
    import io
    import json

    if output == "json":
        return json.dumps([{k: _json_value(v) for k, v in zip(columns, row, strict=True)}
                           for row in rows], indent=2, ensure_ascii=False)
    if output == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v, exact=True) for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    cells = [list(columns)] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@click.command()
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List every metric query.")
@output_option
@project_options
@reports_errors
def query(name: str | None, list_queries: bool, output: str, config: Path | None,
          data: Path | None, fmt: str | None, mapping: Path | None,
          as_of: dt.date | None) -> None:
    """Print one metric (NAME is a file in queries/, without .sql) for the data.

    `crmproof query --list` shows every metric with its one-line description.
    """
    from ..build import open_project, query_params
    from ..metrics import get_query, load_queries, run_query

    if list_queries or not name:
        queries = load_queries()
        width = max(len(q) for q in queries)
        for query_name, item in queries.items():
            click.echo(f"{query_name.ljust(width)}  {item.description}")
        return
    get_query(name)  # fail fast on an unknown name, before loading data
    project = open_project(config_path(config), data=data, as_of=as_of,
                           fmt=str(mapping) if mapping else fmt)
    result = run_query(project.con, name, query_params(project, name, data))
    click.echo(render_rows(result.columns, result.rows, output))


@click.command()
@output_option
@project_options
@today_option
@reports_errors
def validate(output: str, config: Path | None, data: Path | None, fmt: str | None,
             mapping: Path | None, as_of: dt.date | None, today: dt.date | None) -> None:
    """Check an export's data quality, account for every deal and say which evidence it
    can support.

    Exits 3 when the report holds errors (impossible data); warnings do not fail.
    """
    import json

    from ..build import validate_project
    from ..config import load_config
    from .report import render_text, report_rows

    report = validate_project(load_config(config_path(config)), data,
                              str(mapping) if mapping else fmt, as_of, today)
    if output == "json":
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    elif output == "csv":
        click.echo(render_rows(("section", "key", "value"), report_rows(report), "csv"))
    else:
        click.echo(render_text(report), nl=False)
    if not report.ok:
        raise click.exceptions.Exit(3)


@click.command()
@project_options
@click.option("--since", metavar="DATE|Nd",
              help="Compare with the data as of this date (2026-09-01) or this long before "
                   "the as-of date (7d, 2w); default: the previous build kept next to --out.")
@click.option("--audience", type=click.Choice(["rep", "manager"]), default="rep",
              show_default=True, help="rep: team-level, no names unless privacy is named; "
                                      "manager: named, with follow-ups due or overdue.")
@click.option("--output", type=click.Choice(["md", "html", "json"]), default="md",
              show_default=True, help="Markdown (chat), HTML (e-mail) or JSON.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("site"),
              show_default=True, help="The built site whose previous builds to compare with "
                                      "(their summaries are kept in .crmproof-cache/ beside it).")
@today_option
@reports_errors
def digest(config: Path | None, data: Path | None, fmt: str | None, mapping: Path | None,
           as_of: dt.date | None, since: str | None, audience: str, output: str,
           out: Path, today: dt.date | None) -> None:
    """Print what changed since the previous build (or --since): tier moves, streaks
    started and broken, program weeks completed, the dark pipeline, new stories, and for
    the manager the follow-ups due or overdue. For the nightly job to post."""
    from ..build import DigestOptions, make_digest

    options = DigestOptions(config_path=config_path(config), data=data,
                            fmt=str(mapping) if mapping else fmt, as_of=as_of, since=since,
                            audience=audience, output=output, today=today, out=out)
    click.echo(make_digest(options), nl=False)
