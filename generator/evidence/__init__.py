"""Evidence: the statistics behind every comparison the site shows.

In: plain rows from the metric queries (closed deals, rep-periods).
Out: `Estimate`s and `Comparison`s with n and 95% intervals, and associational wording.
Pure functions, no I/O.
"""

from __future__ import annotations

from .comparisons import (
    Comparison,
    TierRate,
    between_rep_comparison,
    compare_win_rates_by_tier,
    within_rep_comparison,
)
from .intervals import (
    NOT_ENOUGH,
    Estimate,
    bootstrap_estimate,
    bootstrap_interval,
    not_enough,
    proportion_estimate,
    wilson_interval,
)
from .wording import describe_comparison, describe_rate, is_associational, points

__all__ = ["NOT_ENOUGH", "Comparison", "Estimate", "TierRate", "between_rep_comparison",
           "bootstrap_estimate", "bootstrap_interval", "compare_win_rates_by_tier",
           "describe_comparison", "describe_rate", "is_associational", "not_enough", "points",
           "proportion_estimate", "wilson_interval", "within_rep_comparison"]
