"""The coaching log: what the manager did with each rep, kept beside the exports.

One row (CSV) or mapping (YAML list) per entry, with these columns:

    date       YYYY-MM-DD, required
    rep        the rep's ID, e-mail or name as exported, required
    kind       one-on-one, follow-up, training, demonstration or consequence, required
    window     the daily window agreed with the rep, HH:MM-HH:MM (from this date on)
    format     training only, required there: how it is given ("one-to-one at the desk")
    result     demonstration only, required there: could / could not (enter an account or
               set a call-back date in front of you)
    level      consequence only, required there: the ladder level whose step was taken
    follow_up  YYYY-MM-DD: when to follow up (default: a one-on-one or training is followed
               up coaching.follow_up_days later)
    notes      free text

The log is typed by a person, so it is checked like an export: the first problem is one
DataError naming the file, row and column. Entries dated after the as-of date are kept out
of an as-of view by the readers (`CoachingLog.upto`), never by editing the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..config import LOG_COLUMNS, LOG_KINDS, Config, Window, parse_window
from ..errors import DataError

COLUMNS = LOG_COLUMNS
REQUIRED = ("date", "rep", "kind")
RESULTS = {"could": True, "could not": False, "couldn't": False, "yes": True, "no": False}
_KIND_ALIASES = {"1:1": "one-on-one", "1-1": "one-on-one", "one-to-one": "one-on-one",
                 "followup": "follow-up", "demo": "demonstration"}
_ONLY_FOR = {"format": "training", "result": "demonstration", "level": "consequence"}
LOG_NAMES = ("coaching/log.csv", "coaching/log.yml", "coaching/log.yaml")


@dataclass(frozen=True)
class Entry:
    day: dt.date
    rep_id: str
    kind: str
    window: Window | None = None
    format: str = ""
    could: bool | None = None  # demonstration: could they do it in front of you
    level: int | None = None
    follow_up: dt.date | None = None
    notes: str = ""
    row: int = 0


@dataclass
class CoachingLog:
    path: Path | None  # None: no log kept yet
    entries: list[Entry] = field(default_factory=list)

    def upto(self, as_of: dt.date) -> CoachingLog:
        return CoachingLog(self.path, [e for e in self.entries if e.day <= as_of])

    def of(self, rep_id: str) -> list[Entry]:
        """A rep's entries, oldest first (same-day entries in file order)."""
        return [e for e in self.entries if e.rep_id == rep_id]


@dataclass(frozen=True)
class RepRef:
    rep_id: str
    name: str | None
    email: str | None


def find_log(config: Config, export: Path | None) -> Path | None:
    """Where the log is: coaching.log, else coaching/log.* next to crmproof.yml (or the
    working folder), else in the export folder; None when there is none."""
    if config["coaching"]["log"]:
        return config.resolve(config["coaching"]["log"])
    for folder in (config.root, export):
        for name in LOG_NAMES if folder is not None else ():
            if (folder / name).is_file():
                return folder / name
    return None


def read_log(path: Path | None, reps: list[RepRef], levels: int, text: str | None = None,
             shown: str | None = None) -> CoachingLog:
    """Read and check the log at `path` (or `text`, e.g. the demo's); `levels` is the
    ladder's length. Raises DataError on the first bad row."""
    if path is None and text is None:
        return CoachingLog(None)
    shown = shown or str(path)
    if text is None:
        if not path.is_file():
            raise DataError("coaching log not found", file=shown,
                            hint="fix coaching.log in crmproof.yml, or create the file")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeError) as exc:
            raise DataError(f"cannot read the coaching log ({exc})", file=shown,
                            hint="save it as UTF-8 text") from None
    rows = _yaml_rows(text, shown) if str(path or shown).endswith((".yml", ".yaml")) \
        else _csv_rows(text, shown)
    matcher = _RepMatcher(reps)
    entries = [_entry(row, number, shown, matcher, levels) for number, row in rows
               if any(str(v or "").strip() for v in row.values())]
    entries.sort(key=lambda e: (e.day, e.row))
    return CoachingLog(path, entries)


def starter_text() -> str:
    """The empty log `crmproof init` writes: the header row."""
    return ",".join(COLUMNS) + "\n"


# ---- reading rows -----------------------------------------------------------------------
def _check_columns(names: list[str], shown: str) -> None:
    for name in names:
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"use {', '.join(COLUMNS)}"
            raise DataError("unknown column", file=shown, row=1, column=name, hint=hint)
    for name in REQUIRED:
        if name not in names:
            raise DataError(f"the log needs a '{name}' column", file=shown, row=1,
                            hint=f"the header is {','.join(COLUMNS)}")


def _csv_rows(text: str, shown: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    lines = list(reader)
    if not lines:
        return []
    header = [name.strip().lower() for name in lines[0]]
    _check_columns(header, shown)
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
            raise DataError(f"{len(values)} values for {len(header)} columns", file=shown,
                            row=number, hint="quote values that hold a comma")
        rows.append((number, dict(zip(header, values, strict=False))))
    return rows


def _yaml_rows(text: str, shown: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        loaded = yaml.safe_load(text) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise DataError(f"not valid YAML{where}", file=shown) from None
    if not isinstance(loaded, list):
        raise DataError("expected a list of entries (- date: ...)", file=shown)
    rows = []
    for number, item in enumerate(loaded, start=1):
        if not isinstance(item, dict):
            raise DataError("expected a mapping (date, rep, kind, ...)", file=shown, row=number)
        item = {str(k).strip().lower(): v for k, v in item.items()}
        _check_columns(list(item), shown)
        rows.append((number, item))
    return rows


# ---- one entry ----------------------------------------------------------------------------
def _entry(row: dict[str, Any], number: int, shown: str, matcher: _RepMatcher,
           levels: int) -> Entry:
    def fail(column: str, message: str, hint: str | None = None) -> DataError:
        return DataError(message, file=shown, row=number, column=column, hint=hint)

    values = {key: "" if value is None else str(value).strip() for key, value in row.items()}
    for name in REQUIRED:
        if not values.get(name):
            raise fail(name, "empty", f"every entry needs {', '.join(REQUIRED)}")
    kind = _kind(values["kind"])
    if kind is None:
        raise fail("kind", f"unknown kind {values['kind']!r}", f"use {', '.join(LOG_KINDS)}")
    for column, owner in _ONLY_FOR.items():
        if values.get(column) and kind != owner:
            raise fail(column, f"'{column}' is for {owner} entries, this is a {kind}")
    if kind in _ONLY_FOR.values():
        needed = next(c for c, owner in _ONLY_FOR.items() if owner == kind)
        if not values.get(needed):
            raise fail(needed, f"a {kind} needs its {needed}", _NEEDS[needed])
    day = _date(values["date"], lambda m: fail("date", m))
    follow_up = _date(values["follow_up"], lambda m: fail("follow_up", m)) \
        if values.get("follow_up") else None
    if follow_up is not None and follow_up < day:
        raise fail("follow_up", f"{follow_up} is before the entry's date {day}")
    window = None
    if values.get("window"):
        window = parse_window(values["window"])
        if window is None:
            raise fail("window", f"expected HH:MM-HH:MM, got {values['window']!r}",
                       "the start must come before the end, e.g. 16:30-16:45")
    return Entry(day, matcher.find(values["rep"], lambda m, h: fail("rep", m, h)), kind,
                 window, values.get("format", ""),
                 _result(values.get("result", ""), lambda m: fail("result", m)),
                 _level(values.get("level", ""), levels, lambda m: fail("level", m)),
                 follow_up, values.get("notes", ""), number)


_NEEDS = {"format": "say how it was given, e.g. 'one-to-one at the desk'",
          "result": "write could or could not",
          "level": "write the ladder level whose step was taken, e.g. 2"}


def _kind(text: str) -> str | None:
    key = "-".join(text.lower().replace("_", " ").split())
    key = _KIND_ALIASES.get(key, key)
    return key if key in LOG_KINDS else None


def _date(text: str, fail) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _result(text: str, fail) -> bool | None:
    if not text:
        return None
    key = " ".join(text.lower().split())
    if key not in RESULTS:
        raise fail(f"expected could or could not, got {text!r}")
    return RESULTS[key]


def _level(text: str, levels: int, fail) -> int | None:
    if not text:
        return None
    try:
        level = int(text)
    except ValueError:
        raise fail(f"expected a ladder level number, got {text!r}") from None
    if not 1 <= level <= levels:
        raise fail(f"the ladder has levels 1 to {levels}, got {level}")
    return level


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class _RepMatcher:
    """A rep by exact ID, e-mail (any case) or name (any case and spacing)."""

    def __init__(self, reps: list[RepRef]) -> None:
        self.ids = {r.rep_id for r in reps}
        self.emails = {_plain(r.email): r.rep_id for r in reps if r.email}
        self.names: dict[str, list[str]] = {}
        for r in reps:
            if r.name:
                self.names.setdefault(_plain(r.name), []).append(r.rep_id)

    def find(self, text: str, fail) -> str:
        if text in self.ids:
            return text
        key = _plain(text)
        if key in self.emails:
            return self.emails[key]
        found = self.names.get(key, [])
        if len(found) > 1:
            raise fail(f"{len(found)} reps are called {text!r}", "use the rep's ID or e-mail")
        if not found:
            raise fail(f"no rep {text!r} in the export",
                       "use the rep's ID, e-mail or name as exported")
        return found[0]
