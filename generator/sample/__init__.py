"""Sample: the embedded demo export, generated rather than shipped.

In: a seed, a number of reps and months. Out: a deterministic synthetic Salesforce Data
Loader export (one CSV per object), the demo manager's coaching log beside it
(`coaching/log.csv`) and what it holds (each rep's persona). The demo site
and the test suite are built from it; its personas and planted effects are known, so
the estimators can be checked against the truth.
"""

from __future__ import annotations

from .coaching import LOG_COLUMNS
from .export import HEADERS, sf_id
from .personas import END_DATE, PERSONAS, TEAMS, WITHIN_REP_EFFECT
from .writer import COACHING_LOG, SampleResult, demo_coaching_log, generate_sample

__all__ = ["COACHING_LOG", "END_DATE", "HEADERS", "LOG_COLUMNS", "PERSONAS", "TEAMS",
           "WITHIN_REP_EFFECT", "SampleResult", "demo_coaching_log", "generate_sample", "sf_id"]
