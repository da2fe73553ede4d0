"""Wording that claims association only, chosen from the interval, never from the point."""

from __future__ import annotations

import re

from .findings import Finding

_CAUSAL = re.compile(r"\b(caus(e|es|ed|ing)|leads? to|led to|drives?|driven by|"
                     r"results? in|because of|thanks to|pays? off|makes? (it|you)|"
                     r"the reason)\b", re.IGNORECASE)
NEAR_ZERO = 0.02  # a win-rate difference under 2 points is "close to zero"


def is_associational(text: str) -> bool:
    """True when `text` makes no causal claim ("causes", "leads to", "drives", ...)."""
    return _CAUSAL.search(text) is None


def points(share: float | None) -> str:
    """A difference of two shares in percentage points, signed: '+12 points'."""
    return "" if share is None else f"{share * 100:+.0f} points".replace("-", "−")


def near_zero(finding: Finding) -> bool:
    """The interval includes no difference, or the difference is under NEAR_ZERO: the plain
    reading is that this data shows no difference worth the name."""
    return finding.direction == "no clear difference" or (
        finding.value is not None and abs(finding.value) < NEAR_ZERO)


def direction_words(finding: Finding, higher: str = "higher", lower: str = "lower",
                    same: str = "no clear difference") -> str:
    """The word for a difference, chosen from its interval alone."""
    return {"higher": higher, "lower": lower, "no clear difference": same}[finding.direction]
