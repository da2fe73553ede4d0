"""What every command shares: the error boundary, exit codes and the data-source options.

Any CrmproofError becomes one line on stderr and its exit code; a traceback is shown only
with --debug.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import click

from ..config import CONFIG_NAME, find_config
from ..errors import CrmproofError

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


def parse_date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


def config_path(config: Path | None) -> Path | None:
    return config if config is not None else find_config(Path.cwd())


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
    "--as-of", "as_of", callback=parse_date, metavar="YYYY-MM-DD",
    help="Report as of this date (default: the latest timestamp in the data).")


def project_options(func):
    """--config, --data, --format, --mapping and --as-of: where a command's data comes from."""
    for option in reversed((config_option, data_option, format_option, mapping_option,
                            as_of_option)):
        func = option(func)
    return func


output_option = click.option(
    "--output", "output", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True, help="How to print the result: an aligned table, CSV (exact numbers) "
                            "or JSON.")
today_option = click.option(
    "--today", callback=parse_date, metavar="YYYY-MM-DD",
    help="The build day (default: today in UTC): records dated after it never move the "
         "as-of date and are reported; --strict measures the data's age against it.")

DEFAULT_OUTS = {"rep": Path("site"), "manager": Path("manager-site")}
out_option = click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Where the built site goes, replaced atomically (default: site, or manager-site "
         "with --audience manager).")
audience_option = click.option(
    "--audience", type=click.Choice(["rep", "manager"]), default="rep", show_default=True,
    help="rep: the site for the team; manager: the manager's copy (named 1:1 sheets, the "
         "agreed-window board, the consequence ladder), never to be published.")


def build_options(config, data, fmt, mapping, as_of, out, audience="rep", **extra):
    from ..build import BuildOptions

    return BuildOptions(config_path=config_path(config), data=data,
                        out=out or DEFAULT_OUTS[audience], as_of=as_of,
                        fmt=str(mapping) if mapping else fmt, audience=audience, **extra)
