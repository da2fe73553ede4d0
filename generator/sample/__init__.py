"""Sample: the embedded demo export, generated rather than shipped.

In: a seed, a number of reps and months. Out: a deterministic synthetic Salesforce Data
Loader export (one CSV per object) and what it holds (each rep's persona). The demo site
and the test suite are built from it; its personas and planted effects are known, so
the estimators can be checked against the truth.
"""

from __future__ import annotations

from .export import HEADERS, sf_id
from .personas import END_DATE, PERSONAS, TEAMS, WITHIN_REP_EFFECT
from .writer import SampleResult, generate_sample

__all__ = ["END_DATE", "HEADERS", "PERSONAS", "TEAMS", "WITHIN_REP_EFFECT", "SampleResult",
           "generate_sample", "sf_id"]
