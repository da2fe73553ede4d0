"""Stage progress on stderr: a live `rich` status on a terminal, plain lines in CI logs,
nothing with --quiet. Wall-clock times go to the terminal only, never into the site."""

from __future__ import annotations

import sys
from typing import TextIO

import click


class Progress:
    def __init__(self, quiet: bool = False, stream: TextIO | None = None,
                 tty: bool | None = None) -> None:
        self.quiet = quiet
        self.stream = stream
        is_tty = tty if tty is not None else _isatty(stream or sys.stderr)
        self._console = None
        self._status = None
        if not quiet and is_tty:
            from rich.console import Console

            self._console = Console(file=stream or sys.stderr)

    def start(self, step: str) -> None:
        if self.quiet:
            return
        if self._console is None:
            self.say(f"crmproof: {step}…")
            return
        self._status = self._console.status(f"[bold]crmproof[/]: {step}…")
        self._status.start()

    def done(self, step: str, seconds: float) -> None:
        if self.quiet:
            return
        if self._console is None:
            self.say(f"crmproof: {step} done in {seconds:.1f}s")
            return
        self.close()
        self._console.print(f"[green]✓[/] {step} [dim]{seconds:.1f}s[/]", highlight=False)

    def say(self, message: str) -> None:
        if self.quiet:
            return
        if self._console is not None:
            self.close()
            self._console.print(message, markup=False, highlight=False)
        else:
            click.echo(message, err=self.stream is None, file=self.stream)

    def close(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
