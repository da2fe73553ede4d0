"""Chart specs: pure functions from metric rows to Altair charts.

Every field carries an explicit type; values are plain Python numbers (DuckDB
DECIMALs are cast to DOUBLE in SQL). `render` turns a chart into its offline renderings.
"""

from __future__ import annotations

import altair as alt

from ..tiers import TIER_LABELS, TIER_ORDER

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
TIER_COLOURS = {"none": "#D55E00", "ineffective": "#E69F00", "moderate": "#56B4E9",
                "grade_a": "#009E73"}
WIDTH = 560


def _tier_scale() -> alt.Scale:
    return alt.Scale(domain=[TIER_LABELS[t] for t in TIER_ORDER],
                     range=[TIER_COLOURS[t] for t in TIER_ORDER])


# Dates travel as ISO days, which JavaScript reads as UTC midnight; Vega formats in the
# renderer's local time unless told otherwise, so west of Greenwich every day would show
# as the day before (in vl-convert under TZ, and in the reader's browser). UTC throughout.
_UTC = alt.Scale(type="utc")


def _day_tooltip(field: str, title: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:T", title=title, format="%d %b %Y",
                       timeUnit="utcyearmonthdate")


def label_tiers(rows: list[dict]) -> list[dict]:
    return [{**row, "tier_label": TIER_LABELS.get(row["tier"], row["tier"])} for row in rows]


def _estimate_tooltip(axis_title: str, fmt: str, n_title: str) -> list[alt.Tooltip]:
    return [alt.Tooltip("tier_label:N", title="Tier"),
            alt.Tooltip("value:Q", title=axis_title, format=fmt),
            alt.Tooltip("low:Q", title="95% interval from", format=fmt),
            alt.Tooltip("high:Q", title="95% interval to", format=fmt),
            alt.Tooltip("n:Q", title=n_title), alt.Tooltip("reps:Q", title="Reps")]


def chart_estimate_by_tier(rows: list[dict], title: str, axis_title: str, fmt: str = ".0%",
                           n_title: str = "Closed deals", zero_to_one: bool = False
                           ) -> alt.LayerChart:
    """Point estimate with its 95% interval per tier; rows: tier, value, low, high, n (what it
    rests on, e.g. deals), reps."""
    base = alt.Chart(alt.Data(values=label_tiers(rows))).encode(
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

    rows: label, value, low, high (shares, e.g. 0.08 for +8 points), n (deals), reps.
    """
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("label:N", title="Comparison"),
                 alt.Tooltip("value:Q", title="Difference", format="+.0%"),
                 alt.Tooltip("low:Q", title="95% interval from", format="+.0%"),
                 alt.Tooltip("high:Q", title="95% interval to", format="+.0%"),
                 alt.Tooltip("n:Q", title="Deals"), alt.Tooltip("reps:Q", title="Reps")],
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
    return alt.Chart(alt.Data(values=label_tiers(rows))).mark_bar().encode(
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


def chart_program_weeks(rows: list[dict], title: str) -> alt.Chart:
    """Program weeks × active workdays, shaded by how many reps had that many: the board of
    a team too large for a row per rep; rows: week, active_days, reps."""
    return alt.Chart(alt.Data(values=rows)).mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        x=alt.X("week:O", title="Program week", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("active_days:O", title="Active workdays in the week", sort="descending"),
        color=alt.Color("reps:Q", title="Reps", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("week:O", title="Week"),
                 alt.Tooltip("active_days:O", title="Active workdays"),
                 alt.Tooltip("reps:Q", title="Reps")],
    ).properties(title=title, width=WIDTH, height=alt.Step(24))


def chart_rep_tiers(rows: list[dict], title: str) -> alt.LayerChart:
    """One rep's tier per period; rows: period_end (ISO date), tier. Data swapped per rep."""
    labels = [TIER_LABELS[t] for t in reversed(TIER_ORDER)]
    base = alt.Chart(alt.Data(values=label_tiers(rows))).encode(
        x=alt.X("period_end:T", title="Period ending", axis=alt.Axis(format="%b %Y"),
                scale=_UTC),
        y=alt.Y("tier_label:N", title="Adoption tier", sort=labels,
                scale=alt.Scale(domain=labels)),
        tooltip=[_day_tooltip("period_end", "Period ending"),
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
                 _day_tooltip("week_start", "Week starting"),
                 alt.Tooltip("active_days:Q", title="Active workdays")],
    )
    goal = base.mark_rule(color="#D55E00", strokeDash=[4, 4], strokeWidth=2,
                          aria=False).encode(y=alt.datum(target))
    return (bars + goal).properties(title=title, width=WIDTH, height=180)


def chart_tier_mix(rows: list[dict], title: str) -> alt.Chart:
    """Stacked share of reps per tier over periods; rows: period_end, tier, share, reps."""
    data = alt.Data(values=label_tiers(rows))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("period_end:T", title="Period ending", axis=alt.Axis(format="%b %Y"),
                scale=_UTC),
        y=alt.Y("share:Q", title="Share of reps", axis=alt.Axis(format="%"),
                stack="normalize"),
        color=alt.Color("tier_label:N", title="Tier", scale=_tier_scale(),
                        sort=[TIER_LABELS[t] for t in TIER_ORDER]),
        order=alt.Order("tier_rank:Q"),
        tooltip=[_day_tooltip("period_end", "Period ending"),
                 alt.Tooltip("tier_label:N", title="Tier"),
                 alt.Tooltip("reps:Q", title="Reps"),
                 alt.Tooltip("share:Q", title="Share", format=".0%")],
    ).properties(title=title, width=WIDTH, height=240)
