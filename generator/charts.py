"""Charts: pure functions from metric rows to Altair charts, and their offline renderings.

Every field carries an explicit type; values are plain Python numbers (DuckDB
DECIMALs are cast to DOUBLE in SQL). A chart is rendered twice: as a Vega-Lite
spec that the site's local Vega bundle draws in the browser, and as a static SVG
fallback for print and no-JS readers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import altair as alt
import vl_convert as vlc

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
TIER_ORDER = ("none", "ineffective", "moderate", "grade_a")
TIER_LABELS = {"none": "None", "ineffective": "Ineffective", "moderate": "Moderate",
               "grade_a": "Grade-A"}
TIER_COLOURS = {"none": "#D55E00", "ineffective": "#E69F00", "moderate": "#56B4E9",
                "grade_a": "#009E73"}
WIDTH = 560


@dataclass(frozen=True)
class RenderedChart:
    name: str
    title: str
    spec: dict[str, Any]
    svg: str

    def spec_json(self) -> str:
        """The spec as JSON that is safe inside a <script type="application/json">."""
        text = json.dumps(self.spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _tier_scale() -> alt.Scale:
    return alt.Scale(domain=[TIER_LABELS[t] for t in TIER_ORDER],
                     range=[TIER_COLOURS[t] for t in TIER_ORDER])


def _label_tiers(rows: list[dict]) -> list[dict]:
    return [{**row, "tier_label": TIER_LABELS.get(row["tier"], row["tier"])} for row in rows]


def chart_rate_by_tier(rows: list[dict], title: str, axis_title: str) -> alt.Chart:
    """Point estimate with its 95% interval per tier; rows: tier, rate, low, high, n."""
    data = alt.Data(values=_label_tiers(rows))
    base = alt.Chart(data).encode(
        y=alt.Y("tier_label:N", title="Adoption tier",
                sort=[TIER_LABELS[t] for t in TIER_ORDER]),
        tooltip=[alt.Tooltip("tier_label:N", title="Tier"),
                 alt.Tooltip("rate:Q", title=axis_title, format=".0%"),
                 alt.Tooltip("low:Q", title="95% interval from", format=".0%"),
                 alt.Tooltip("high:Q", title="95% interval to", format=".0%"),
                 alt.Tooltip("n:Q", title="Closed deals")],
    )
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q", title=axis_title, axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        x2="high:Q", color=alt.Color("tier_label:N", scale=_tier_scale(), legend=None))
    point = base.mark_point(filled=True, size=120).encode(
        x="rate:Q", color=alt.Color("tier_label:N", scale=_tier_scale(), legend=None))
    return (interval + point).properties(title=title, width=WIDTH, height=180)


def chart_tier_mix(rows: list[dict], title: str) -> alt.Chart:
    """Stacked share of reps per tier over periods; rows: period_end, tier, share, reps."""
    data = alt.Data(values=_label_tiers(rows))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("period_end:T", title="Period ending", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("share:Q", title="Share of reps", axis=alt.Axis(format="%"),
                stack="normalize"),
        color=alt.Color("tier_label:N", title="Tier", scale=_tier_scale(),
                        sort=[TIER_LABELS[t] for t in TIER_ORDER]),
        order=alt.Order("tier_rank:Q"),
        tooltip=[alt.Tooltip("period_end:T", title="Period ending", format="%d %b %Y"),
                 alt.Tooltip("tier_label:N", title="Tier"),
                 alt.Tooltip("reps:Q", title="Reps"),
                 alt.Tooltip("share:Q", title="Share", format=".0%")],
    ).properties(title=title, width=WIDTH, height=240)


@cache
def vega_bundle() -> str:
    """One self-contained Vega + Vega-Lite + vega-embed script, shipped as a site asset.

    The bundle names Vega's JSON schema by URL (only as a label, never fetched); the
    privacy plugin would try to download it, so the label loses its scheme.
    """
    bundle = vlc.javascript_bundle()
    return re.sub(r"https://vega\.github\.io/schema/([a-z-]+)/(v[0-9.]+)\.json",
                  r"vega:schema/\1/\2.json", bundle)


def render(name: str, chart: alt.TopLevelMixin) -> RenderedChart:
    spec = chart.to_dict(validate=True)
    spec.pop("$schema", None)  # vega-embed needs no schema URL; keeps the site link-free
    svg = vlc.vegalite_to_svg(spec)
    title = spec.get("title", name)
    return RenderedChart(name, title if isinstance(title, str) else name, spec, svg)
