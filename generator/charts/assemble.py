"""Per-rep SVGs assembled from a few real renderings (the same bytes Vega writes).

At 1,000 reps, rendering two charts per rep one by one is the slow part of the charts
stage; most reps share their chart's frame, so only the marks differ.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from ..tiers import TIER_LABELS
from .render import RenderedChart, with_data

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
