"""The `crmproof` command line. It only parses options, calls the stages and reports.

In: argv. Out: one line per outcome, files written by the stages, and an exit code
(`options.EXIT_CODES`); any CrmproofError becomes one line on stderr, a traceback is
shown only with --debug.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..text import terminal_text
from .data_commands import digest, query, validate
from .mapping_commands import mapping
from .options import EXIT_CODES
from .site_commands import build, init, sample, serve
from .story_commands import new_story, stories

_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())


class _Cli(click.Group):
    """The command group; usage errors (a bad option value) are one line too, like every
    other error: `Error: Invalid value for '--as-of': ... (see crmproof build --help)`."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):  # noqa: ANN201
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except _NO_ARGS as error:  # bare `crmproof`: the help, as Click shows it
            error.show()
            sys.exit(error.exit_code)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "crmproof"
            click.echo(f"Error: {terminal_text(error.format_message())} (see {command} "
                       "--help)", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="crmproof")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
def cli(debug: bool) -> None:
    """Turn exported CRM data into an offline site that shows reps, with their own
    team's numbers, how CRM habits go with winning.

    Start with `crmproof build` (builds the demo site into ./site), then
    `crmproof init` to set up your own project.
    """


for command in (build, serve, sample, query, validate, digest, init, stories, new_story,
                mapping):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="crmproof")


if __name__ == "__main__":
    sys.exit(main())
