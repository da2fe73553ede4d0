"""What every command shares: the error boundary, exit codes and the data-source options.

Any error becomes one line on stderr and an exit code: a CrmproofError its own, anything
unexpected (an OSError, MemoryError, a database error) 1. A traceback is shown only with
--debug, and the exit code stays the same.
"""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from pathlib import Path

import click

from ..config import CONFIG_NAME, find_config
from ..errors import CrmproofError
from ..text import DATE_MAX, DATE_MIN, terminal_text

EXIT_CODES = """Exit codes: 0 success, 1 other error, 2 config error, 3 data error,
4 query error, 5 build error, 6 --strict check failed."""


class UserError(click.ClickException):
    """One line on stderr, `Error: <message>`, with a project exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(_one_line(message))
        self.exit_code = exit_code


def _one_line(message: str, limit: int = 1000) -> str:
    """The first line, shown safely: no raw control characters, bounded length."""
    line = terminal_text(message.strip().splitlines()[0] if message.strip() else "")
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _unexpected(error: BaseException) -> tuple[str, int]:
    """A message and exit code for an error no stage turned into a project error."""
    if isinstance(error, KeyboardInterrupt):
        return "interrupted", 130
    if isinstance(error, MemoryError):
        return ("out of memory; set CRMPROOF_MEMORY_LIMIT lower or run on a machine with "
                "more memory"), 1
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror}{where}", 1
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return (f"unexpected {type(error).__name__}{f': {first}' if first else ''} (crmproof "
            "--debug shows where; please report it)"), 1


def reports_errors(func):
    """The error boundary: any error becomes one line and an exit code, never a traceback
    unless --debug was given (which prints it first and keeps the same exit code)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except CrmproofError as error:
            caught, (message, code) = error, (str(error) or type(error).__name__,
                                              error.exit_code)
        except (Exception, KeyboardInterrupt, MemoryError) as error:  # noqa: BLE001
            caught, (message, code) = error, _unexpected(error)
        if click.get_current_context().find_root().params.get("debug"):
            traceback.print_exception(caught)
        raise UserError(message, code) from None
    return wrapper


def parse_date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None
    if not DATE_MIN <= day <= DATE_MAX:
        raise click.BadParameter(f"expected a date from {DATE_MIN} to {DATE_MAX}, got {value}")
    return day


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
