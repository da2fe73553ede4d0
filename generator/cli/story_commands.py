"""`crmproof stories suggest` and `new-story`: draft success stories from the data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..text import clean_text, terminal_text
from .options import config_path, project_options, reports_errors

stories_out_option = click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Folder for the story files (default: content/stories next to the config, else "
         "./content/stories). Existing files are never overwritten.")


def _story_data(config, data, fmt, mapping, as_of):
    from ..build import open_project
    from ..stories import StoryData

    project = open_project(config_path(config), data=data, as_of=as_of,
                           fmt=str(mapping) if mapping else fmt)
    return StoryData(project.con, project.config, project.params)


@click.group()
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
    """Rank reps whose tier rose by the strength of their own before/after evidence and
    write a draft story (draft: true, consent: false) for each of the strongest.

    A candidate needs at least min_n closed deals before and after the rise. Candidates
    are ranked by the lower end of the 95% interval of their win-rate difference; those
    whose interval does not lie above zero are listed but get no draft. Drafts never
    publish; finish one, get the rep's consent, then set draft: false.
    """
    from ..stories import suggest

    numbers = _story_data(config, data, fmt, mapping, as_of)
    folder = out or numbers.config.root / "content" / "stories"
    found = suggest(numbers, folder, limit)
    if not found:
        click.echo(f"No candidates: no rep's tier rose with {numbers.min_n}+ closed deals on "
                   "each side.")
        return
    rows = [("#", "rep", "name", "win rate before", "after", "difference (95% interval)",
             "evidence", "draft")]  # names and IDs come from the CRM: shown cleaned, never raw
    for rank, (candidate, written) in enumerate(found, start=1):
        value, low, high = candidate.difference
        before, after = candidate.before, candidate.after
        draft = ("no draft" if written is None else
                 f"{written.path}{'' if written.created else ' (exists, unchanged)'}")
        rows.append((str(rank), clean_text(candidate.rep_id), numbers.reps[candidate.rep_id][0],
                     f"{before.won / before.closed:.0%} of {before.closed}",
                     f"{after.won / after.closed:.0%} of {after.closed}",
                     f"{value * 100:+.0f} pp ({low * 100:+.0f} to {high * 100:+.0f})",
                     candidate.verdict, draft))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = zip(row, widths, strict=True)
        click.echo(terminal_text("  ".join(cell.ljust(width) for cell, width in cells
                                           ).rstrip()))
    unclear = sum(1 for candidate, _ in found if not candidate.clear)
    if unclear:
        click.echo(f"{unclear} of {len(found)} candidates get no draft: their interval does not "
                   "lie above zero, so their own numbers show no clear rise. With no real "
                   "change, about 1 rep in 40 would still show one by chance.")


@click.command("new-story")
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
    from ..stories import new_story as write_skeleton

    numbers = _story_data(config, data, fmt, mapping, as_of)
    written = write_skeleton(numbers, out or numbers.config.root / "content" / "stories", rep)
    if not written.created:
        raise click.ClickException(f"{written.path} exists; edit it, or remove it first")
    click.echo(terminal_text(f"Wrote {written.path}"))
