"""`crmproof query` and `validate`: commands that read an export and print what it holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .options import (
    as_of_option,
    config_option,
    config_path,
    data_option,
    project_options,
    reports_errors,
)


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


@click.command()
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
    from ..build import open_project
    from ..metrics import get_query, load_queries, run_query

    if list_queries or not name:
        queries = load_queries()
        width = max(len(q) for q in queries)
        for query_name, item in queries.items():
            click.echo(f"{query_name.ljust(width)}  {item.description}")
        return
    get_query(name)  # fail fast on an unknown name, before loading data
    project = open_project(config_path(config), data=data, as_of=as_of)
    click.echo(_render_result(run_query(project.con, name, project.params), output))


@click.command()
@project_options
@reports_errors
def validate(config: Path | None, data: Path | None, fmt: str | None, mapping: Path | None,
             as_of: dt.date | None) -> None:
    """Check an export's data quality and say which evidence it can support.

    Exits 3 when the report holds errors (impossible data); warnings do not fail.
    """
    from ..build import validate_project
    from ..config import load_config
    from .report import render_text

    report = validate_project(load_config(config_path(config)), data,
                          str(mapping) if mapping else fmt, as_of)
    click.echo(render_text(report), nl=False)
    if not report.ok:
        raise click.exceptions.Exit(3)
