"""Charts: metric rows in, Altair specs and their offline renderings out.

In: plain rows (dicts of numbers and ISO dates) prepared by the site stage.
Out: `RenderedChart`s (Vega-Lite spec + static SVG); nothing is written to disk here.
"""

from __future__ import annotations

from .assemble import rep_tiers_svgs, rep_weeks_svgs
from .render import (
    RenderedChart,
    compiled,
    prefetch_vega_bundle,
    render,
    render_spec,
    vega_bundle,
    with_data,
    with_svg,
)
from .specs import (
    TIER_COLOURS,
    WIDTH,
    chart_comparison,
    chart_estimate_by_tier,
    chart_histogram,
    chart_program_board,
    chart_program_weeks,
    chart_rate_by_tier,
    chart_rep_tiers,
    chart_rep_weeks,
    chart_tier_mix,
    chart_value_by_tier,
    label_tiers,
)

__all__ = ["TIER_COLOURS", "WIDTH", "RenderedChart", "chart_comparison",
           "chart_estimate_by_tier", "chart_histogram", "chart_program_board",
           "chart_program_weeks",
           "chart_rate_by_tier", "chart_rep_tiers", "chart_rep_weeks", "chart_tier_mix",
           "chart_value_by_tier", "compiled", "label_tiers", "prefetch_vega_bundle", "render",
           "render_spec",
           "rep_tiers_svgs", "rep_weeks_svgs", "vega_bundle", "with_data", "with_svg"]
