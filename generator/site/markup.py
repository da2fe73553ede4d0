"""HTML and text fragments for pages: numbers, estimates, tier badges, chart containers.

Every fragment that carries data escapes it (`text.escape_markdown`) and is returned as
`Markup`, so templates can place it without escaping it twice.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..charts import RenderedChart
from ..text import escape_markdown
from ..tiers import TIER_LABELS
from .evidence_words import finding_text, interval, written


def asset_prefix(page_path: str) -> str:
    """Relative path from a page's URL (directory URLs) back to the site root."""
    depth = page_path.count("/") + (0 if page_path.endswith("index.md") else 1)
    return "../" * depth


def _missing(value: float | None) -> bool:
    """No number to show: none, or one no page may print (inf, nan)."""
    return value is None or not math.isfinite(value)


def pct(value: float | None, digits: int = 0) -> str:
    return "–" if _missing(value) else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 0) -> str:
    return "–" if _missing(value) else f"{value:,.{digits}f}"


def data_link(csv_path: str) -> Markup:
    """The link under a chart or table to the CSV of what it shows (our own file name)."""
    return Markup(f'<p class="crmproof-data"><a href="{html.escape(csv_path)}" download>'
                  "Download the data (CSV)</a></p>")


def chart_html(chart: RenderedChart, files: str, description: str,
               csv_path: str | None = None) -> Markup:
    """A chart container: the static SVG (fallback) and the spec for the Vega bundle, the
    two files `write_chart` writes (`files` is their address without `.svg`/`.json`), and a
    link to the CSV of its data.

    The spec is a file of its own (`write_chart`), fetched by charts.js: carried in the page
    it would be parsed, as escaped text, by Markdown and by the search indexer on every
    build, and would make up a third of a rep's page. (Not an inline <script>: Material's
    instant navigation re-creates every script without its type, running JSON as code.)
    """
    alt_text = escape_markdown(description)
    return Markup(
        f'<figure class="crmproof-chart" data-chart="{html.escape(chart.name)}" '
        f'data-spec-src="{html.escape(files)}.json">\n'
        f'<img class="crmproof-fallback" src="{html.escape(files)}.svg" alt="{alt_text}">\n'
        f"<figcaption>{alt_text}</figcaption>\n"
        f"</figure>" + (f"\n{data_link(csv_path)}" if csv_path else "")
    )


def write_chart(folder: Path, name: str, chart: RenderedChart) -> None:
    """A chart's two files for `chart_html`: `<name>.svg` and its spec, `<name>.json`."""
    (folder / f"{name}.svg").write_text(chart.svg, encoding="utf-8")
    (folder / f"{name}.json").write_text(chart.spec_json(), encoding="utf-8")


def days(value: float | None, digits: int = 0) -> str:
    if _missing(value):
        return "–"
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} day" if text == "1" else f"{text} days"


def estimate(value: Any, kind: str = "pct", unit: str = "") -> Markup:
    """An `evidence.Estimate` as text: '45% (95% interval 40%–50%, n = 367)', or
    'not enough data (n = 4)' below the minimum n."""
    fmt = {"pct": pct, "number": number, "days": days}[kind]
    suffix = f" {unit}" if unit else ""
    if not getattr(value, "enough", False) or value.value is None:
        return Markup(escape_markdown(f"not enough data (n = {value.n})"))
    text = (f"{fmt(value.value)}{suffix} (95% interval {fmt(value.low)}–{fmt(value.high)}"
            f"{suffix}, n = {value.n})")
    return Markup(escape_markdown(text))


def finding(value: Any, currency: str | None = None) -> Markup:
    """An `evidence.Finding` as text: its number, interval and n deals and reps, or why
    there is none."""
    return Markup(escape_markdown(finding_text(value, currency)))


def finding_value(value: Any, currency: str | None = None) -> Markup:
    """Only a finding's number ('42%', '+14.1 points'), or 'not enough data'."""
    if not value.enough or value.value is None:
        return Markup("not enough data")
    return Markup(escape_markdown(written(value, value.value, currency)))


def finding_interval(value: Any, currency: str | None = None) -> Markup:
    """A finding's interval ('34% to 48%'), or why there is no number."""
    if not value.enough or value.value is None:
        return Markup(escape_markdown(value.why_not))
    return Markup(escape_markdown(interval(value, currency)))


def tier_badge(tier: str | None) -> Markup:
    """A coloured tier label; the tier is one of four known values, anything else is text."""
    if tier not in TIER_LABELS:
        return Markup(escape_markdown("no tier yet"))
    return Markup(f'<span class="crmproof-tier crmproof-tier--{tier.replace("_", "-")}">'
                  f"{TIER_LABELS[tier]}</span>")


def front_matter_title(value: Any) -> Markup:
    """A page title for YAML front matter that is safe as HTML too.

    The theme writes `page.meta.title` into `<title>` and the header unescaped, and a
    title taken from the first heading would be unescaped by `striptags`; so a title
    made from data is always given here, as escaped text in a double-quoted YAML string.
    """
    return Markup(json.dumps(escape_markdown(value), ensure_ascii=False))


def code_block(text: str, language: str = "sql") -> Markup:
    """Source text shown literally in a collapsible block (raw HTML, escaped here)."""
    return Markup(f'<pre class="crmproof-source"><code class="language-{language}">'
                  f"{html.escape(text)}</code></pre>")
