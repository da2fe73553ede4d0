"""Evidence: the statistics behind every comparison the site shows.

In: plain rows and columns from the metric queries (closed deals with their attribution,
per-rep counts). Out: `Finding`s (estimate, 95% interval, n deals and reps, method) from one
cluster bootstrap over reps, `Estimate`s (Wilson, bootstrap) for a single rep's numbers, and
wording chosen from intervals. Pure functions, no I/O.
"""

from __future__ import annotations

from .clustered import (
    Clustered,
    Deals,
    RepBootstrap,
    difference,
    fe_difference,
    group_deals,
    group_mean,
    ratio_of_sums,
)
from .contrasts import ATTRIBUTIONS, DEAL_COLUMNS, DealEvidence, analyse_deals
from .findings import Finding, difference_finding, mean_finding, wilson_finding
from .intervals import (
    NOT_ENOUGH,
    Estimate,
    bootstrap_estimate,
    bootstrap_interval,
    not_enough,
    proportion_estimate,
    wilson_interval,
)
from .wording import NEAR_ZERO, direction_words, is_associational, near_zero, points

__all__ = ["ATTRIBUTIONS", "DEAL_COLUMNS", "NEAR_ZERO", "NOT_ENOUGH", "Clustered", "DealEvidence",
           "Deals", "Estimate", "Finding", "RepBootstrap", "analyse_deals", "bootstrap_estimate",
           "bootstrap_interval", "difference", "difference_finding", "direction_words",
           "fe_difference", "group_deals", "group_mean", "is_associational", "mean_finding",
           "near_zero", "not_enough", "points", "proportion_estimate", "ratio_of_sums",
           "wilson_finding", "wilson_interval"]
