"""The crmproof.yml schema: every setting with its default, type, range and help text.

`crmproof init`, the README's table and `load_config` all read this one declaration.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

CONFIG_NAME = "crmproof.yml"
PRIVACY_MODES = ("off", "anonymous", "named")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SITE_ENGINES = ("mkdocs", "zensical")


@dataclass(frozen=True)
class Option:
    """One config value: its default, what it must be, and what it means (for docs)."""

    default: Any
    kind: type | tuple[type, ...]
    help: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


def _share(default: float, help: str) -> Option:
    return Option(default, (int, float), help, minimum=0.0, maximum=1.0)


SCHEMA: dict[str, Any] = {
    "site": {
        "name": Option("Sales CRM adoption", str, "Site title shown in the header."),
        "team_name": Option("Our sales team", str, "How the site names the team."),
        "logo": Option(None, (str, type(None)), "Path to a logo image (relative to this file)."),
        "url": Option(None, (str, type(None)), "Address the site is served from, e.g. "
                      "https://intranet.example/crm/; enables instant navigation."),
        "engine": Option("mkdocs", str, "What turns the pages into the HTML site: mkdocs "
                         "(MkDocs with Material for MkDocs) or zensical (Material's successor, "
                         "reads the same mkdocs.yml; pip install 'crmproof[zensical]').",
                         choices=SITE_ENGINES),
    },
    "data": {
        "folder": Option(None, (str, type(None)),
                         "Folder holding the CRM export files; empty means the built-in demo."),
        "format": Option("auto", str, "Export format: auto, salesforce, hubspot, pipedrive, "
                         "generic, or the path of a mapping file."),
        "date_order": Option("auto", str, "How to read ambiguous dates like 03/04/2024.",
                             choices=("auto", "mdy", "dmy")),
        "base_currency": Option(None, (str, type(None)),
                                "Currency amounts are converted to; empty compares within "
                                "the most common currency."),
        "currency_rates": Option({}, dict, "Units of base currency per unit of each currency."),
    },
    "reps": {
        "only": Option([], list, "If set, only these user IDs or emails count as reps."),
        "exclude": Option([], list, "User IDs, emails or roles that are never reps "
                          "(assistants, integration users)."),
    },
    "as_of": Option(None, (str, dt.date, type(None)),
                    "Date the report is as of; empty means the latest timestamp in the data."),
    "timezone": Option("UTC", str,
                       "Time zone used to decide which calendar day a record was made."),
    "workdays": Option(["mon", "tue", "wed", "thu", "fri"], list,
                       "Days a rep is expected to work; other days never count as missed."),
    "holidays": Option([], list, "Dates (YYYY-MM-DD) that are not workdays."),
    "period_days": Option(28, int, "Length of one adoption period in days.", minimum=7,
                          maximum=366),
    "history_periods": Option(13, int, "How many periods back the site shows.", minimum=1,
                              maximum=1000),
    "min_n": Option(10, int, "Groups smaller than this show 'not enough data'.", minimum=1,
                    maximum=1_000_000),
    "min_reps": Option(5, int, "Groups resting on fewer reps than this show 'not enough "
                       "data' too (a rep's deals are not independent of each other).",
                       minimum=1, maximum=1_000_000),
    "seed": Option(42, int, "Seed for bootstrap intervals (same seed, same site).", minimum=0,
                   maximum=2**32 - 1),
    "privacy": Option("anonymous", str, "Per-rep pages: off, anonymous or named.",
                      choices=PRIVACY_MODES),
    "tiers": {
        "none_max_active_share": _share(0.05, "At or below this active-day share a rep is 'none'."),
        "grade_a_min_active_share": _share(0.7, "Grade-A needs at least this active-day share."),
        "grade_a_max_lag_days": Option(1, (int, float), "Grade-A: median logging lag at most "
                                       "this many days.", minimum=0, maximum=365),
        "grade_a_min_completeness": _share(0.85, "Grade-A: at least this deal completeness."),
        "grade_a_max_proxy_share": _share(0.1, "Grade-A: at most this proxy share."),
        "moderate_min_active_share": _share(0.4, "Moderate needs at least this active share."),
        "moderate_max_lag_days": Option(3, (int, float), "Moderate: median lag at most this "
                                        "many days.", minimum=0, maximum=365),
        "moderate_min_completeness": _share(0.6, "Moderate: at least this deal completeness."),
        "moderate_max_proxy_share": _share(0.3, "Moderate: at most this proxy share."),
    },
    "program": {
        "start_date": Option(None, (str, dt.date, type(None)),
                             "First Monday of the 12-week habit program; empty means "
                             "12 weeks before as-of."),
        "weeks": Option(12, int, "Consecutive program weeks that complete the program.",
                        minimum=1, maximum=520),
        "min_active_days": Option(4, int, "Active workdays that make a program week.", minimum=1,
                                  maximum=7),
        "daily_window": Option("16:30-16:45", str, "The agreed daily CRM window (HH:MM-HH:MM, "
                               "both ends included) for reps whose own is not in the "
                               "coaching log."),
    },
    "cost": {
        "stale_days": Option(14, int, "Open deals with no activity for this many days are "
                             "'dark pipeline'.", minimum=1, maximum=3650),
    },
    "expectations": {
        "what": Option("Log every customer call, email and meeting the same day, and keep "
                       "amount, close date, stage and next step on every open deal.", str,
                       "What is expected of every rep."),
        "time_frame": Option("12 weeks from the program start", str, "By when."),
        "monitoring": Option("Weekly, from this site, the same report for everyone.", str,
                             "How progress is checked."),
        "consequences": Option(
            [{"when": "1 period below moderate", "step": "A one-to-one and a coaching plan",
              "log": "one-on-one"},
             {"when": "2 consecutive periods below moderate",
              "step": "Expenses and leads routed only through the CRM", "log": "consequence"},
             {"when": "3 consecutive periods below moderate",
              "step": "A formal performance conversation", "log": "consequence"}], list,
            "Escalating steps, applied to everyone equally. Each level: when (the rule on "
            "measured data that calls for it, e.g. '2 consecutive periods below moderate' or "
            "'3 consecutive weeks outside the window'), step (what happens) and log (the "
            "coaching-log kind that records it was taken: one-on-one, follow-up, training, "
            "demonstration or consequence); a plain text is a step with no rule."),
    },
    "coaching": {
        "log": Option(None, (str, type(None)), "The coaching log the manager keeps (CSV or "
                      "YAML); empty means coaching/log.csv or coaching/log.yml next to this "
                      "file, else in the export folder."),
        "follow_up_days": Option(7, int, "Days until the follow-up of a one-on-one or a "
                                 "training that names no follow_up date; a ladder step is "
                                 "due this many days after its level is reached.", minimum=1),
    },
    "strict": {
        "max_data_age_days": Option(3, int, "--strict fails when the newest record is older "
                                    "than this many days before the check date (--today, "
                                    "default: today).", minimum=0, maximum=3650),
    },
}


def defaults() -> dict[str, Any]:
    def unpack(node: dict[str, Any]) -> dict[str, Any]:
        return {k: unpack(v) if isinstance(v, dict) else copy.deepcopy(v.default)
                for k, v in node.items()}
    return unpack(SCHEMA)


def iter_options(node: dict[str, Any] | None = None, prefix: str = ""):
    """Yield (dotted_key, Option) for every documented setting."""
    for key, value in (node or SCHEMA).items():
        if isinstance(value, dict):
            yield from iter_options(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value
