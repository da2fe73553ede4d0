"""Charts: pure functions from metric rows to Altair charts, and their offline renderings.

Every field carries an explicit type; values are plain Python numbers (DuckDB
DECIMALs are cast to DOUBLE in SQL). A chart is rendered twice: as a Vega-Lite
spec that the site's local Vega bundle draws in the browser, and as a static SVG
fallback for print and no-JS readers.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
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


def _estimate_tooltip(axis_title: str, fmt: str, n_title: str) -> list[alt.Tooltip]:
    return [alt.Tooltip("tier_label:N", title="Tier"),
            alt.Tooltip("value:Q", title=axis_title, format=fmt),
            alt.Tooltip("low:Q", title="95% interval from", format=fmt),
            alt.Tooltip("high:Q", title="95% interval to", format=fmt),
            alt.Tooltip("n:Q", title=n_title)]


def chart_estimate_by_tier(rows: list[dict], title: str, axis_title: str, fmt: str = ".0%",
                           n_title: str = "Closed deals", zero_to_one: bool = False
                           ) -> alt.LayerChart:
    """Point estimate with its 95% interval per tier; rows: tier, value, low, high, n."""
    base = alt.Chart(alt.Data(values=_label_tiers(rows))).encode(
        y=alt.Y("tier_label:N", title="Adoption tier",
                sort=[TIER_LABELS[t] for t in TIER_ORDER]),
        color=alt.Color("tier_label:N", scale=_tier_scale(), legend=None),
        tooltip=_estimate_tooltip(axis_title, fmt, n_title),
    )
    scale = alt.Scale(domain=[0, 1]) if zero_to_one else alt.Scale(zero=True)
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q", title=axis_title, axis=alt.Axis(format=fmt), scale=scale),
        x2="high:Q")
    point = base.mark_point(filled=True, size=120, opacity=1).encode(x="value:Q")
    return (interval + point).properties(title=title, width=WIDTH, height=180)


def chart_rate_by_tier(rows: list[dict], title: str, axis_title: str) -> alt.LayerChart:
    """Win rate per tier; rows: tier, rate, low, high, n."""
    values = [{**row, "value": row["rate"]} for row in rows]
    return chart_estimate_by_tier(values, title, axis_title, zero_to_one=True)


def chart_comparison(rows: list[dict], title: str) -> alt.LayerChart:
    """Differences in percentage points with 95% intervals around a zero line.

    rows: label, value, low, high (shares, e.g. 0.08 for +8 points), n (reps).
    """
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("label:N", title="Comparison"),
                 alt.Tooltip("value:Q", title="Difference", format="+.0%"),
                 alt.Tooltip("low:Q", title="95% interval from", format="+.0%"),
                 alt.Tooltip("high:Q", title="95% interval to", format="+.0%"),
                 alt.Tooltip("n:Q", title="Reps")],
    )
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(
        color="#555555", strokeDash=[4, 4], aria=False).encode(x=alt.X("zero:Q"))
    interval = base.mark_rule(strokeWidth=3, color="#0072B2").encode(
        x=alt.X("low:Q", title="Difference in win rate (percentage points)",
                axis=alt.Axis(format="+.0%")),
        x2="high:Q")
    point = base.mark_point(filled=True, size=120, color="#0072B2", opacity=1).encode(
        x="value:Q")
    return (zero + interval + point).properties(title=title, width=WIDTH, height=120)


def chart_histogram(rows: list[dict], title: str, x_title: str,
                    y_title: str = "Reps") -> alt.Chart:
    """Reps per bucket, buckets in the given order; rows: bucket, reps."""
    order = [row["bucket"] for row in rows]
    return alt.Chart(alt.Data(values=rows)).mark_bar(color="#0072B2").encode(
        x=alt.X("bucket:N", title=x_title, sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("reps:Q", title=y_title, axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("bucket:N", title=x_title), alt.Tooltip("reps:Q", title=y_title)],
    ).properties(title=title, width=WIDTH, height=200)


def chart_value_by_tier(rows: list[dict], title: str, axis_title: str,
                        fmt: str = ",.0f") -> alt.Chart:
    """One bar per tier; rows: tier, value, n."""
    return alt.Chart(alt.Data(values=_label_tiers(rows))).mark_bar().encode(
        y=alt.Y("tier_label:N", title="Current adoption tier",
                sort=[TIER_LABELS[t] for t in TIER_ORDER]),
        x=alt.X("value:Q", title=axis_title, axis=alt.Axis(format=fmt)),
        color=alt.Color("tier_label:N", scale=_tier_scale(), legend=None),
        tooltip=[alt.Tooltip("tier_label:N", title="Tier"),
                 alt.Tooltip("value:Q", title=axis_title, format=fmt),
                 alt.Tooltip("n:Q", title="Reps")],
    ).properties(title=title, width=WIDTH, height=160)


def chart_program_board(rows: list[dict], title: str, target: int) -> alt.Chart:
    """Reps × program weeks, shaded by active days; rows: rep, week, active_days, met."""
    reps = list(dict.fromkeys(row["rep"] for row in rows))
    weeks = list(dict.fromkeys(row["week"] for row in rows))
    return alt.Chart(alt.Data(values=rows)).mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        x=alt.X("week:O", title="Program week", sort=weeks, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("rep:N", title=None, sort=reps),
        color=alt.Color("active_days:Q", title="Active days",
                        scale=alt.Scale(scheme="blues", domain=[0, 5])),
        tooltip=[alt.Tooltip("rep:N", title="Rep"), alt.Tooltip("week:O", title="Week"),
                 alt.Tooltip("week_start:N", title="Starting"),
                 alt.Tooltip("active_days:Q", title="Active days"),
                 alt.Tooltip("met:N", title=f"At least {target} active days")],
    ).properties(title=title, width=WIDTH, height=alt.Step(18))


def chart_rep_tiers(rows: list[dict], title: str) -> alt.LayerChart:
    """One rep's tier per period; rows: period_end (ISO date), tier. Data swapped per rep."""
    labels = [TIER_LABELS[t] for t in reversed(TIER_ORDER)]
    base = alt.Chart(alt.Data(values=_label_tiers(rows))).encode(
        x=alt.X("period_end:T", title="Period ending", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("tier_label:N", title="Adoption tier", sort=labels,
                scale=alt.Scale(domain=labels)),
        tooltip=[alt.Tooltip("period_end:T", title="Period ending", format="%d %b %Y"),
                 alt.Tooltip("tier_label:N", title="Tier")],
    )
    line = base.mark_line(color="#999999")
    points = base.mark_point(filled=True, size=110, opacity=1).encode(
        color=alt.Color("tier_label:N", title="Tier", scale=_tier_scale(), legend=None))
    return (line + points).properties(title=title, width=WIDTH, height=160)


def chart_rep_weeks(rows: list[dict], title: str, target: int) -> alt.LayerChart:
    """One rep's active workdays per program week against the target; rows: week (number),
    week_start (ISO date), active_days. Both layers share the data, so it can be swapped."""
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar(color="#0072B2").encode(
        x=alt.X("week:O", title="Program week", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("active_days:Q", title="Active workdays", scale=alt.Scale(domain=[0, 5]),
                axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("week:O", title="Program week"),
                 alt.Tooltip("week_start:T", title="Week starting", format="%d %b %Y"),
                 alt.Tooltip("active_days:Q", title="Active workdays")],
    )
    goal = base.mark_rule(color="#D55E00", strokeDash=[4, 4], strokeWidth=2,
                          aria=False).encode(y=alt.datum(target))
    return (bars + goal).properties(title=title, width=WIDTH, height=180)


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
    return render_spec(name, spec)


_GRADIENT_ID = re.compile(r"gradient_\d+")


def _stable_ids(svg: str) -> str:
    """Vega numbers gradient ids with a per-process counter; renumber them per SVG so the
    same chart gives the same bytes in any build (and rebuilds in `crmproof serve`)."""
    ids: dict[str, str] = {}
    return _GRADIENT_ID.sub(lambda m: ids.setdefault(m.group(), f"gradient_{len(ids)}"), svg)


def render_spec(name: str, spec: dict[str, Any]) -> RenderedChart:
    """Render an already validated spec (no Altair objects, no schema validation)."""
    svg = _stable_ids(vlc.vegalite_to_svg(spec))
    title = spec.get("title", name)
    return RenderedChart(name, title if isinstance(title, str) else name, spec, svg)


def compiled(template: RenderedChart | dict[str, Any]) -> dict[str, Any] | None:
    """The chart's Vega spec, compiled once from its Vega-Lite spec, for `with_data`; None
    when the compiled spec does not hold the chart's rows in exactly one inline dataset."""
    spec = template.spec if isinstance(template, RenderedChart) else template
    vega = vlc.vegalite_to_vega(spec)
    inline = [d for d in vega.get("data", []) if "values" in d]
    if "data" not in spec or len(inline) != 1 or inline[0]["values"] != spec["data"]["values"]:
        return None
    return vega


def with_data(template: RenderedChart | dict[str, Any], name: str, rows: list[dict],
              title: str | None = None, vega: dict[str, Any] | None = None) -> RenderedChart:
    """The same chart for other rows: build and validate the Altair chart once, then swap
    its top-level data (and title) per rep; schema validation is the slow part.

    With `vega` (the template's `compiled` spec) and no new title, the SVG comes from that
    Vega spec with the rows swapped in, skipping the Vega-Lite compile per chart: Vega-Lite
    compiles inline rows into the Vega spec as they are, so the SVG is the same."""
    spec = template.spec if isinstance(template, RenderedChart) else template
    if "data" not in spec:
        raise ValueError(f"{name}: only a chart whose layers share one top-level dataset "
                         "can have its data swapped")
    values = _label_tiers(rows) if rows and "tier" in rows[0] else rows
    spec = {**spec, "data": {"values": values}}
    if title is not None:
        spec["title"] = title
    if vega is None or title is not None:
        return render_spec(name, spec)
    vega = {**vega, "data": [{**d, "values": values} if "values" in d else d
                             for d in vega["data"]]}
    svg = _stable_ids(vlc.vega_to_svg(vega))
    chart_title = spec.get("title", name)
    return RenderedChart(name, chart_title if isinstance(chart_title, str) else name, spec, svg)


_BAR_MARKS = re.compile(r'(<g class="mark-rect role-mark layer_0_marks"[^>]*>)(.*?)(</g>)',
                        re.DOTALL)
_BAR = re.compile(r"<path [^<>]*/>")


def rep_weeks_svgs(template: RenderedChart, vega: dict[str, Any] | None,
                   rows_by_name: dict[str, list[dict]]) -> dict[str, str]:
    """SVGs of `chart_rep_weeks` charts assembled from a few real renderings, for the charts
    whose rows differ from many others' only in `active_days`.

    With one bar per week (no stacking) and a fixed y domain, each bar's SVG element
    depends only on its own row and its week's place on the x axis, and everything around
    the bars only on the weeks. So per set of weeks the chart is rendered once per distinct
    active-days value, with every week at that value; a rep's SVG is the shared frame with
    each week's bar taken from the rendering at the rep's value: the same bytes Vega would
    write. Any chart this cannot vouch for (repeated or missing weeks, a rendering whose
    frame differs, bars that do not line up with rows) is left out and rendered as usual.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for name, rows in rows_by_name.items():
        weeks = [(row["week"], row["week_start"]) for row in rows]
        if rows and len({week for week, _ in weeks}) == len(rows) and all(
                type(row["active_days"]) is int and set(row) ==
                {"week", "week_start", "active_days"} for row in rows):
            groups[json.dumps(weeks, sort_keys=True)].append(name)
    out: dict[str, str] = {}
    for names in groups.values():
        rows = rows_by_name[names[0]]
        values = sorted({row["active_days"] for name in names for row in rows_by_name[name]})
        if len(names) <= len(values):
            continue
        frames, bars = set(), {}
        for value in values:
            svg = with_data(template, "basis", [{**row, "active_days": value} for row in rows],
                            vega=vega).svg
            match = _BAR_MARKS.search(svg)
            found = _BAR.findall(match.group(2)) if match else []
            if not match or "".join(found) != match.group(2) or len(found) != len(rows) \
                    or "gradient_" in svg:
                break
            frames.add((svg[:match.start(2)], svg[match.end(2):]))
            bars[value] = found
        if len(frames) != 1 or len(bars) != len(values):
            continue
        ((head, tail),) = frames
        for name in names:
            out[name] = head + "".join(bars[row["active_days"]][i] for i, row in
                                       enumerate(rows_by_name[name])) + tail
    return out


_LINE_MARK = re.compile(r'<g class="mark-line role-mark layer_0_marks"[^>]*>(<path [^<>]*/>)</g>')
_POINT_MARKS = re.compile(r'<g class="mark-symbol role-mark layer_1_marks"[^>]*>(.*?)</g>',
                          re.DOTALL)
_LINE_PATH = re.compile(r' d="M([^"]*)"')


def rep_tiers_svgs(template: RenderedChart, vega: dict[str, Any] | None,
                   rows_by_name: dict[str, list[dict]]) -> dict[str, str]:
    """SVGs of `chart_rep_tiers` charts assembled from one real rendering per tier, for the
    charts whose rows differ from many others' only in `tier` (see `rep_weeks_svgs`).

    The y and colour scales are fixed and the x scale depends only on the periods, so each
    point's SVG element depends only on its own row, and the line is `M` and then one
    `x,y` per point joined by `L`, each written independently (the line's other attributes
    come from its first point). Anything that does not line up is left out and rendered."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name, rows in rows_by_name.items():
        periods = [row["period_end"] for row in rows]
        if len(rows) >= 2 and len(set(periods)) == len(rows) and all(
                row["tier"] in TIER_LABELS and set(row) == {"period_end", "tier"}
                for row in rows):
            groups[json.dumps(periods)].append(name)
    out: dict[str, str] = {}
    for names in groups.values():
        rows = rows_by_name[names[0]]
        tiers = sorted({row["tier"] for name in names for row in rows_by_name[name]})
        if len(names) <= len(tiers):
            continue
        frames, parts = set(), {}
        for tier in tiers:
            svg = with_data(template, "basis", [{**row, "tier": tier} for row in rows],
                            vega=vega).svg
            line, marks = _LINE_MARK.search(svg), _POINT_MARKS.search(svg)
            path = _LINE_PATH.search(line.group(1)) if line else None
            points = _BAR.findall(marks.group(1)) if marks else []
            if not (line and marks and path) or line.end() > marks.start() \
                    or "".join(points) != marks.group(1) or len(points) != len(rows) \
                    or len(path.group(1).split("L")) != len(rows) or "gradient_" in svg:
                break
            frames.add((svg[:line.start(1)], svg[line.end(1):marks.start(1)],
                        svg[marks.end(1):]))
            element = line.group(1)
            parts[tier] = (element[:path.start()], element[path.end():],
                           path.group(1).split("L"), points)
        if len(frames) != 1 or len(parts) != len(tiers):
            continue
        ((head, middle, tail),) = frames
        for name in names:
            mine = [parts[row["tier"]] for row in rows_by_name[name]]
            before, after = mine[0][0], mine[0][1]
            line_path = "L".join(part[2][i] for i, part in enumerate(mine))
            out[name] = (head + before + f' d="M{line_path}"' + after + middle
                         + "".join(part[3][i] for i, part in enumerate(mine)) + tail)
    return out


def with_svg(template: RenderedChart, name: str, rows: list[dict], svg: str,
             title: str | None = None) -> RenderedChart:
    """`with_data`'s chart with an SVG already made for these rows."""
    values = _label_tiers(rows) if rows and "tier" in rows[0] else rows
    spec = {**template.spec, "data": {"values": values}}
    if title is not None:
        spec["title"] = title
    chart_title = spec.get("title", name)
    return RenderedChart(name, chart_title if isinstance(chart_title, str) else name, spec, svg)
