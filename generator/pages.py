"""Pages: Jinja templates -> Markdown, with every data value escaped by default.

CRM text is untrusted. Every `{{ value }}` in a template passes through
`escape_markdown`, which neutralises both HTML and Markdown syntax, unless the
value is `Markup` (trusted HTML built by this package). Data is only ever passed
*into* templates, never rendered *as* a template.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup

from .charts import RenderedChart
from .errors import BuildError
from .resources import bundled

# Characters with meaning in HTML or Markdown (incl. attr_list braces and Jinja/Liquid
# delimiters), written as numeric entities so they show as themselves.
_SPECIAL = re.compile(r"[&<>\"'`*_\[\](){}#|!\\~]")
_WHITESPACE = re.compile(r"\s+")


def escape_markdown(value: Any) -> str:
    """Text that Markdown and HTML both show literally: no links, tags, emphasis or breaks."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = _WHITESPACE.sub(" ", str(value)).strip()
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


@dataclass
class Page:
    """One generated page: where it goes, its nav title, template and context.

    Pages with `in_nav=False` (one per rep) are reachable from an index page and
    search, not listed one by one in the navigation.
    """

    path: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    in_nav: bool = True


def asset_prefix(page_path: str) -> str:
    """Relative path from a page's URL (directory URLs) back to the site root."""
    depth = page_path.count("/") + (0 if page_path.endswith("index.md") else 1)
    return "../" * depth


def slugify(value: str) -> str:
    """A file-name-safe slug: lowercase letters, digits and dashes only (no '..', no '/')."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return slug[:60] or "item"


def pct(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def chart_html(chart: RenderedChart, svg_path: str, description: str) -> Markup:
    """A chart container: the static SVG (fallback), and its spec for the Vega bundle.

    The spec travels in a `data-spec` attribute, not an inline <script>: Material's instant
    navigation re-creates every script in the page without its type, which would run the
    JSON as JavaScript.
    """
    alt_text = escape_markdown(description)
    spec = html.escape(chart.spec_json(), quote=True)
    return Markup(
        f'<figure class="crmproof-chart" data-chart="{html.escape(chart.name)}" '
        f'data-spec="{spec}">\n'
        f'<img class="crmproof-fallback" src="{svg_path}" alt="{alt_text}">\n'
        f"<figcaption>{alt_text}</figcaption>\n"
        f"</figure>"
    )


def days(value: float | None, digits: int = 0) -> str:
    if value is None:
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


def tier_badge(tier: str | None) -> Markup:
    """A coloured tier label; the tier is one of four known values, anything else is text."""
    labels = {"none": "None", "ineffective": "Ineffective", "moderate": "Moderate",
              "grade_a": "Grade-A"}
    if tier not in labels:
        return Markup(escape_markdown("no tier yet"))
    return Markup(f'<span class="crmproof-tier crmproof-tier--{tier.replace("_", "-")}">'
                  f"{labels[tier]}</span>")


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


def environment(folder: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(folder or bundled("templates"))),
        autoescape=False,  # Markdown output: escaping is done by `finalize` below
        finalize=escape_markdown,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, number=number, slug=slugify, days=days, tier=tier_badge,
                       estimate=estimate, code=code_block,
                       title=front_matter_title)
    return env


def render_page(env: Environment, template: str, context: dict[str, Any]) -> str:
    try:
        return env.get_template(template).render(**context)
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or template
        line = getattr(exc, "lineno", None)
        raise BuildError(f"{where}{f':{line}' if line else ''}: {exc.message}") from exc
