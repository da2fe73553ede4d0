"""MkDocs: a generated page whose body is already HTML skips the Markdown pass.

A rep's page (`templates/rep.md.j2`) is HTML between `## ` section headings, marked
`crmproof_body: html` in its front matter. Python-Markdown would parse all that HTML again,
a thousand times in a 1,000-rep build (about 4.5 s, half the site step); this plugin hands
MkDocs the body as it is, each heading written as the toc extension writes it (id and
permalink), and the page's table of contents made from those headings.

Only pages under `reps/` qualify: the folder is generated, no hand-written page lands there.
tests/test_html_pages.py checks that every such page comes out as Python-Markdown makes it.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from markdown.extensions.toc import slugify
from mkdocs.plugins import BasePlugin
from mkdocs.structure.toc import get_toc

from ..errors import BuildError

_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)
_FOLDER = "reps/"


def render_body(body: str) -> tuple[str, list[dict[str, Any]]]:
    """The page's HTML with its `## ` headings written out, and their toc tokens.

    Headings stand between blank lines, as the template writes them; the blocks are then
    joined as Python-Markdown joins them (a blank line after raw HTML, none after a
    heading), so the page is the same byte for byte.
    """
    html, tokens, start = "", [], 0
    for match in _HEADING.finditer(body):
        raw = body[start:match.start()].strip("\n")
        text = match.group(1).strip()
        anchor = slugify(unescape(text), "-")
        if any(token["id"] == anchor for token in tokens):  # toc would number it: never here
            raise BuildError(f"two sections of a rep page are both called {text!r}")
        html += (f"{raw}\n\n" if raw else "") + (
            f'<h2 id="{anchor}">{text}<a class="headerlink" href="#{anchor}" '
            'title="Permanent link">&para;</a></h2>\n')
        tokens.append({"level": 2, "id": anchor, "name": text, "children": []})
        start = match.end()
    return (html + body[start:].strip("\n")).rstrip("\n"), tokens


class HtmlBodies(BasePlugin):
    """Pages marked `crmproof_body: html` under `reps/`: their body, not Markdown's."""

    def __init__(self) -> None:
        self._bodies: dict[str, tuple[str, list[dict[str, Any]]]] = {}

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if page.meta.get("crmproof_body") != "html" or not page.file.src_uri.startswith(
                _FOLDER):
            return markdown
        self._bodies[page.file.src_uri] = render_body(markdown)
        return ""  # nothing left for Python-Markdown to do

    def on_page_content(self, html: str, page, config, files) -> str:
        found = self._bodies.pop(page.file.src_uri, None)
        if found is None:
            return html
        body, tokens = found
        page.toc = get_toc(tokens)
        return body
