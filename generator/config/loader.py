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
from .rules import parse_ladder, parse_window
from .schema import CONFIG_NAME, SCHEMA, WEEKDAYS, Option, defaults


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
    if option.minimum is not None and value is not None and value < option.minimum:
        return f"Config value '{key}': must be at least {option.minimum}, got {value!r}"
    if option.maximum is not None and value is not None and value > option.maximum:
        return f"Config value '{key}': must be at most {option.maximum}, got {value!r}"
    return None


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
        elif (problem := _check(schema[key], dotted, value)) is not None:
            problems.append(problem)
        else:
            out[key] = value


def _check_semantics(values: dict[str, Any], problems: list[str]) -> None:
    bad_days = [d for d in values["workdays"] if d not in WEEKDAYS]
    if bad_days:
        problems.append(f"Config value 'workdays': unknown day(s) {bad_days}; "
                        f"use {', '.join(WEEKDAYS)}")
    for key in ("as_of", "program.start_date"):
        node = values
        for part in key.split("."):
            node = node[part]
        if isinstance(node, str):
            try:
                dt.date.fromisoformat(node)
            except ValueError:
                problems.append(f"Config value '{key}': expected a date YYYY-MM-DD, got {node!r}")
    for code, rate in values["data"]["currency_rates"].items():
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0:
            problems.append(f"Config value 'data.currency_rates.{code}': expected a positive "
                            f"number (units of base currency per {code}), got {rate!r}")
    if values["data"]["currency_rates"] and not values["data"]["base_currency"]:
        problems.append("Config value 'data.currency_rates': set data.base_currency too")
    if parse_window(values["program"]["daily_window"]) is None:
        problems.append(f"Config value 'program.daily_window': expected HH:MM-HH:MM with the "
                        f"start before the end, got {values['program']['daily_window']!r}")
    problems += parse_ladder(values["expectations"]["consequences"],
                             "expectations.consequences")[1]
    for day in values["holidays"]:
        try:
            dt.date.fromisoformat(str(day))
        except ValueError:
            problems.append(f"Config value 'holidays': expected dates YYYY-MM-DD, got {day!r}")


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Read and validate crmproof.yml (or the defaults when there is none)."""
    given: dict[str, Any] = {}
    root = Path.cwd()
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found; run 'crmproof init' to create one")
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
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
        _check_semantics(values, problems)
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
