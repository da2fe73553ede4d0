"""Per-rep charts assembled from a few renderings are byte for byte what Vega renders."""

import datetime as dt
import random

from generator import charts
from generator.tiers import TIER_ORDER

TIERS = list(TIER_ORDER)


def _tier_rows(rng, periods):
    return [{"period_end": p, "tier": rng.choice(TIERS)} for p in periods]


def _week_rows(rng, starts):
    return [{"week_start": s, "active_days": rng.randint(0, 5), "week": i + 1}
            for i, s in enumerate(starts)]


def _check(template, vega, assemble, rows_by_name, expect_assembled):
    assembled = assemble(template, vega, rows_by_name)
    assert set(assembled) == expect_assembled
    for name, svg in assembled.items():
        rendered = charts.with_data(template, name, rows_by_name[name])
        assert svg == rendered.svg, name
        assert charts.with_svg(template, name, rows_by_name[name], svg) == rendered


def test_tier_charts_assemble_to_the_rendered_bytes():
    rng = random.Random(3)
    end = dt.date(2026, 9, 30)
    periods = [(end - dt.timedelta(days=28 * i)).isoformat() for i in range(8)][::-1]
    rows = {f"rep-{i}": _tier_rows(rng, periods) for i in range(12)}
    rows["short"] = _tier_rows(rng, periods[3:])  # alone with its periods: rendered
    rows["one"] = _tier_rows(rng, periods[:1])
    template = charts.render("rep_tiers", charts.chart_rep_tiers(rows["rep-0"], "Tiers"))
    _check(template, charts.compiled(template), charts.rep_tiers_svgs, rows,
           {f"rep-{i}" for i in range(12)})


def test_week_charts_assemble_to_the_rendered_bytes():
    rng = random.Random(5)
    starts = [(dt.date(2026, 7, 6) + dt.timedelta(weeks=i)).isoformat() for i in range(10)]
    rows = {f"rep-{i}": _week_rows(rng, starts) for i in range(14)}
    rows["late"] = _week_rows(rng, starts[4:])
    rows["odd"] = [{**row, "active_days": 2.5} for row in _week_rows(rng, starts)]
    template = charts.render("rep_weeks", charts.chart_rep_weeks(rows["rep-0"], "Weeks", 3))
    _check(template, charts.compiled(template), charts.rep_weeks_svgs, rows,
           {f"rep-{i}" for i in range(14)})
