"""The small declarative languages in crmproof.yml: a daily window and the consequence ladder.

A window is `HH:MM-HH:MM` (e.g. `16:30-16:45`). A ladder level is a mapping

    when: 2 consecutive periods below moderate     # a rule on measured data
    step: Expenses and leads routed only through the CRM
    log: consequence                                # the coaching-log kind that records it

and a rule is one of these shapes, nothing else (it is matched, never evaluated):

    N period(s) below TIER | at or below TIER | at TIER
    N week(s) outside the window | below the program target

N above 1 needs the word `consecutive` ("3 consecutive periods below moderate"): a rule
always counts the unbroken run that ends with the latest period or completed week.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

TIERS = ("none", "ineffective", "moderate", "grade_a")
LOG_KINDS = ("one-on-one", "follow-up", "training", "demonstration", "consequence")
# The coaching log's columns (see coaching.log); `crmproof init` writes them as its header.
LOG_COLUMNS = ("date", "rep", "kind", "window", "format", "result", "level", "follow_up",
               "notes")
LEVEL_KEYS = ("when", "step", "log")
RULE_EXAMPLE = "e.g. '2 consecutive periods below moderate' or '3 consecutive weeks " \
               "outside the window'"

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")
_RULE = re.compile(r"^(?P<count>\d+)\s+(?P<consecutive>consecutive\s+)?(?P<unit>periods?|weeks?)"
                   r"\s+(?P<condition>.+)$")
_PERIOD_CONDITIONS = {"below": "below", "at or below": "at_or_below", "at": "at"}
_WEEK_CONDITIONS = {"outside the window": "outside_window",
                    "below the program target": "below_target"}


@dataclass(frozen=True)
class Window:
    """A daily window, both ends included, in seconds after local midnight."""

    start: int
    end: int

    @property
    def text(self) -> str:
        return f"{self.start // 3600:02d}:{self.start // 60 % 60:02d}-" \
               f"{self.end // 3600:02d}:{self.end // 60 % 60:02d}"

    def holds(self, moment: dt.time) -> bool:
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        return self.start <= seconds <= self.end


def parse_window(text: Any) -> Window | None:
    """`16:30-16:45` as a Window; None when it is not a same-day window of that shape."""
    match = _WINDOW.match(str(text))
    if not match:
        return None
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return None
    start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
    return Window(start, end + 59) if start < end else None  # the end minute counts whole


@dataclass(frozen=True)
class Rule:
    """A parsed trigger: `count` consecutive periods or completed weeks meeting a condition."""

    text: str
    count: int
    unit: str  # "period" or "week"
    condition: str  # below, at_or_below, at (periods); outside_window, below_target (weeks)
    tier_rank: int | None = None  # periods only: the tier compared with

    def period_holds(self, rank: int | None) -> bool:
        if rank is None:
            return False  # no tier (not yet employed, no workdays): nothing to judge
        return {"below": rank < self.tier_rank, "at_or_below": rank <= self.tier_rank,
                "at": rank == self.tier_rank}[self.condition]


@dataclass(frozen=True)
class Level:
    number: int  # 1 is the first step
    step: str
    rule: Rule | None  # None: a step the data never calls for by itself
    log: str  # the coaching-log kind that records the step was taken


def _tier_rank(name: str) -> int | None:
    key = re.sub(r"[\s-]+", "_", name.strip().lower())
    return TIERS.index(key) if key in TIERS else None


def parse_rule(text: Any) -> Rule | str:
    """A Rule, or the problem with `text` (a string saying what to write instead)."""
    if not isinstance(text, str):
        return f"expected a rule as text ({RULE_EXAMPLE}), got {text!r}"
    clean = " ".join(text.lower().split())
    match = _RULE.match(clean)
    if not match:
        return f"can't read the rule {text!r}; {RULE_EXAMPLE}"
    count, unit = int(match["count"]), match["unit"].rstrip("s")
    if not 1 <= count <= 52:
        return f"the rule {text!r} counts {count} {unit}s; use 1 to 52"
    if count > 1 and not match["consecutive"]:
        return f"write '{count} consecutive {unit}s {match['condition']}': a rule counts an " \
               f"unbroken run"
    condition = match["condition"]
    if unit == "week":
        if condition not in _WEEK_CONDITIONS:
            return f"weeks can be 'outside the window' or 'below the program target', got " \
                   f"{condition!r}"
        return Rule(text, count, unit, _WEEK_CONDITIONS[condition])
    for words in sorted(_PERIOD_CONDITIONS, key=len, reverse=True):
        if condition.startswith(words + " "):
            tier = condition[len(words) + 1:]
            rank = _tier_rank(tier)
            if rank is None:
                return f"unknown tier {tier!r} in {text!r}; use one of {', '.join(TIERS)}"
            return Rule(text, count, unit, _PERIOD_CONDITIONS[words], rank)
    return f"periods can be 'below', 'at or below' or 'at' a tier, got {condition!r}"


def parse_ladder(items: list[Any], key: str) -> tuple[list[Level], list[str]]:
    """The consequence ladder from config: levels, and every problem found in it."""
    levels, problems = [], []
    for number, item in enumerate(items, start=1):
        where = f"Config value '{key}[{number}]'"
        if isinstance(item, str):  # a plain step: shown, never triggered by the data
            levels.append(Level(number, item, None, "consequence"))
            continue
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a step or a mapping with {', '.join(LEVEL_KEYS)}"
                            f", got {item!r}")
            continue
        for unknown in sorted(set(item) - set(LEVEL_KEYS), key=str):
            close = difflib.get_close_matches(str(unknown), LEVEL_KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(f"{where}: unknown key '{unknown}'{hint}")
        step, log = item.get("step"), item.get("log", "consequence")
        if not isinstance(step, str) or not step.strip():
            problems.append(f"{where}: 'step' must say what happens, e.g. 'A formal "
                            f"performance conversation'")
            continue
        if log not in LOG_KINDS:
            problems.append(f"{where}: 'log' must be one of {', '.join(LOG_KINDS)}, got {log!r}")
            continue
        rule = None
        if item.get("when") is not None:
            rule = parse_rule(item["when"])
            if isinstance(rule, str):
                problems.append(f"Config value '{key}[{number}].when': {rule}")
                continue
        levels.append(Level(number, step, rule, log))
    return levels, problems
