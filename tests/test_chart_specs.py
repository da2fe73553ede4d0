"""Every chart the site ships is a valid Vega-Lite spec (the build skips Altair's per-row
schema validation for speed, so this is where a malformed chart is caught)."""

from __future__ import annotations

import html
import json
import re

from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema import core

SPEC = re.compile(r'data-spec="([^"]*)"')


def test_every_chart_on_the_demo_site_is_valid_vega_lite(demo_site):
    schema = core.load_schema()
    specs = [json.loads(html.unescape(found)) for page in sorted(demo_site.rglob("*.html"))
             for found in SPEC.findall(page.read_text(encoding="utf-8"))]
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
