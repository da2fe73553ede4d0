"""Jinja templates -> Markdown pages, with every data value escaped by default.

Every `{{ value }}` in a template passes through `escape_markdown` (its `finalize`), unless
the value is `Markup` (trusted HTML built by this package). Data is only ever passed
*into* templates, never rendered *as* a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from ..errors import BuildError
from ..resources import bundled
from ..text import escape_markdown, slugify
from .markup import (
    code_block,
    days,
    estimate,
    finding,
    finding_interval,
    finding_value,
    front_matter_title,
    number,
    pct,
    tier_badge,
)


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
                       estimate=estimate, code=code_block, finding=finding,
                       finding_value=finding_value, finding_interval=finding_interval,
                       title=front_matter_title)
    return env


def render_page(env: Environment, template: str, context: dict[str, Any]) -> str:
    try:
        return env.get_template(template).render(**context)
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or template
        line = getattr(exc, "lineno", None)
        raise BuildError(f"{where}{f':{line}' if line else ''}: {exc.message}") from exc
