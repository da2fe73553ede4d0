"""Every chart the site ships is a valid Vega-Lite spec (the build skips Altair's per-row
schema validation for speed, so this is where a malformed chart is caught)."""

from __future__ import annotations

import json

from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import core

from .conftest import chart_specs, search_docs


def test_every_chart_on_the_demo_site_is_valid_vega_lite(demo_site):
    schema = core.load_schema()
    specs = [spec for page in sorted(demo_site.rglob("*.html"))
             for spec in chart_specs(page).values()]
    assert len(specs) > 20  # team charts and every rep's two charts
    for spec in specs:
        validate_jsonschema(spec, schema)


def test_the_check_rejects_a_malformed_chart():
    bad = {"mark": "bar", "encoding": {"x": {"field": "a", "type": "nominally"}}}
    try:
        validate_jsonschema(bad, core.load_schema())
    except Exception as error:  # jsonschema's ValidationError
        assert "nominally" in str(error)
    else:
        raise AssertionError("a malformed spec passed")


def test_specs_are_files_beside_the_svgs_not_in_pages_or_search(any_demo_site):
    """A chart's spec is its own JSON file (a third of a rep's page when it was carried in
    the page); the page names it, and none of its data reaches the search index."""
    page = any_demo_site / "reps" / "rep-w-1" / "index.html"
    specs = chart_specs(page)
    assert set(specs) == {"rep-w-1-tiers", "rep-w-1-weeks"}
    assert specs["rep-w-1-tiers"]["data"]["values"][0]["period_end"]
    assert (any_demo_site / "assets" / "charts" / "rep-w-1-tiers.json").is_file()
    text = page.read_text(encoding="utf-8")
    assert "data-spec=" not in text and "vega-lite" not in text and "period_end" not in text
    for doc in search_docs(any_demo_site):
        found = json.dumps(doc) + doc["text"]
        for leak in ('"period_end":', "&quot;period_end", "vega-lite", "continuousWidth",
                     "$schema", "data-spec"):
            assert leak not in found, f"{doc['location']}: {leak}"
