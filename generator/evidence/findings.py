"""Findings: every estimate the site shows, with its n (deals and reps), interval and method.

A `Finding` is what a page shows and what `evidence.json` lists. Below `min_n` deals or
`min_reps` reps (on each side of a difference) it has no number, only a reason.
Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .clustered import Clustered
from .intervals import Estimate

Unit = Literal["share", "points", "amount", "days", "count"]
Direction = Literal["higher", "lower", "no clear difference"]
_BOUNDS = {"share": (0.0, 1.0), "amount": (0.0, float("inf")), "days": (0.0, float("inf"))}


@dataclass(frozen=True)
class Finding:
    """One estimate: `value` with its 95% interval, the deals and reps it rests on, how it
    was computed (`method`), and for a difference the counts of its two sides."""

    id: str
    label: str
    method: str
    unit: Unit
    value: float | None
    low: float | None
    high: float | None
    deals: int
    reps: int
    enough: bool
    why_not: str = ""  # why there is no number, e.g. "2 reps; needs at least 3"
    sides: tuple[int, int, int, int] | None = None  # high deals, high reps, low deals, low reps

    @property
    def direction(self) -> Direction:
        """From the interval alone: 'higher' when it lies above zero, 'lower' below."""
        if self.low is not None and self.low > 0:
            return "higher"
        if self.high is not None and self.high < 0:
            return "lower"
        return "no clear difference"

    def as_json(self) -> dict:
        return {"id": self.id, "label": self.label,
                "estimate": self.value if self.enough else None,
                "low": self.low if self.enough else None,
                "high": self.high if self.enough else None,
                "n_deals": self.deals, "n_reps": self.reps, "method": self.method,
                "unit": self.unit, "enough_data": self.enough,
                **({"why_not": self.why_not} if not self.enough else {}),
                **({"n_deals_high": self.sides[0], "n_reps_high": self.sides[1],
                    "n_deals_low": self.sides[2], "n_reps_low": self.sides[3]}
                   if self.sides else {})}


def _shortfall(deals: int, reps: int, min_n: int, min_reps: int, side: str = "") -> str:
    where = f" {side}" if side else ""
    if deals < min_n:
        return f"{deals} deals{where}; needs at least {min_n}"
    if reps < min_reps:
        return f"{reps} rep{'' if reps == 1 else 's'}{where}; needs at least {min_reps}"
    return ""


def mean_finding(id: str, label: str, method: str, unit: Unit, estimate: Clustered,
                 min_n: int, min_reps: int) -> Finding:
    """A pooled mean or rate; a number only with min_n deals from min_reps reps."""
    why = _shortfall(estimate.deals, estimate.reps, min_n, min_reps)
    if estimate.value is not None and not why and estimate.low is None:
        why = "too few reps to resample"
    enough = estimate.value is not None and not why
    low, high = estimate.low, estimate.high
    if low is not None and high is not None and unit in _BOUNDS:  # widened past what can be
        floor, ceiling = _BOUNDS[unit]
        low, high = max(low, floor), min(high, ceiling)
    return Finding(id, label, method, unit, estimate.value, low, high, estimate.deals,
                   estimate.reps, enough, why)


def difference_finding(id: str, label: str, method: str, unit: Unit, estimate: Clustered,
                       min_n: int, min_reps: int) -> Finding:
    """A difference; a number only with min_n deals from min_reps reps on each side."""
    why = (_shortfall(estimate.high_deals, estimate.high_reps, min_n, min_reps, "on the high side")
           or _shortfall(estimate.low_deals, estimate.low_reps, min_n, min_reps,
                         "on the low side"))
    if estimate.value is None:
        why = "no reps with deals on both sides" if method.startswith("within") else \
            "no deals on one of the sides"
    elif not why and estimate.low is None:
        why = "too few reps to resample"
    sides = (estimate.high_deals, estimate.high_reps, estimate.low_deals, estimate.low_reps)
    return Finding(id, label, method, unit, estimate.value, estimate.low, estimate.high,
                   estimate.deals, estimate.reps, not why, why, sides)


def gap_finding(id: str, label: str, method: str, estimate: Clustered,
                parts: tuple[Finding, Finding]) -> Finding:
    """The difference of two findings (from the same resamples); a number when both have."""
    enough = all(p.enough for p in parts) and estimate.low is not None
    why = "" if enough else "one of the two estimates has not enough data"
    return Finding(id, label, method, "points", estimate.value, estimate.low, estimate.high,
                   estimate.deals, estimate.reps, enough, why)


def wilson_finding(id: str, label: str, estimate: Estimate, min_n: int,
                   reps: int = 1) -> Finding:
    """A share with a Wilson interval (one rep's deals, taken as independent)."""
    return Finding(id, label, "Wilson score interval over one rep's deals", "share",
                   estimate.value, estimate.low, estimate.high, estimate.n, reps,
                   estimate.enough,
                   "" if estimate.enough else f"{estimate.n} deals; needs at least {min_n}")
