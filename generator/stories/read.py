"""Reading success stories: `content/stories/*.md` files with checked YAML front matter.

A story is `content/stories/<name>.md` with front matter (title, date, rep, consent, tags,
optional period_before / period_after, draft). Its body is trusted Markdown; live numbers
come from `[[...]]` placeholders that `resolve` fills in. Every mistake is a `BuildError`
naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import BuildError
from ..resources import bundled
from ..text import load_yaml, read_text_file

if TYPE_CHECKING:
    from ..config import Config

FRONT_MATTER_KEYS = ("title", "date", "rep", "consent", "tags", "period_before",
                     "period_after", "draft")


# ---- reading a story -----------------------------------------------------------------------
@dataclass
class Story:
    path: Path
    shown: str  # the path as error messages show it, e.g. content/stories/x.md
    meta: dict[str, Any]
    body: str
    body_line: int  # file line number of the body's first line
    key_lines: dict[str, int] = field(default_factory=dict)

    def error(self, line: int, message: str) -> BuildError:
        return BuildError(f"{self.shown}:{line}: {message}")

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    @property
    def draft(self) -> bool:
        return bool(self.meta.get("draft", False))


def read_story(path: Path, shown: str) -> Story:
    try:
        text = read_text_file(path, "story file")
    except ValueError as exc:
        raise BuildError(f"{shown}: {exc}") from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise BuildError(f"{shown}:1: a story starts with '---' and YAML front matter")
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if close is None:
        raise BuildError(f"{shown}:1: front matter is not closed with '---'")
    try:
        meta = load_yaml("\n".join(lines[1:close])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise BuildError(f"{shown}:{line}: front matter is not valid YAML "
                         f"({getattr(exc, 'problem', exc)})") from None
    if not isinstance(meta, dict):
        raise BuildError(f"{shown}:2: front matter must be a mapping of keys")
    key_lines = {m.group(1): i + 2 for i, line in enumerate(lines[1:close])
                 if (m := re.match(r"^([A-Za-z_]+)\s*:", line))}
    story = Story(path, shown, meta, "\n".join(lines[close + 1:]) + "\n", close + 2, key_lines)
    _check_front_matter(story)
    return story


def _check_front_matter(story: Story) -> None:
    meta = story.meta
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            raise story.error(story.line_of(str(key)), f"unknown front matter key '{key}'; "
                              f"known: {', '.join(FRONT_MATTER_KEYS)}")
    for key in ("title", "date", "rep", "consent"):
        if meta.get(key) in (None, ""):
            raise story.error(1, f"front matter needs '{key}'")
    for key in ("consent", "draft"):
        if key in meta and not isinstance(meta[key], bool):
            raise story.error(story.line_of(key), f"'{key}' must be true or false, "
                              f"got {meta[key]!r}")
    date = meta["date"]
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            date = None
    if not isinstance(date, dt.date):
        raise story.error(story.line_of("date"), f"'date' must be YYYY-MM-DD, got "
                          f"{meta['date']!r}")
    tags = meta.get("tags") or []
    tags = [tags] if isinstance(tags, str) else tags
    if not isinstance(tags, list) or not all(isinstance(t, (str, int)) for t in tags):
        raise story.error(story.line_of("tags"), "'tags' must be a list of words")
    meta.update(date=date, tags=[str(t) for t in tags], rep=str(meta["rep"]),
                title=str(meta["title"]))


def stories_folder(config: Config, demo: bool) -> Path | None:
    """content/stories next to crmproof.yml; the bundled stories only for the demo data.

    The bundled stories are about the demo's reps: on real data they would name reps that
    do not exist, so a project without its own content/ has no stories.
    """
    user = config.root / "content"
    if config.path and user.is_dir():
        return user / "stories"
    return bundled("content") / "stories" if demo else None


def read_stories(folder: Path | None) -> list[Story]:
    if folder is None or not folder.is_dir():
        return []
    # only regular files: a folder named x.md (or a FIFO) is not a story, and is never
    # opened
    return [read_story(path, f"{folder.parent.name}/{folder.name}/{path.name}")
            for path in sorted(folder.glob("*.md")) if path.is_file()]
