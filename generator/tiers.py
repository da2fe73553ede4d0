"""The four adoption tiers, in rank order, and how the site names them."""

from __future__ import annotations

TIER_ORDER = ("none", "ineffective", "moderate", "grade_a")
TIER_LABELS = {"none": "None", "ineffective": "Ineffective", "moderate": "Moderate",
               "grade_a": "Grade-A"}
HIGH_RANK = 2  # tier_rank of 'moderate'; moderate and grade_a count as high adoption
