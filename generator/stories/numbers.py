"""The numbers behind success stories: one rep's outcomes over a span, and candidates.

Everything comes from the metric queries (`adoption_tier`, `outcomes_by_rep_period`), so a
story's numbers are the ones the rest of the site uses. Pure reads; no files written.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..evidence import NOT_ENOUGH, Estimate, proportion_estimate, wilson_interval
from ..metrics import Result, run_query
from ..text import clean_text, display_name
from ..tiers import HIGH_RANK, TIER_LABELS

if TYPE_CHECKING:
    from ..config import Config

MIN_TEAM_SIZE = 3  # a smaller team would give its one rep away: say "a rep on the team"


# ---- the numbers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """A closed date range of the report."""

    start: dt.date
    end: dt.date

    def text(self) -> str:
        return f"{day_text(self.start)} – {day_text(self.end)}"

    def front_matter(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def day_text(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Outcomes:
    """One rep's numbers over one span, from the metric queries."""

    span: Span
    closed: int
    won: int
    won_amount: float
    currency: str | None
    workdays: int
    active_days: int
    tier: str | None
    periods: int  # report periods summed; 0 when the span was measured as one period

    def win_rate(self, min_n: int) -> Estimate:
        return proportion_estimate(self.won, self.closed, min_n)

    def mean_won_amount(self, min_n: int) -> float | None:
        """Won amount per won deal; None below min_n won deals or with no amounts at all."""
        if self.won < max(min_n, 1) or not self.won_amount:
            return None
        return self.won_amount / self.won


class StoryData:
    """What stories draw on: the reps, their tier per period, and outcomes over any span.

    Spans made of whole report periods are sums of `outcomes_by_rep_period` and
    `adoption_tier` rows, so they match the rest of the site exactly; any other date
    range is measured by running the same two queries with the range as one period.
    """

    def __init__(self, con, config: Config, params: dict[str, Any],
                 results: dict[str, Result] | None = None) -> None:
        self.con, self.config, self.params = con, config, params
        self.min_n: int = config["min_n"]
        self.supported: dict[str, bool] = params.get("supports", {})
        rows = con.execute("select rep_id, name, email, team from reps where is_rep "
                           "order by rep_id").fetchall()
        # names as the site may show them (never an email or username), teams cleaned;
        # `raw_names` keeps what was exported, for the anonymity check
        self.reps = {rep_id: (display_name(name, rep_id, email) or "", clean_text(team) or None)
                     for rep_id, name, email, team in rows}
        self.raw_names = {rep_id: clean_text(name, limit=1000) for rep_id, name, _, _ in rows}
        self.team_sizes = Counter(team for _, team in self.reps.values())
        self.periods = self._by_rep(params, results or {})
        spans = [(r["period_start"], r["period_end"]) for rows in self.periods.values()
                 for r in rows]
        self.first_day = min((s for s, _ in spans), default=params["as_of"])
        self._ranges: dict[Span, dict[str, dict]] = {}

    @property
    def as_of(self) -> dt.date:
        return self.params["as_of"]

    def _by_rep(self, params: dict[str, Any],
                results: dict[str, Result]) -> dict[str, list[dict]]:
        """Each rep's period rows, oldest first: tier, activity and outcomes together."""
        def rows(name: str) -> list[dict]:
            return (results.get(name) or run_query(self.con, name, params)).dicts()

        tiers = {(r["rep_id"], r["period_index"]): r for r in rows("adoption_tier")}
        merged: dict[str, list[dict]] = {}
        for row in rows("outcomes_by_rep_period"):
            tier = tiers[(row["rep_id"], row["period_index"])]
            merged.setdefault(row["rep_id"], []).append({**tier, **row})
        return {rep: sorted(rows, key=lambda r: -r["period_index"])
                for rep, rows in merged.items()}

    def label(self, rep_id: str, named: bool) -> str:
        """The rep as the site shows them: their name, or "a rep in the West team"."""
        name, team = self.reps[rep_id]
        if named and name:
            return name
        if team and self.team_sizes[team] >= MIN_TEAM_SIZE:
            return f"a rep in the {team} team"
        return "a rep on the team"

    def all_span(self) -> Span:
        return Span(self.first_day, self.as_of)

    def rise(self, rep_id: str) -> tuple[Span, Span] | None:
        """Before/after the rep's rise to moderate-or-better after a run of lower tiers.

        Chosen by adoption alone, never by outcomes: of several rises, the one after the
        longest run of lower tiers (ties: the latest). `after` runs while the tier holds.
        """
        rows, best = self.periods.get(rep_id, []), None
        for at in range(1, len(rows)):
            if rows[at]["tier_rank"] < HIGH_RANK or rows[at - 1]["tier_rank"] >= HIGH_RANK:
                continue
            start = at
            while start > 0 and rows[start - 1]["tier_rank"] < HIGH_RANK:
                start -= 1
            end = at
            while end + 1 < len(rows) and rows[end + 1]["tier_rank"] >= HIGH_RANK:
                end += 1
            if best is None or at - start >= best[1] - best[0]:
                best = (start, at, end)
        if best is None:
            return None
        start, at, end = best
        return (Span(rows[start]["period_start"], rows[at - 1]["period_end"]),
                Span(rows[at]["period_start"], rows[end]["period_end"]))

    def outcomes(self, rep_id: str, span: Span) -> Outcomes:
        rows = [r for r in self.periods.get(rep_id, [])
                if span.start <= r["period_start"] and r["period_end"] <= span.end]
        if rows and rows[0]["period_start"] == span.start and rows[-1]["period_end"] == span.end:
            return _sum_periods(span, rows)
        row = self._range(span).get(rep_id)
        if row is None:
            return Outcomes(span, 0, 0, 0.0, None, 0, 0, None, 0)
        return Outcomes(span, row["closed_deals"], row["won_deals"], row["won_amount"],
                        row["currency"], row["workdays"], row["active_days"], row["tier"], 0)

    def _range(self, span: Span) -> dict[str, dict]:
        if span not in self._ranges:
            params = {**self.params, "as_of": span.end, "history_periods": 1,
                      "period_days": (span.end - span.start).days + 1}
            self._ranges[span] = {rep: rows[0]
                                  for rep, rows in self._by_rep(params, {}).items()}
        return self._ranges[span]


def _sum_periods(span: Span, rows: list[dict]) -> Outcomes:
    tiers = Counter(r["tier"] for r in rows)
    rank = {r["tier"]: r["tier_rank"] for r in rows}
    tier = max(tiers, key=lambda t: (tiers[t], rank[t]))  # held most often; ties: higher
    return Outcomes(span, sum(r["closed_deals"] for r in rows),
                    sum(r["won_deals"] for r in rows),
                    float(sum(r["won_amount"] for r in rows)), rows[0]["currency"],
                    sum(r["workdays"] for r in rows), sum(r["active_days"] for r in rows),
                    tier, len(rows))


# ---- what a placeholder shows ---------------------------------------------------------
# story metric -> the measure it needs (`metrics.MEASURES`): without it, "not in this export"
METRIC_MEASURES = {"win_rate": "win_rate", "won_deals": "win_rate", "closed_deals": "win_rate",
                   "mean_won_amount": "deal_size", "active_day_share": "active_days",
                   "tier": "tiers"}
NOT_IN_EXPORT = "not in this export"


def metric_text(name: str, outcomes: Outcomes, min_n: int) -> str:
    """Plain text for one metric over one span, always with its n (escaped by the caller)."""
    o = outcomes
    if name == "win_rate":
        rate = o.win_rate(min_n)
        if not rate.enough:
            return f"{NOT_ENOUGH} ({o.closed} closed deals; needs {min_n})"
        return (f"{rate.value:.0%} (95% interval {rate.low:.0%}–{rate.high:.0%}, "
                f"n = {o.closed} closed deals)")
    if name == "won_deals":
        return f"{o.won} of {o.closed} closed deals"
    if name == "closed_deals":
        return f"{o.closed}"
    if name == "mean_won_amount":
        mean = o.mean_won_amount(min_n)
        if mean is None:
            return f"{NOT_ENOUGH} ({o.won} won deals; needs {min_n} with amounts)"
        return f"{o.currency or ''} {mean:,.0f} (mean of {o.won} won deals)".strip()
    if name == "active_day_share":
        if not o.workdays:
            return f"{NOT_ENOUGH} (no workdays)"
        return f"{o.active_days / o.workdays:.0%} of {o.workdays} workdays"
    if name == "tier":
        return TIER_LABELS.get(o.tier or "", NOT_ENOUGH)
    raise ValueError(name)




# ---- candidates for a story ----------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """A rep whose tier rose, with at least min_n closed deals before and after the rise,
    and the evidence of their own before/after: the win-rate difference with its interval."""

    rep_id: str
    before: Outcomes
    after: Outcomes
    difference: tuple[float, float, float]  # after minus before win rate: value, low, high

    @property
    def clear(self) -> bool:
        """The whole 95% interval of the rise is above zero."""
        return self.difference[1] > 0

    @property
    def verdict(self) -> str:
        low, high = self.difference[1:]
        if low > 0:
            return "higher after"
        if high < 0:
            return "lower after"
        return "interval spans zero"


def rate_difference(won_a: int, n_a: int, won_b: int, n_b: int) -> tuple[float, float, float]:
    """Difference of two proportions a - b with Newcombe's 95% interval (from Wilson's)."""
    p_a, p_b = won_a / n_a, won_b / n_b
    (low_a, high_a), (low_b, high_b) = wilson_interval(won_a, n_a), wilson_interval(won_b, n_b)
    value = p_a - p_b
    return (value, value - math.hypot(p_a - low_a, high_b - p_b),
            value + math.hypot(high_a - p_a, p_b - low_b))


def candidates(data: StoryData) -> list[Candidate]:
    """Every rep whose tier rose (chosen by adoption alone), with at least min_n closed deals
    on each side, ranked by the strength of their own before/after evidence: the lower end of
    the win-rate difference's 95% interval (which falls with fewer deals), then the
    difference. Whether the interval spans zero is each candidate's `verdict`."""
    found = []
    for rep_id in data.reps:
        rise = data.rise(rep_id)
        if rise is None:
            continue
        before, after = (data.outcomes(rep_id, span) for span in rise)
        if min(before.closed, after.closed) < max(data.min_n, 1):
            continue
        found.append(Candidate(rep_id, before, after,
                               rate_difference(after.won, after.closed, before.won,
                                               before.closed)))
    return sorted(found, key=lambda c: (-c.difference[1], -c.difference[0], c.rep_id))
