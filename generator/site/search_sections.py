"""MkDocs: Material's search index, with a faster reading of plain generated HTML.

Material's search plugin cuts every page's HTML into sections with `html.parser`, a
thousand rep pages in a 1,000-rep build (about 2 s, a third of the site step). crmproof's
own pages are a narrow kind of HTML: known tags, double-quoted attributes, headings only at
the top level, no `<pre>`, no script. For such a page this module follows Material's
`Parser` step by step without the general tokenizer, about four times faster; any page
outside that kind (a hand-written page with an odd comment, a `<pre>`, an unknown tag, a stray
`<`) goes to Material's parser as before. Either way the same sections reach Material's
`create_entry_for_section`, so the index is the same;
tests/test_search_sections.py checks it against `Parser` on random HTML and whole sites.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import Any

from material.plugins.search.plugin import Element, Section, void
from mkdocs.plugins import BasePlugin

# A start tag with double-quoted or bare attributes, an end tag, text without '<', or a
# comment with no '-', '<' or '>' inside (html.parser's odd comments are left to it).
# Whitespace inside a tag is ASCII only: html.parser ends a tag's name at nothing else.
_TOKEN = re.compile(r'<([a-z][a-z0-9]*)((?:[ \t\n\r\f]+[a-z][a-z0-9-]*(?:="[^"<>]*")?)*)'
                    r"[ \t\n\r\f]*>|</([a-z][a-z0-9]*)>|([^<]+)|<!--[^<>-]*-->")
_ATTRIBUTE = re.compile(r'([a-z][a-z0-9-]*)(?:="([^"]*)")?')
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_KEPT = frozenset({"p", "code", "li", "ol", "ul", "sub", "sup"})  # Parser.keep without pre
# Tags whose content html.parser reads as ordinary text (no script, style, title, pre...).
_PLAIN = frozenset({
    "a", "abbr", "b", "br", "caption", "code", "col", "colgroup", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul"}) | _HEADINGS


def _attributes(text: str) -> dict[str, str | None]:
    # As html.parser gives them: a bare attribute is None, values are unescaped.
    found: dict[str, str | None] = {}
    for match in _ATTRIBUTE.finditer(text):
        value = match.group(2)
        found[match.group(1)] = unescape(value) if value else value
    return found


def plain_sections(content: str) -> list[Section] | None:
    """The sections Material's `Parser` makes of `content`, or None when the HTML is not
    of the plain kind this follows exactly (then only `Parser` can tell)."""
    sections: list[Section] = []
    section: Section | None = None
    open_tags: list[tuple[str, bool]] = []  # (tag, is a heading's permalink)
    in_heading, permalinks, position = False, 0, 0
    for match in _TOKEN.finditer(content):
        if match.start() != position:
            return None
        position = match.end()
        tag, attribute_text, end, text = match.groups()
        if tag is None and end is None and text is None:
            continue  # a comment: Parser ignores it (HTMLParser.handle_comment)
        if text is not None:  # Parser.handle_data
            run = unescape(text)
            run = " " if run.isspace() else run.replace("\n", " ")
            if section is None:
                section = Section(Element("hx"))
                sections.append(section)
            if in_heading:
                if not permalinks:
                    section.title.append(escape(run, quote=False))
            elif not run.isspace():
                section.text.append(escape(run, quote=False))
            elif not section.text or not section.text[-1].isspace():
                section.text.append(run)
        elif tag is not None:  # Parser.handle_starttag
            attributes = _attributes(attribute_text) if attribute_text else {}
            if (tag not in _PLAIN or "data-search-exclude" in attributes
                    or attributes.get("class") == "linenodiv"):
                return None
            if tag in void:
                continue
            if tag in _HEADINGS:
                if open_tags or "id" not in attributes:
                    return None  # a nested or anonymous heading: Parser's own rules
                if tag != "h1" and not sections:
                    sections.append(Section(Element("hx"), 1))
                section = Section(Element(tag, attributes), 1)
                if sections:
                    section.id = attributes["id"]
                sections.append(section)
                in_heading = True
            elif section is None:
                section = Section(Element("hx"))
                sections.append(section)
            permalink = tag == "a" and attributes.get("class") == "headerlink"
            open_tags.append((tag, permalink))
            permalinks += permalink
            if tag in _KEPT:
                (section.title if in_heading else section.text).append(f"<{tag}>")
        else:  # Parser.handle_endtag
            if not open_tags or open_tags[-1][0] != end:
                return None
            permalinks -= open_tags.pop()[1]
            if not open_tags:
                in_heading = False
            if end in _KEPT:
                _close_kept(section.title if in_heading else section.text, end)
    if position != len(content) or open_tags:
        return None
    return sections


def _close_kept(parts: list[str], tag: str) -> None:
    # Parser's rule, quirks included: from the first <tag> of the section, an element with
    # only whitespace after it is dropped, otherwise closed.
    index = parts.index(f"<{tag}>")
    if all(part.isspace() for part in parts[index + 1:]):
        del parts[index:]
    else:
        parts.append(f"</{tag}>")


class PlainSearchSections(BasePlugin):
    """Indexes plain pages through `plain_sections`, every other page through Material."""

    def on_pre_build(self, config: Any) -> None:
        search = config.plugins.get("material/search")
        if search is None or not search.config.enabled:
            return
        index = search.search_index
        parse_generally = index.add_entry_from_context

        def add_entry_from_context(page: Any) -> None:
            if (page.meta.get("search") or {}).get("exclude"):
                return
            sections = plain_sections(page.content)
            if sections is None:
                parse_generally(page)
                return
            for section in sections:
                if not section.is_excluded():
                    index.create_entry_for_section(section, page.toc, page.url, page)

        index.add_entry_from_context = add_entry_from_context
