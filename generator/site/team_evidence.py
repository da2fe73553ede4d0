"""The site's evidence: metric results -> `Finding`s (from `evidence`) and the sentences,
tables and chart rows the pages show.

Every number a page shows is a `Finding` registered here (so `evidence.json` lists it); the
statistics live in `evidence`, and this module only picks the rows, and chooses each
sentence's words from its interval (`evidence.direction_words`), never from the point
estimate or from overlapping intervals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import evidence as ev
from ..tiers import TIER_LABELS, TIER_ORDER
from .evidence_words import headline_sentences, reading

if TYPE_CHECKING:
    from .state import SiteState as Site

_TIER_MEASURES = ("win_rate", "won_amount", "cycle_days")


def _columns(site: Site, name: str) -> Mapping[str, Any]:
    """A result's columns as NumPy arrays, each made when read (see `Result.arrays`)."""
    result = site.results.get(name)
    return {} if result is None else result.arrays()


def _tiers(found: dict[str, ev.Finding], exclusions: list[dict[str, Any]]) -> list[dict]:
    """One row per tier: its three findings and what its deal-size number leaves out."""
    left_out = {row["tier"]: row for row in exclusions}
    return [{"tier": tier, "tier_label": TIER_LABELS[tier], "exclusions": left_out[tier],
             **{measure: found[f"{measure}_{tier}"] for measure in _TIER_MEASURES}}
            for tier in TIER_ORDER]


def _sensitivity(found: dict[str, ev.Finding]) -> list[dict[str, Any]]:
    rows = []
    for name, description in ev.ATTRIBUTIONS.items():
        prefix = "headline" if name == "life" else f"attribution_{name}"
        rows.append({"name": name, "description": description,
                     "between": found[f"{prefix}_between"],
                     "within": found[f"{prefix}_within"]})
    return rows


def _confounders(found: dict[str, ev.Finding], columns: dict[str, Any]
                 ) -> list[dict[str, Any]]:
    has_team = any(t is not None for t in columns.get("team", []))
    has_tenure = any(t is not None for t in columns.get("tenure_band", []))
    return [
        {"label": "As measured", "between": found["headline_between"],
         "within": found["headline_within"], "available": True, "note": ""},
        {"label": "Within team", "between": found["headline_team"],
         "within": found["headline_within"], "available": has_team,
         "note": "a rep is in one team, so the within-rep estimate already holds it fixed"},
        {"label": "Within tenure band", "between": found["headline_tenure"],
         "within": found["headline_rep_tenure"], "available": has_tenure,
         "note": "tenure on the deal's created day: under 1, 1-2, 2-5, 5+ years"},
    ]


def _current_tiers(site: Site) -> dict[str, str]:
    return {r["rep_id"]: r["tier"] for r in site.rows("adoption_tier") if r["period_index"] == 0}


def _cost_findings(site: Site, boot: ev.RepBootstrap, index: dict[str, int]
                   ) -> list[dict[str, Any]]:
    """Per current tier: the share of open deals gone dark and of closed deals without any
    activity, pooled over the tier's reps, with cluster intervals."""
    min_n, min_reps = site.config["min_n"], site.config["min_reps"]
    tier_of = _current_tiers(site)
    stale, dark = site.by_rep("cost_stale_pipeline"), site.by_rep("cost_closed_without_activity")
    def column(rows_by_rep: dict, key: str) -> np.ndarray:
        return np.array([float(rows_by_rep.get(rep, {}).get(key) or 0) for rep in index])

    counts = {key: column(stale, key) for key in ("stale_deals", "open_deals")}
    counts.update({key: column(dark, key) for key in ("closed_without_activity",
                                                       "closed_deals")})
    rows = []
    for tier in TIER_ORDER:
        mask = np.array([tier_of.get(rep) == tier for rep in index], dtype=float)
        per_rep = {key: mask * values for key, values in counts.items()}
        label = TIER_LABELS[tier]
        share = ev.mean_finding(
            f"cost_stale_share_{tier}", f"Share of open deals gone dark, {label} reps now",
            "pooled share over the reps' open deals; 95% cluster bootstrap over reps", "share",
            ev.ratio_of_sums(boot, per_rep["stale_deals"], per_rep["open_deals"]),
            min_n, min_reps)
        untouched = ev.mean_finding(
            f"cost_untouched_share_{tier}",
            f"Share of closed deals with no activity, {label} reps now",
            "pooled share over the reps' closed deals; 95% cluster bootstrap over reps", "share",
            ev.ratio_of_sums(boot, per_rep["closed_without_activity"], per_rep["closed_deals"]),
            min_n, min_reps)
        rows.append({"tier": tier, "stale": share, "untouched": untouched})
    return rows


def register(site: Site, *findings: ev.Finding) -> None:
    """Add findings to the build's list (evidence.json); ids are unique."""
    store = site.evidence.setdefault("findings", {})
    for finding in findings:
        store[finding.id] = finding


def compute_evidence(site: Site) -> dict[str, Any]:
    """Every team-page finding, with the sentences, tables and chart rows built on them."""
    min_n, min_reps = site.config["min_n"], site.config["min_reps"]
    index = {rep_id: i for i, rep_id in enumerate(sorted(site.people))}
    boot = ev.RepBootstrap(len(index), site.config["seed"])
    columns = _columns(site, "deal_attribution")
    deals = ev.analyse_deals(columns, index, min_n, min_reps, boot)
    found = dict(deals.findings)
    cost = _cost_findings(site, boot, index)
    for row in cost:
        found.update({f.id: f for f in (row["stale"], row["untouched"])})
    currency = next((c for c in columns.get("currency", []) if c), None)
    return {
        "findings": found, "boot": boot, "rep_index": index,
        "tiers": _tiers(found, deals.tier_exclusions), "currency": currency,
        "headline": headline_sentences(found),
        "sensitivity": _sensitivity(found), "confounders": _confounders(found, columns),
        "readings": {measure: reading(found, measure, currency)
                     for measure in ("won_amount", "cycle_days")},
        "cost_by_tier": cost,
        "comparison_rows": [
            {"label": label, "value": f.value, "low": f.low, "high": f.high, "n": f.deals,
             "reps": f.reps}
            for label, f in (("Between reps", found["headline_between"]),
                             ("Within the same rep", found["headline_within"]))
            if f.enough],
    }


def chart_rows(findings: Sequence[ev.Finding], tiers: Sequence[str]) -> list[dict[str, Any]]:
    """Rows for an estimate-by-tier chart: only tiers with enough data get a mark."""
    return [{"tier": tier, "value": f.value, "low": f.low, "high": f.high, "n": f.deals,
             "reps": f.reps} for tier, f in zip(tiers, findings, strict=True) if f.enough]


def buckets(values: Sequence[float | None], edges: Sequence[tuple[str, float]],
            none_label: str | None = None) -> list[dict[str, Any]]:
    """Count values into labelled buckets; each edge is (label, upper bound inclusive)."""
    counts = {label: 0 for label, _ in edges}
    missing = 0
    for value in values:
        if value is None:
            missing += 1
            continue
        for label, upper in edges:
            if value <= upper:
                counts[label] += 1
                break
    rows = [{"bucket": label, "reps": count} for label, count in counts.items()]
    if none_label is not None:
        rows.append({"bucket": none_label, "reps": missing})
    return rows


def median(values: Sequence[float | None]) -> float | None:
    present = sorted(float(v) for v in values if v is not None)
    if not present:
        return None
    middle = len(present) // 2
    return present[middle] if len(present) % 2 else (present[middle - 1] + present[middle]) / 2
