"""crmproof.yml read and validated once, up front.

Every problem is collected and reported together, like
`Config value 'privacy': expected one of off, anonymous, named, got 'public'`.
Paths are resolved relative to the config file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..text import load_yaml, read_text_file
from . import checks
from .rules import parse_ladder, parse_window
from .schema import CONFIG_NAME, SCHEMA, Option, defaults

MAX_CONFIG_BYTES = 1 << 20


@dataclass(frozen=True)
class Config:
    values: dict[str, Any]
    root: Path  # folder the config file lives in; relative paths start here
    path: Path | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, dotted: str) -> Any:
        node: Any = self.values
        for part in dotted.split("."):
            node = node[part]
        return node

    def resolve(self, relative: str) -> Path:
        return (self.root / relative).resolve()


def _check(option: Option, key: str, value: Any) -> str | None:
    if not isinstance(value, option.kind) or isinstance(value, bool) and option.kind in (
            int, (int, float)):
        kinds = option.kind if isinstance(option.kind, tuple) else (option.kind,)
        names = ", ".join("empty" if k is type(None) else k.__name__ for k in kinds)
        return f"Config value '{key}': expected {names}, got {value!r}"
    if option.choices and value not in option.choices:
        return (f"Config value '{key}': expected one of {', '.join(option.choices)}, "
                f"got {value!r}")
    if isinstance(value, (int, float)):
        problem = checks.number_problem(value, option.minimum, option.maximum)
    else:
        problem = checks.text_problem(key, value)
    return f"Config value '{key}': {problem}" if problem else None


def _coerce(option: Option, value: Any) -> Any:
    """YAML 1.1 reads an unquoted `off` as false: `privacy: off` means the choice 'off'."""
    if value is False and option.choices and "off" in option.choices:
        return "off"
    return value


def _merge(schema: dict, given: dict, out: dict, prefix: str, problems: list[str]) -> None:
    for key, value in given.items():
        dotted = f"{prefix}{key}"
        if key not in schema:
            close = difflib.get_close_matches(str(key), list(schema), n=1)
            hint = f"; did you mean '{prefix}{close[0]}'?" if close else ""
            problems.append(f"Config key '{dotted}' is unknown{hint}")
        elif isinstance(schema[key], dict):
            if not isinstance(value, dict):
                problems.append(f"Config value '{dotted}': expected a section, got {value!r}")
            else:
                _merge(schema[key], value, out[key], f"{dotted}.", problems)
        elif (problem := _check(schema[key], dotted,
                                value := _coerce(schema[key], value))) is not None:
            problems.append(problem)
        else:
            out[key] = value


def _check_rules(values: dict[str, Any], problems: list[str]) -> None:
    """The agreed window and the consequence ladder (`rules`)."""
    if parse_window(values["program"]["daily_window"]) is None:
        problems.append(f"Config value 'program.daily_window': expected HH:MM-HH:MM with the "
                        f"start before the end, got {values['program']['daily_window']!r}")
    problems += parse_ladder(values["expectations"]["consequences"],
                             "expectations.consequences")[1]


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Read and validate crmproof.yml (or the defaults when there is none)."""
    given: dict[str, Any] = {}
    root = Path.cwd()
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found; run 'crmproof init' to create one")
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: over {MAX_CONFIG_BYTES >> 10} KB; is this crmproof.yml?")
        try:
            loaded = load_yaml(read_text_file(path, "config file")) or {}
        except ValueError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark else ""
            problem = getattr(exc, "problem", exc)
            raise ConfigError(f"{path}{line}: not valid YAML ({problem})") from None
        if not isinstance(loaded, dict):
            raise ConfigError(f"{path}: expected a mapping of settings at the top level")
        given, root = loaded, path.resolve().parent
    values, problems = defaults(), []
    _merge(SCHEMA, given, values, "", problems)
    for dotted, value in (overrides or {}).items():
        _set(values, dotted, value)
    if not problems:
        problems += checks.semantic_problems(values, root)
        _check_rules(values, problems)
    for section, key in ((values, "as_of"), (values["program"], "start_date")):
        if isinstance(section[key], dt.datetime):  # `as_of: 2026-09-30 18:00` means the day
            section[key] = section[key].date()
    if problems:
        where = f"{path}: " if path else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ConfigError(f"{where}{problems[0]}{more}")
    return Config(values=values, root=root, path=path)


def _set(values: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        values = values[part]
    values[last] = value


def find_config(start: Path) -> Path | None:
    candidate = Path(start) / CONFIG_NAME
    return candidate if candidate.is_file() else None
