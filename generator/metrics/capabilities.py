"""What one export can support: the facts it holds, and which measures they allow.

Real exports lack whole columns and tables (who entered a record, entry times, activity
links, logins, field history, amounts). Each metric query declares what it needs
(`-- needs:` in its header, see `queries`); each build counts the facts once
(`queries/_capabilities.sql`) and derives every measure's availability from them. A
measure without its inputs is "not in this export" wherever it would appear, never 0 or
100%; validate, the site's pages and the tier rules' bound parameters all read this one
model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from ..config import Config
from ..errors import QueryError
from ..resources import bundled
from .queries import load_queries

# fact (a canonical column or a derived fact named in `-- needs:`) ->
#   (counts that hold it, what the export lacks without it, what it holds with it)
FACTS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "deals.owner_rep_id": (("deals_with_owner_rep_id",),
                           "no deal says who owns it (no owner column)",
                           "{n} deals with an owner"),
    "deals.close_date": (("deals_with_close_date",), "no deal has a close date",
                         "{n} deals with a close date"),
    "deals.created_at": (("deals_with_created_at",), "deals have no created date",
                         "{n} deals with a created date"),
    "entry_dates": (("deals_with_created_at", "activities_rows"),
                    "no record says when it was entered (no created date on deals, no "
                    "activities), so no rep's CRM habit can be measured",
                    "{n} deals and activities with an entry date"),
    "deals.amount": (("deals_with_amount",), "no deal has an amount",
                     "{n} deals with an amount"),
    "creators": (("deal_creators", "activity_creators"),
                 "the export does not say who entered each record (no created-by column)",
                 "{n} records say who created them"),
    "entry_times": (("entry_times",),
                    "activities carry no entry time apart from when they happened",
                    "{n} activities with an entry time apart from when they happened"),
    "entry_clock_times": (("entry_clock_times",),
                          "records carry an entry date but no time of day",
                          "{n} records with the time of day they were entered"),
    "deal_links": (("deal_links",), "no activity is linked to a deal in the export",
                   "{n} activities linked to deals"),
    "account_links": (("account_links",),
                      "no activity is on an account of the export that has an owner",
                      "{n} activities on owned accounts"),
    "deal_edits": (("deal_edits",),
                   "no field history of deals that says who made each change",
                   "{n} deal field changes with their author"),
    "owner_changes": (("owner_changes",), "no owner changes in the field history",
                      "{n} owner changes"),
    "logins.login_at": (("logins_rows",), "no login history",
                        "{n} logins"),
}

# measure -> (what it is called, the query that computes it, the output column, or None)
MEASURES: dict[str, tuple[str, str | None, str | None]] = {
    "tiers": ("Adoption tiers", "adoption_tier", None),
    "active_days": ("Active days and habit", "active_days", None),
    "logging_lag": ("Logging lag", "logging_lag", None),
    "completeness": ("Deal completeness", "deal_completeness", None),
    "proxy_share": ("Proxy entry", "proxy_share", None),
    "win_rate": ("Win rate by adoption tier", "win_rate_by_tier", None),
    "deal_size": ("Deal size", "deal_attribution", "won_amount"),
    "sales_cycle": ("Sales cycle", "deal_attribution", "cycle_days"),
    "within_rep": ("Within-rep comparison", "deal_attribution", None),
    "habit": ("Streaks and the habit program", "habit_streaks", None),
    "edits_by_others": ("Trust: edits by others", "trust_edits_by_others", None),
    "owner_changes": ("Trust: owner changes", "trust_owner_changes", None),
    "colleague_activity": ("Trust: colleagues' activity on a rep's accounts",
                           "trust_colleague_activity", None),
    "stale_pipeline": ("Cost: open pipeline gone dark", "cost_stale_pipeline", None),
    "closed_without_activity": ("Cost: deals closed with no activity",
                                "cost_closed_without_activity", None),
    "logins": ("Login-based signals ('never logs in')", "rep_signals", "login_days"),
    "agreed_window": ("The agreed daily window", "window_board", "window_days"),
}
_MEASURE_NEEDS: dict[str, tuple[str, ...]] = {}  # measures no query's `-- needs:` describes
_COMMON = ("deals.owner_rep_id", "deals.close_date")  # named only when a measure needs no more


@dataclass(frozen=True)
class Capability:
    """Whether one measure can be computed from this export, and why (not)."""

    name: str
    evidence: str  # its label
    available: bool
    reason: str
    missing: tuple[str, ...] = ()  # the facts it lacks


@dataclass
class Capabilities:
    """The facts one export holds (counts) and every measure's availability; `examples`:
    one offending ID per link count validate reports (`<count>_example`, None when none)."""

    counts: dict[str, int]
    measures: dict[str, Capability] = field(default_factory=dict)
    examples: dict[str, str | None] = field(default_factory=dict)

    def has(self, fact: str) -> bool:
        return self.count(fact) > 0

    def count(self, fact: str) -> int:
        return sum(int(self.counts.get(key) or 0) for key in FACTS[fact][0])

    def available(self, measure: str) -> bool:
        return self.measures[measure].available

    def unavailable(self) -> list[str]:
        return [name for name, cap in self.measures.items() if not cap.available]

    def supports(self, query: str, column: str | None = None) -> bool:
        """Whether a metric query (or one of its columns) has every input it needs."""
        return all(self.has(fact) for fact in load_queries()[query].needs_of(column))

    def params(self) -> dict[str, bool]:
        """The bound parameters the queries switch on (`$deal_creators`...)."""
        return {"deal_creators": self.count_of("deal_creators") > 0,
                "activity_creators": self.count_of("activity_creators") > 0,
                "entry_times": self.has("entry_times"),
                "entry_clock": self.has("entry_clock_times")}

    def count_of(self, key: str) -> int:
        return int(self.counts.get(key) or 0)

    @property
    def active_day_basis(self) -> str:
        """What makes a day active, in words: depends on who-entered-it data."""
        deals, activities = self.count_of("deal_creators"), self.count_of("activity_creators")
        if deals and activities:
            return "created at least one deal or activity themself"
        if not deals and not activities:
            return ("had at least one deal or activity they own entered (the export does "
                    "not say who entered records)")
        kind = "deal" if deals else "activity"
        other = "activities" if deals else "deals"
        return (f"created at least one {kind} themself, or had one of their {other} "
                f"entered (the export does not say who entered {other})")

    def as_json(self) -> dict[str, bool]:
        return {name: cap.available for name, cap in self.measures.items()}


def capabilities_of(con: duckdb.DuckDBPyConnection, config: Config) -> Capabilities:
    """Count the facts of the export in `con` and decide every measure's availability."""
    path = bundled("queries") / "_capabilities.sql"
    try:
        cursor = con.execute(path.read_text(encoding="utf-8"))
        row = cursor.fetchall()[0]
    except duckdb.Error as exc:
        raise QueryError(f"{path}: {str(exc).splitlines()[0]}") from exc
    values = dict(zip((c[0] for c in cursor.description), row, strict=True))
    found = Capabilities({k: v for k, v in values.items() if not k.endswith("_example")},
                         examples={k: v for k, v in values.items() if k.endswith("_example")})
    for name, (label, query, column) in MEASURES.items():
        needs = _MEASURE_NEEDS.get(name) or load_queries()[query or ""].needs_of(column)
        missing = tuple(fact for fact in needs if not found.has(fact))
        reason = (_missing_text(missing) if missing else _found_text(found, needs, name,
                                                                      config))
        found.measures[name] = Capability(name, label, not missing, reason, missing)
    return found


def _missing_text(missing: tuple[str, ...]) -> str:
    return "not in this export: " + "; ".join(FACTS[fact][1] for fact in missing)


def _found_text(found: Capabilities, needs: tuple[str, ...], measure: str,
                config: Config) -> str:
    shown = [fact for fact in needs if fact not in _COMMON] or list(needs)
    parts = [FACTS[fact][2].format(n=f"{found.count(fact):,}") for fact in shown]
    closed, min_n = found.count_of("closed_deals"), config["min_n"]
    if measure == "win_rate" and closed < min_n:
        parts.append(f"only {closed} closed deals (minimum {min_n}): 'not enough data'")
    if measure == "active_days":
        parts.append("a day counts when the rep " + found.active_day_basis)
    if measure == "deal_size" and found.count_of("currencies") > 1 and not (
            config["data"]["base_currency"] and config["data"]["currency_rates"]):
        parts.append(f"{found.count_of('currencies')} currencies, compared within the most "
                     "common one (set data.currency_rates)")
    return "; ".join(parts)
