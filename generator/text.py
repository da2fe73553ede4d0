"""Untrusted text made safe: escaping for Markdown and HTML, and file-name-safe slugs.

CRM values, config strings and story front matter all pass through here before they
reach a page; `Markup` values (trusted HTML built by crmproof) pass unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

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


def slugify(value: str) -> str:
    """A file-name-safe slug: lowercase letters, digits and dashes only (no '..', no '/')."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return slug[:60] or "item"
