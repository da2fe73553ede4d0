"""Per-rep pages ("your numbers") and their two charts, under the privacy mode (`people`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import charts
from .. import evidence as ev
from .markup import asset_prefix
from .people import Person
from .render import Page
from .team_evidence import median, register

if TYPE_CHECKING:
    from .state import SiteState as Site


# ---- charts ------------------------------------------------------------------------------
def _tier_rows(site: Site, rep_id: str) -> list[dict[str, Any]]:
    return [{"period_end": r["period_end"].isoformat(), "tier": r["tier"]}
            for r in sorted(site.grouped("adoption_tier").get(rep_id, []),
                            key=lambda r: r["period_end"])]


def _week_rows(site: Site, rep_id: str) -> list[dict[str, Any]]:
    return [{"week_start": r["week_start"].isoformat(), "active_days": r["active_days"],
             "week": r["week_index"] + 1}
            for r in site.grouped("program_board").get(rep_id, [])]


def render_charts(site: Site) -> dict[str, charts.RenderedChart]:
    """Two charts per rep; each Altair chart is built and validated once, then only its
    data changes from rep to rep."""
    if site.config["privacy"] == "off" or not site.people:
        return {}
    target = site.config["program"]["min_active_days"]
    tiers = charts.render("rep_tiers", charts.chart_rep_tiers(
        [{"period_end": site.as_of.isoformat(), "tier": "none"}],
        "Your adoption tier, period by period"))
    weeks = charts.render("rep_weeks", charts.chart_rep_weeks(
        [{"week_start": site.as_of.isoformat(), "active_days": 0, "week": 1}],
        "Your active workdays per program week", target))
    # each chart compiled to Vega once; per rep only the rows change (no Vega-Lite compile)
    tiers_vega, weeks_vega = charts.compiled(tiers), charts.compiled(weeks)
    rows: dict[str, tuple[charts.RenderedChart, dict | None, list[dict[str, Any]]]] = {}
    for person in site.people.values():
        rows[f"{person.slug}-tiers"] = (tiers, tiers_vega, _tier_rows(site, person.rep_id))
        rows[f"{person.slug}-weeks"] = (weeks, weeks_vega, _week_rows(site, person.rep_id))
    # most reps share the program's periods and weeks: their charts are assembled from a few
    # real renderings (the same bytes Vega writes), the rest rendered one by one
    assembled = {}
    for template, vega, assemble in ((tiers, tiers_vega, charts.rep_tiers_svgs),
                                     (weeks, weeks_vega, charts.rep_weeks_svgs)):
        assembled.update(assemble(template, vega, {name: job[2] for name, job in rows.items()
                                                   if job[0] is template}))
    ready = {name: charts.with_svg(rows[name][0], name, rows[name][2], svg)
             for name, svg in assembled.items()}
    jobs = [(template, name, job_rows, None, vega)
            for name, (template, vega, job_rows) in rows.items() if name not in assembled]
    # vl-convert renders outside the GIL: two SVGs at a time nearly halve this stage for
    # 1,000 reps; results keep their order and each SVG's ids are renumbered, so the bytes
    # do not depend on scheduling
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        rendered = {chart.name: chart for chart in pool.map(lambda job: charts.with_data(*job),
                                                            jobs)}
    rendered.update(ready)
    for name, (_, _, chart_rows) in rows.items():
        site.data[name] = chart_rows
    return {name: rendered[name] for person in site.people.values()
            for name in (f"{person.slug}-tiers", f"{person.slug}-weeks")}


# ---- pages -------------------------------------------------------------------------------
def _latest(site: Site) -> dict[str, dict[str, Any]]:
    return {row["rep_id"]: row for row in site.rows("adoption_tier")
            if row["period_index"] == 0}


def pages(site: Site, common: dict[str, Any]) -> Iterator[Page]:
    """The reps' index, then a page per rep, each made when it is taken."""
    if site.config["privacy"] == "off" or not site.people:
        return
    latest = _latest(site)
    team = site.evidence["findings"]["win_rate_all"]
    deals = _deal_counts(site)
    # per-rep lookups and the team's medians once, not once per rep
    shared = {"medians": _team_medians(latest),
              **{name: site.by_rep(name) for name in _BY_REP}}
    index = Page("reps/index.md", "Your numbers", "reps_index.md.j2", {
        **common, "privacy": site.config["privacy"],
        "reps": [{"person": p, "tier": latest.get(p.rep_id, {}).get("tier")}
                 for p in site.people.values()],
        "reps_csv": site.table_data("reps", "reps/index.md", [
            {"rep": f"Rep {p.code}", "team": p.team_label,
             "tier": latest.get(p.rep_id, {}).get("tier")} for p in site.people.values()]),
    })
    yield index
    for person in site.people.values():
        yield _rep_page(site, common, person, latest, team, shared,
                        deals.get(person.rep_id, (0, 0, 0, 0)))


_BY_REP = ("habit_streaks", "program_progress", "cost_stale_pipeline",
           "cost_closed_without_activity")
_MEASURE_KEYS = ("active_day_share", "median_lag_days", "completeness", "proxy_share")


def _team_medians(latest: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    return {key: median([row.get(key) for row in latest.values()]) for key in _MEASURE_KEYS}


def _measures(site: Site, rep_id: str, latest: dict[str, dict[str, Any]],
              medians: dict[str, float | None]) -> list[dict]:
    """This period's four measures for the rep, the team's median and the grade-A bar."""
    tiers = site.config["tiers"]
    mine = latest.get(rep_id, {})
    spec = [("Active-day share", "active_day_share", "pct", f"at least "
             f"{tiers['grade_a_min_active_share']:.0%}", "active_days"),
            ("Median logging lag", "median_lag_days", "days", f"at most "
             f"{tiers['grade_a_max_lag_days']} day(s)", "logging_lag"),
            ("Open deals complete", "completeness", "pct",
             f"at least {tiers['grade_a_min_completeness']:.0%}", "completeness"),
            ("Entered by someone else", "proxy_share", "pct",
             f"at most {tiers['grade_a_max_proxy_share']:.0%}", "proxy_share")]
    return [{"label": label, "kind": kind, "mine": mine.get(key),
             "bar": bar if site.has(measure) else "not applied", "team": medians[key],
             "available": site.has(measure)}
            for label, key, kind, bar, measure in spec]


# (won, closed) deals of a rep: all of them, then those grade-A over their working life
DealCounts = tuple[int, int, int, int]


def _deal_counts(site: Site) -> dict[str, DealCounts]:
    """Each rep's closed deals counted (won_all, all, won_grade_a, grade_a), by array steps
    over the deal_attribution columns (half a million deals at 1,000 reps)."""
    result = site.results.get("deal_attribution")
    if result is None:
        return {}
    rep_of_deal, reps = result.factorized("rep_id")
    won = result.array("is_won").astype(bool)
    grade_a = result.array("life_tier") == "grade_a"
    counts = [np.bincount(rep_of_deal, weights=w, minlength=len(reps)).astype(int).tolist()
              for w in (won, None, won & grade_a, grade_a)]
    return {rep: tuple(column[i] for column in counts) for i, rep in enumerate(reps)
            if rep is not None}


def _outcomes(site: Site, person: Person, deals: DealCounts,
              team: ev.Finding) -> list[dict[str, Any]]:
    """The rep's win rate over all their deals, grade-A deals and the rest (Wilson: one rep's
    deals), beside the team's (a cluster interval); each one registered for evidence.json."""
    min_n, rows = site.config["min_n"], []
    won_all, closed_all, won_a, closed_a = deals
    for key, what, won, closed in (("all", "all deals", won_all, closed_all),
                                   ("grade_a", "grade-A deals", won_a, closed_a),
                                   ("rest", "all other deals", won_all - won_a,
                                    closed_all - closed_a)):
        rate = ev.proportion_estimate(won, closed, min_n)
        # evidence.json names the rep by their code, never by name (data files name no one)
        rows.append({"name": f"{person.label}, {what}", "finding": ev.wilson_finding(
            f"rep_{person.slug}_win_rate_{key}", f"Win rate, Rep {person.code}, {what}", rate,
            min_n)})
    rows.append({"name": "Whole team, all deals", "finding": team})
    register(site, *(row["finding"] for row in rows[:3]))
    return rows


def _shown(finding: ev.Finding) -> dict[str, float | None]:
    enough = finding.enough
    return {"win_rate": finding.value if enough else None,
            "low": finding.low if enough else None, "high": finding.high if enough else None}


def _rep_page(site: Site, common: dict[str, Any], person: Person,
              latest: dict[str, dict[str, Any]], team: ev.Finding,
              shared: dict[str, Any], deals: DealCounts) -> Page:
    path = person.page_path
    rep_id = person.rep_id
    measures = _measures(site, rep_id, latest, shared["medians"])
    outcomes = _outcomes(site, person, deals, team)
    return Page(path, person.label, "rep.md.j2", {
        **common, "person": person, "tier": latest.get(rep_id, {}).get("tier"),
        "root": asset_prefix(path),
        "measures": measures,
        "measures_csv": site.table_data(f"{person.slug}-measures", path, [
            {"measure": m["label"], "rep": m["mine"], "team_median": m["team"],
             "grade_a_needs": m["bar"]} for m in measures]),
        "streak": shared["habit_streaks"].get(rep_id),
        "progress": shared["program_progress"].get(rep_id),
        "outcomes": outcomes,
        "outcomes_csv": site.table_data(f"{person.slug}-outcomes", path, [
            {"deals": row["finding"].label.removeprefix("Win rate, "),
             **_shown(row["finding"]), "n_deals": row["finding"].deals,
             "n_reps": row["finding"].reps,
             "method": row["finding"].method} for row in outcomes]),
        "stale": shared["cost_stale_pipeline"].get(rep_id),
        "closed_dark": shared["cost_closed_without_activity"].get(rep_id),
        "program": site.config["program"],
        "tier_chart": site.chart(f"{person.slug}-tiers", path,
                                 "This rep's adoption tier in each period"),
        "weeks_chart": site.chart(f"{person.slug}-weeks", path,
                                  "This rep's active workdays in each program week, "
                                  "against the program target"),
    }, in_nav=False)
