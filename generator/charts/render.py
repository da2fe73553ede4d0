"""A chart rendered twice: as a Vega-Lite spec that the site's local Vega bundle draws in
the browser, and as a static SVG fallback for print and no-JS readers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc

from .specs import label_tiers


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


_BUNDLES: dict[Path | None, Future] = {}  # cache folder -> the bundle being made for it
_POOL = ThreadPoolExecutor(max_workers=1)


def prefetch_vega_bundle(cache_dir: Path | None = None) -> None:
    """Start making the bundle in a thread (vl_convert releases the GIL; about 2 s), so it
    is ready when the assets are written. With `cache_dir` the bundle is kept there, one
    file per vl-convert version, and read back by later builds.

    The same thread then draws one empty chart: vl_convert's first drawing in a process
    starts its JavaScript engine (0.5-0.9 s), which this way happens during the ingest and
    queries instead of in the charts step."""
    if cache_dir not in _BUNDLES:
        _BUNDLES[cache_dir] = _POOL.submit(_cached_vega_bundle, cache_dir)
        if len(_BUNDLES) == 1:
            _POOL.submit(vlc.vegalite_to_svg, {"mark": "point"})


def vega_bundle() -> str:
    """One self-contained Vega + Vega-Lite + vega-embed script, shipped as a site asset:
    the one asked for last by `prefetch_vega_bundle`."""
    if not _BUNDLES:
        prefetch_vega_bundle()
    return next(reversed(_BUNDLES.values())).result()


def bundle_file_name() -> str:
    return f"vega-bundle-{version('vl-convert-python')}.js"


def _cached_vega_bundle(cache_dir: Path | None) -> str:
    path = cache_dir / bundle_file_name() if cache_dir is not None else None
    if path is not None and path.is_file():
        return path.read_text(encoding="utf-8")
    bundle = _make_vega_bundle()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.partial")
        temp.write_text(bundle, encoding="utf-8")
        os.replace(temp, path)
    return bundle


# Run by a child Python: vl_convert's JavaScript engine keeps the memory it made the bundle
# with (about 75 MB) to the end of the process, where it would sit beside the queries, the
# peak of a large build. The current directory is dropped from the module path first.
_BUNDLE_SCRIPT = ("import sys\n"
                  "if not getattr(sys.flags, 'safe_path', False): del sys.path[0]\n"
                  "import vl_convert\n"
                  "sys.stdout.buffer.write(vl_convert.javascript_bundle().encode('utf-8'))\n")


@cache
def _make_vega_bundle() -> str:
    """The bundle names Vega's JSON schema by URL (only as a label, never fetched); the
    privacy plugin would try to download it, so the label loses its scheme."""
    return re.sub(r"https://vega\.github\.io/schema/([a-z-]+)/(v[0-9.]+)\.json",
                  r"vega:schema/\1/\2.json", _javascript_bundle())


def _javascript_bundle() -> str:
    """vl_convert's bundle, made in a child process; made here when no child can run."""
    try:
        made = subprocess.run([sys.executable, "-c", _BUNDLE_SCRIPT], capture_output=True,
                              check=True, timeout=300)
        return made.stdout.decode("utf-8")
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return vlc.javascript_bundle()


def render(name: str, chart: alt.TopLevelMixin) -> RenderedChart:
    # Schema validation checks every data row (seconds for 12,000 rows); the specs are
    # code, not input, and tests validate every chart of the demo site.
    spec = chart.to_dict(validate=False)
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
    values = label_tiers(rows) if rows and "tier" in rows[0] else rows
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


def with_svg(template: RenderedChart, name: str, rows: list[dict], svg: str,
             title: str | None = None) -> RenderedChart:
    """`with_data`'s chart with an SVG already made for these rows."""
    values = label_tiers(rows) if rows and "tier" in rows[0] else rows
    spec = {**template.spec, "data": {"values": values}}
    if title is not None:
        spec["title"] = title
    chart_title = spec.get("title", name)
    return RenderedChart(name, chart_title if isinstance(chart_title, str) else name, spec, svg)
