"""The project's error types. The CLI turns any of them into one line and an exit code."""

from __future__ import annotations


class CrmproofError(Exception):
    """Root of every error a user can cause; `exit_code` is what the CLI exits with."""

    exit_code = 1


class ConfigError(CrmproofError):
    """crmproof.yml or a mapping file is wrong."""

    exit_code = 2


class DataError(CrmproofError):
    """An export file is missing, unreadable or holds a value we cannot use."""

    exit_code = 3

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None, hint: str | None = None) -> None:
        where = ", ".join(
            part for part in (
                file and f"{file}",
                row is not None and f"row {row}",
                column and f"column '{column}'",
            ) if part
        )
        text = f"{where}: {message}" if where else message
        if hint:
            text = f"{text}; {hint}"
        super().__init__(text)
        self.file, self.row, self.column = file, row, column


class QueryError(CrmproofError):
    """A metric query failed to load or run."""

    exit_code = 4


class BuildError(CrmproofError):
    """The site could not be built (templates, stories, mkdocs)."""

    exit_code = 5


class StaleDataError(CrmproofError):
    """--strict found the data too old, a table missing, or validation errors."""

    exit_code = 6


class MissingTableError(DataError):
    """The export lacks a table crmproof cannot do without (deals/opportunities)."""
