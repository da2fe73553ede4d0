"""MkDocs: generated HTML skips the Markdown pass, a whole page or a block of one.

A rep's page (`templates/rep.md.j2`) is HTML between `## ` section headings, marked
`crmproof_body: html` in its front matter. Python-Markdown would parse all that HTML again,
a thousand times in a 1,000-rep build (about 4.5 s, half the site step); this plugin hands
MkDocs the body as it is, each heading written as the toc extension writes it (id and
permalink), and the page's table of contents made from those headings, in place of the
page's Markdown rendering (no converter is built for it).

Only pages under `reps/` qualify: the folder is generated, no hand-written page lands there.

A block of HTML between `<!-- crmproof:html -->` and `<!-- /crmproof:html -->` lines, with a
blank line before and after (a table with a row per rep, as on the habit board and the
reps' index), is raw HTML to Python-Markdown too, but its HTML parser still reads it: about
a second for the thousand-row board. Such a block is set aside before Markdown and put back
into the HTML as Python-Markdown would have passed it. Data cannot make a marker: every
value reaches a page escaped, `<` as `&#60;`. A hand-written page may use the markers too:
what stands between them is passed as it is, as Python-Markdown passes raw HTML (unless it
holds a `markdown` attribute, which the markers' block is not for).

tests/test_html_pages.py checks that every such page comes out as Python-Markdown makes it.
"""

from __future__ import annotations

import functools
import re
import secrets
from html import unescape
from typing import Any

from markdown.extensions.toc import slugify
from mkdocs.plugins import BasePlugin
from mkdocs.structure.toc import get_toc

from ..errors import BuildError

_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)
_FOLDER = "reps/"
# A marked block standing alone between blank lines (or the body's start and end).
_BLOCK = re.compile(r"(?:\A|(?<=\n\n))(<!-- crmproof:html -->\n.*?\n<!-- /crmproof:html -->)"
                    r"(?=\n\n|\n?\Z)", re.DOTALL)


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


def set_aside_blocks(markdown: str, token: str) -> tuple[str, list[str]]:
    """`markdown` with each marked HTML block replaced by a paragraph of its own placeholder
    (`token` and its number), and the blocks in order."""
    blocks: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        blocks.append(match.group(1))
        return f"{token}{len(blocks) - 1}"

    return _BLOCK.sub(placeholder, markdown), blocks


def put_back_blocks(html: str, token: str, blocks: list[str]) -> str:
    """The blocks in place of their placeholders' paragraphs, as Python-Markdown writes a
    raw HTML block: followed by a blank line, unless it ends the page."""
    for index, block in enumerate(blocks):
        placeholder = f"<p>{token}{index}</p>"
        if html.count(placeholder) != 1:  # the page's Markdown moved it: a template bug
            raise BuildError(f"an HTML block of a generated page was not kept apart "
                             f"({placeholder!r} found {html.count(placeholder)} times)")
        ends = html.endswith(placeholder)
        html = html.replace(placeholder, block if ends else f"{block}\n")
    return html


class HtmlBodies(BasePlugin):
    """Pages marked `crmproof_body: html` under `reps/`: their body, not Markdown's; on
    every other page, marked HTML blocks."""

    def __init__(self) -> None:
        self._blocks: dict[str, list[str]] = {}
        # placeholders no page can hold: unguessable, and never written out
        self._token = f"crmproofhtml{secrets.token_hex(8)}n"

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if page.meta.get("crmproof_body") != "html" or not page.file.src_uri.startswith(
                _FOLDER):
            markdown, blocks = set_aside_blocks(markdown, self._token)
            if blocks:
                self._blocks[page.file.src_uri] = blocks
            return markdown
        # Page.render would build a Markdown converter, every extension loaded, to
        # convert nothing: this page's render is its body, as it is.
        page.render = functools.partial(_use_body, page, *render_body(markdown))
        return ""

    def on_page_content(self, html: str, page, config, files) -> str:
        blocks = self._blocks.pop(page.file.src_uri, None)
        return html if blocks is None else put_back_blocks(html, self._token, blocks)


def _use_body(page, body: str, tokens: list[dict[str, Any]], config, files) -> None:
    """`Page.render` for a page whose body is its HTML: what Page.render sets (the content,
    its table of contents and anchors), from the body and its headings."""
    page.content = body
    page.toc = get_toc(tokens)
    page.present_anchor_ids = {token["id"] for token in tokens}
