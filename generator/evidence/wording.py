"""Wording that claims association only, chosen from the numbers."""

from __future__ import annotations

import re

from .comparisons import Comparison
from .intervals import NOT_ENOUGH, Estimate

_CAUSAL = re.compile(r"\b(caus(e|es|ed|ing)|leads? to|led to|drives?|driven by|"
                     r"results? in|because of|thanks to)\b", re.IGNORECASE)


def is_associational(text: str) -> bool:
    """True when `text` makes no causal claim ("causes", "leads to", "drives", ...)."""
    return _CAUSAL.search(text) is None


def points(share: float | None) -> str:
    """A difference of two shares in percentage points, signed: '+12 points'."""
    return "" if share is None else f"{share * 100:+.0f} points".replace("-", "−")


def describe_rate(label: str, estimate: Estimate, what: str = "of closed deals won") -> str:
    """'Grade-A: 45% of closed deals won (95% interval 40% to 50%, n = 367).'"""
    if not estimate.enough:
        return f"{label}: {NOT_ENOUGH} (n = {estimate.n})."
    return f"{label}: {estimate.text().replace(' (', f' {what} (', 1)}."


def describe_comparison(comparison: Comparison, measure: str = "win rate") -> str:
    """One sentence on a between- or within-rep comparison, worded as an association."""
    subject = {"between": "Reps who mostly keep a moderate or grade-A CRM habit",
               "within": "The same reps' moderate or grade-A periods"}[comparison.kind]
    other = {"between": "reps who mostly don't",
             "within": "their own lower-adoption periods"}[comparison.kind]
    unit = "reps" if comparison.kind == "between" else "reps with both kinds of periods"
    estimate = comparison.difference
    if not estimate.enough or estimate.value is None:
        return (f"{subject} compared with {other}: {NOT_ENOUGH} "
                f"(n = {estimate.n} {unit}).")
    direction = "higher" if estimate.value >= 0 else "lower"
    size = f"{abs(estimate.value) * 100:.0f} points"
    spans_zero = estimate.low is not None and estimate.low <= 0 <= (estimate.high or 0)
    caveat = " The interval includes no difference at all." if spans_zero else ""
    return (f"{subject} are associated with a {measure} {size} {direction} than {other} "
                f"(95% interval {points(estimate.low)} to {points(estimate.high)}, "
                f"n = {estimate.n} {unit}).{caveat}")
