"""Story pages: stories/index.md, one page per published story and its before/after chart.

Stories are read and their numbers resolved in `stories`; this module only writes pages.
Every value from the data is already escaped there, and the chart's data is swapped into
one spec built once.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import altair as alt
import vl_convert as vlc
import yaml
from markupsafe import Markup

from ..charts import WIDTH, RenderedChart
from ..evidence import wilson_finding
from ..stories import (
    Resolved,
    StoryData,
    day_text,
    metric_text,
    read_stories,
    resolve,
    stories_folder,
)
from .markup import chart_html, data_link, write_chart
from .render import environment, render_page
from .team_evidence import register

if TYPE_CHECKING:
    from .state import SiteState as Site

FACTS = (("tier", "Adoption tier"), ("active_day_share", "Active days"),
         ("win_rate", "Win rate"), ("won_deals", "Won deals"),
         ("mean_won_amount", "Mean won deal"))
SIDE_COLOURS = {"before": "#E69F00", "after": "#009E73", "all": "#56B4E9"}


def write_stories(site: Site, docs: Path) -> list[dict[str, Any]]:
    """Write stories/index.md and one page per published story; return their nav section.

    Drafts are skipped unread beyond their front matter. Each story's chart is written to
    assets/charts/story-<slug>.svg.
    """
    data = StoryData(site.con, site.config, site.params, site.results)
    resolved = published_stories(site, data)
    env, folder = environment(), docs / "stories"
    folder.mkdir(parents=True, exist_ok=True)
    (docs / "assets" / "charts").mkdir(parents=True, exist_ok=True)
    nav: list[dict[str, str]] = [{"All stories": "stories/index.md"}]
    for story in resolved:
        context = _story_context(site, story, data, docs)
        (folder / f"{story.slug}.md").write_text(render_page(env, "story.md.j2", context),
                                                 encoding="utf-8")
        nav.append({str(story.title): f"stories/{story.slug}.md"})
    index = [{"title": r.title, "slug": r.slug, "date": day_text(r.story.meta["date"]),
              "tags": r.story.meta["tags"], "summary": _summary(r, data.min_n)}
             for r in resolved]
    (folder / "index.md").write_text(render_page(env, "stories.md.j2", {
        "stories": index, "window_line": site.coverage()["window_line"]}),
                                     encoding="utf-8")
    return [{"Stories": nav}]


def published_stories(site: Site, data: StoryData | None = None) -> list[Resolved]:
    """The stories the site publishes (not drafts), newest first, with unique slugs."""
    published = [s for s in read_stories(stories_folder(site.config, site.demo)) if not s.draft]
    data = data or StoryData(site.con, site.config, site.params, site.results)
    return _unique(sorted((resolve(story, data) for story in published),
                          key=lambda r: (r.story.meta["date"], r.slug), reverse=True))


def _unique(resolved: list[Resolved]) -> list[Resolved]:
    seen: set[str] = {"index"}
    for story in resolved:
        slug, count = story.slug, 1
        while slug in seen:
            count += 1
            slug = f"{story.slug}-{count}"
        story.slug = slug
        seen.add(slug)
    return resolved


def _sides(story: Resolved) -> tuple[str, ...]:
    return ("before", "after") if "before" in story.spans else ("all",)


def _story_context(site: Site, story: Resolved, data: StoryData, docs: Path
                   ) -> dict[str, Any]:
    sides = _sides(story)
    chart = story_chart(f"story-{story.slug}", story, data.min_n)
    figure = None
    if chart is not None:
        write_chart(docs / "assets" / "charts", chart.name, chart)
        site.data[chart.name] = chart.spec["datasets"]["story"]
        figure = chart_html(chart, f"../../assets/charts/{chart.name}",
                            f"Win rate of closed deals for {story.label}, "
                            f"{' and '.join(sides)}, with 95% intervals",
                            f"../../assets/data/{chart.name}.csv")
    register(site, *(wilson_finding(f"story_{story.slug}_win_rate_{side}",
                                    f"Win rate, story {story.slug}, {side}",
                                    story.outcomes[side].win_rate(data.min_n), data.min_n)
                     for side in sides))
    facts = [{"name": name, "cells": [metric_text(key, story.outcomes[side], data.min_n)
                                      for side in sides]} for key, name in FACTS]
    site.data[f"story-{story.slug}-numbers"] = [
        {"measure": fact["name"], **dict(zip(sides, fact["cells"], strict=True))}
        for fact in facts]
    front = yaml.safe_dump({"title": str(story.title)}, allow_unicode=True, width=1000)
    return {
        "front_matter": Markup(f"---\n{front}---\n"), "title": story.title, "body": story.body,
        "date": day_text(story.story.meta["date"]), "tags": story.story.meta["tags"],
        "chart": figure, "min_n": data.min_n,
        "columns": [f"{side.capitalize()}: {story.spans[side].text()}" for side in sides],
        "facts": facts,
        "facts_csv": data_link(f"../../assets/data/story-{story.slug}-numbers.csv"),
    }


def _summary(story: Resolved, min_n: int) -> str:
    rates = [(side, story.outcomes[side].win_rate(min_n)) for side in _sides(story)]
    parts = [f"{side}: {rate.value:.0%} of {rate.n}" if rate.enough else
             f"{side}: not enough data ({rate.n})" for side, rate in rates]
    return "Win rate of closed deals, " + "; ".join(parts)


@cache
def _chart_base() -> dict[str, Any]:
    """The story chart's spec, built once; each story swaps in its own `story` dataset."""
    base = alt.Chart(alt.NamedData(name="story")).encode(
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField(field="order", op="min")),
        color=alt.Color("side:N", legend=None,
                        scale=alt.Scale(domain=list(SIDE_COLOURS),
                                        range=list(SIDE_COLOURS.values()))),
        tooltip=[alt.Tooltip("label:N", title="Period"),
                 alt.Tooltip("rate:Q", title="Win rate", format=".0%"),
                 alt.Tooltip("low:Q", title="95% interval from", format=".0%"),
                 alt.Tooltip("high:Q", title="95% interval to", format=".0%"),
                 alt.Tooltip("n:Q", title="Closed deals")])
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("low:Q", title="Win rate", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])), x2="high:Q")
    point = base.mark_point(filled=True, size=120).encode(x="rate:Q")
    spec = (interval + point).properties(
        title="Win rate of closed deals, with 95% intervals", width=WIDTH,
        height=110).to_dict(validate=True)
    spec.pop("$schema", None)
    return spec


def story_chart(name: str, story: Resolved, min_n: int) -> RenderedChart | None:
    """Win rate with its interval and n per period; None when no period has min_n deals."""
    rows = []
    for order, side in enumerate(_sides(story)):
        rate = story.outcomes[side].win_rate(min_n)
        if rate.enough:
            rows.append({"order": order, "side": side, "rate": rate.value, "low": rate.low,
                         "high": rate.high, "n": rate.n,
                         "label": f"{side.capitalize()} (n = {rate.n})"})
    if not rows:
        return None
    spec = copy.deepcopy(_chart_base())
    spec["datasets"] = {"story": rows}
    return RenderedChart(name, spec["title"], spec, vlc.vegalite_to_svg(spec))
