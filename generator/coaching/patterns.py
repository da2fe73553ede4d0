"""What the data suggests about one rep, with the numbers behind it and what to ask.

Five patterns, each read from the latest period's measures (`adoption_tier`) and signals
(`rep_signals`). A pattern whose inputs the export lacks (no login history, no record of
who created what, no activities) is listed as "not in this export" and never guessed from
zeros. The questions ask why before anything is prescribed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..tiers import HIGH_RANK, TIER_LABELS

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LATE_SHARE = 0.5  # entered two or more days late, for the batch pattern
BATCH_DAY_SHARE = 0.5  # of own entries on one weekday
MIN_RECORDS = 10  # fewer own records say nothing about how they cluster
LOGIN_ACTIVE_RATIO = 0.25  # logs in, but active on at most a quarter of those days
SLIP_DROP = 0.2  # active-day share fell by at least this against the periods before


@dataclass(frozen=True)
class Finding:
    key: str
    title: str
    evidence: str  # the numbers behind it
    questions: tuple[str, ...]
    hint: str = ""  # what it points to, e.g. a training conversation


@dataclass(frozen=True)
class Suggestions:
    findings: tuple[Finding, ...]
    unknown: tuple[str, ...]  # patterns this export cannot show, and why


_QUESTIONS = {
    "never_logs_in": (
        "What keeps you from opening the CRM at all: access, the device, or something else?",
        "How do your customers' details reach the CRM today, and who puts them there?",
        "Which fifteen minutes of your day could belong to the CRM?"),
    "logs_in_little": (
        "When you open the CRM, what do you look for, and what stops you adding to it?",
        "Show me how you would log today's last call: where does it get awkward?",
        "Which kind of help would suit you: sitting together, a short video, a one-page guide?"),
    "late_batches": (
        "When do you catch up on the CRM, and what does that day look like?",
        "What would it take to log each call the same day, in a short slot you pick?",
        "Which entries take the longest, and could any of them be shorter?"),
    "proxy": (
        "Who enters your records, and how do they get the details from you?",
        "What would you need to enter your own calls and deals yourself?",
        "How much of their time goes into chasing your details?"),
    "slipping": (
        "Your habit was steady until recently: what changed?",
        "What helped you keep the daily slot before, and can we bring that back?",
        "Is the agreed window still the right time of day for you?"),
    "below_bar": (
        "Which part of keeping a deal up to date feels like busywork to you?",
        "What would make the missing fields quicker to fill in?"),
    "steady": (
        "The habit holds: what makes it easy to keep?",
        "What could the rest of the team copy from how you do it?"),
}


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _never_logs_in(latest: dict[str, Any], signals: dict[str, Any]) -> Finding | None:
    if signals["login_days"] != 0:
        return None
    last = signals["last_login_day"]
    return Finding("never_logs_in", "Never logs in",
                   f"No login on any of {latest['workdays']} workdays in the period to "
                   f"{latest['period_end']:%d %b %Y}; last login: "
                   f"{'none in the export' if last is None else f'{last:%d %b %Y}'}.",
                   _QUESTIONS["never_logs_in"])


def _logs_in_little(latest: dict[str, Any], signals: dict[str, Any],
                    tiers: dict[str, Any]) -> Finding | None:
    logins, active = signals["login_days"] or 0, latest["active_days"]
    if logins < tiers["moderate_min_active_share"] * latest["workdays"] or logins == 0 \
            or active > LOGIN_ACTIVE_RATIO * logins:
        return None
    return Finding("logs_in_little", "Logs in but creates almost nothing",
                   f"Logged in on {logins} of {latest['workdays']} workdays, but created "
                   f"records on {active} of them ({signals['own_records']} records in all).",
                   _QUESTIONS["logs_in_little"], "Points to a training conversation.")


def _late_batches(latest: dict[str, Any], signals: dict[str, Any]) -> Finding | None:
    late, share = signals["late_share"], signals["busiest_weekday_share"]
    if late is None or share is None or (signals["own_records"] or 0) < MIN_RECORDS:
        return None
    if late < LATE_SHARE or share < BATCH_DAY_SHARE:
        return None
    day = WEEKDAY_NAMES[signals["busiest_weekday"] - 1]
    return Finding("late_batches", "Enters late, in batches",
                   f"{_pct(late)} of their own activities were entered two or more days "
                   f"after they happened; {_pct(share)} of their entries were made on "
                   f"{day}s; active on {latest['active_days']} of {latest['workdays']} "
                   f"workdays.", _QUESTIONS["late_batches"])


def _proxy(latest: dict[str, Any], signals: dict[str, Any], tiers: dict[str, Any]
           ) -> Finding | None:
    proxy, own = signals["proxy_records"] or 0, signals["own_records"] or 0
    total = proxy + own
    if total < 5 or proxy / total < tiers["moderate_max_proxy_share"]:
        return None
    who = signals["top_proxy_creator_name"] or signals["top_proxy_creator_id"]
    return Finding("proxy", "Others enter for them",
                   f"{proxy} of the {total} records they own or made in the period "
                   f"({_pct(proxy / total)}) were created by someone else, "
                   f"{signals['top_proxy_records']} of them by {who}.", _QUESTIONS["proxy"])


def _slipping(history: list[dict[str, Any]]) -> Finding | None:
    """Moderate or better in at least two of the three periods before, below it now, and
    active on clearly fewer workdays."""
    latest, before = history[0], history[1:4]
    if latest["tier_rank"] >= HIGH_RANK or len(before) < 2:
        return None
    if sum(1 for p in before if p["tier_rank"] >= HIGH_RANK) < 2:
        return None
    earlier = sum(p["active_day_share"] for p in before) / len(before)
    if earlier - latest["active_day_share"] < SLIP_DROP:
        return None
    best = max(before, key=lambda p: p["tier_rank"])
    return Finding("slipping", "A good habit slipping",
                   f"Active on {_pct(latest['active_day_share'])} of workdays in the latest "
                   f"period against {_pct(earlier)} in the {len(before)} before; tier "
                   f"{TIER_LABELS[best['tier']]} then, {TIER_LABELS[latest['tier']]} now.",
                   _QUESTIONS["slipping"])


def _below_bar(latest: dict[str, Any], tiers: dict[str, Any]) -> Finding:
    """Below moderate with none of the patterns: which measures miss the moderate bar."""
    checks = [("active_day_share", "active-day share", tiers["moderate_min_active_share"], ">=",
               _pct),
              ("median_lag_days", "median logging lag", tiers["moderate_max_lag_days"], "<=",
               lambda v: f"{v:g} days"),
              ("completeness", "open deals complete", tiers["moderate_min_completeness"], ">=",
               _pct),
              ("proxy_share", "entered by others", tiers["moderate_max_proxy_share"], "<=",
               _pct)]
    misses = [f"{label} {fmt(latest[key])} (moderate: {'at least' if op == '>=' else 'at most'} "
              f"{fmt(bar)})" for key, label, bar, op, fmt in checks
              if latest[key] is not None
              and not (latest[key] >= bar if op == ">=" else latest[key] <= bar)]
    text = "; ".join(misses) or "below moderate in the latest period"
    return Finding("below_bar", f"{TIER_LABELS[latest['tier']]}: below the moderate bar",
                   f"{text[0].upper()}{text[1:]}.", _QUESTIONS["below_bar"])


def suggest(history: list[dict[str, Any]], signals: dict[str, Any] | None,
            tiers: dict[str, Any], known: dict[str, bool]) -> Suggestions:
    """The patterns for one rep: `history` is the rep's adoption_tier rows, latest first;
    `known` says which inputs the export holds (logins, creators, activities, entry_times)."""
    if not history or history[0]["period_index"] != 0 or signals is None:
        return Suggestions((), ("No tier in the latest period (not yet working then)",))
    latest, unknown, found = history[0], [], []
    if known["logins"]:
        found.append(_never_logs_in(latest, signals))
    else:
        unknown.append("Logins are not in this export: whether the rep logs in at all "
                       "cannot be told")
    if known["logins"] and known["creators"]:
        found.append(_logs_in_little(latest, signals, tiers))
    if known["creators"]:
        found.append(_proxy(latest, signals, tiers))
    else:
        unknown.append("Who created each record is not in this export: entries by others "
                       "cannot be told from the rep's own")
    if known["activities"] and known["entry_times"] and known["creators"]:
        found.append(_late_batches(latest, signals))
    else:
        unknown.append("Activities with their entry times (and who entered them) are not "
                       "in this export: late, batched entry cannot be told")
    found.append(_slipping(history))
    findings = tuple(f for f in found if f is not None)
    if not findings and latest["tier_rank"] < HIGH_RANK:
        findings = (_below_bar(latest, tiers),)
    elif not findings:
        findings = (Finding("steady", "Keeps the habit",
                            f"Active on {_pct(latest['active_day_share'])} of workdays; "
                            f"{TIER_LABELS[latest['tier']]} in the latest period.",
                            _QUESTIONS["steady"]),)
    return Suggestions(findings, tuple(unknown))


def demonstration_advice(entries: list, needs_test: bool) -> str | None:
    """Training problem or refusal? What the last demonstration showed, or the test to run."""
    shown = [e for e in entries if e.kind == "demonstration"]
    if shown:
        last = shown[-1]
        if last.could:
            return (f"On {last.day:%d %b %Y} they entered it in front of you: not a training "
                    f"problem. State the expectation and the time frame.")
        return (f"On {last.day:%d %b %Y} they could not: plan training in a format that suits "
                f"them, not a repeat of the last one, and track it.")
    if needs_test:
        return ("Not tested yet: ask them to enter a new account or set a call-back date in "
                "front of you. If they can, it is not a training problem.")
    return None


def day_text(day: dt.date | None) -> str:
    return "–" if day is None else f"{day:%d %b %Y}"
