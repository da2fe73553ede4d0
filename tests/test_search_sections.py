"""Plain generated HTML is cut into search sections without html.parser
(generator/site/search_sections.py), exactly as Material's own `Parser` cuts it."""

from __future__ import annotations

import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser, SearchIndex

from generator.site.search_sections import PlainSearchSections, plain_sections


def material_sections(content: str) -> list:
    """The plain definition: Material's parser."""
    parser = Parser()
    parser.feed(content)
    parser.close()
    return parser.data


def shape(sections: list) -> list:
    return [(s.el.tag, s.id, s.title, s.text, s.is_excluded()) for s in sections]


# ---- random HTML of the plain kind ----------------------------------------------------------
_PIECES = list("ab <>&;#\n\t\xa0é") + ["&amp;", "&lt;", "&#40;", "&para;", "&#x27;", "  "]
_TEXT = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8).map(
    lambda t: "".join(t).replace("<", "&lt;"))
_ATTRIBUTES = st.lists(st.sampled_from([' class="headerlink"', ' class="x"', " download",
                                        ' href="#a&amp;b"', ' title=""', ' style="a: b;"',
                                        ' class="crmproof-data"']), max_size=2).map("".join)
_INLINE = ["a", "em", "strong", "span", "code", "sub", "sup", "small"]
_BLOCK = ["p", "ul", "ol", "li", "div", "table", "tr", "td", "th", "figure", "figcaption"]


def _element(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(st.sampled_from(_INLINE + _BLOCK), _ATTRIBUTES,
                     st.lists(children, max_size=4)).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>")


_NODE = st.recursive(st.one_of(_TEXT, st.sampled_from(["<br>", '<img alt="a &amp; b">',
                                                      "<hr>", "\n", " ", "<!-- crmproof:html -->",
                                                      "<!---->", "<!-- /c:d -->"])),
                     _element, max_leaves=12)
_HEADING = st.tuples(st.sampled_from(["h1", "h2", "h3"]), st.sampled_from(["a", "b-c", "x&amp;y"]),
                     st.lists(st.one_of(_TEXT, _element(_TEXT)), max_size=3),
                     st.booleans()).map(
    lambda t: f'<{t[0]} id="{t[1]}">{"".join(t[2])}'
              + ('<a class="headerlink" href="#x" title="Permanent link">&para;</a>'
                 if t[3] else "") + f"</{t[0]}>")
PLAIN_PAGES = st.lists(st.one_of(_HEADING, _NODE), max_size=10).map("".join)


@settings(max_examples=200, deadline=None)
@given(PLAIN_PAGES)
def test_plain_html_gives_materials_sections(content):
    sections = plain_sections(content)
    assert sections is not None
    assert shape(sections) == shape(material_sections(content))


# Anything else either goes to Material's parser (None) or gives the same sections.
_OTHER = st.sampled_from(["<pre>a\n b</pre>", "<!-- c -->", "<!-- a-b -->", "<!--->", "<!-->",
                          "<!-- x --!>", "<!-- <p> -->", "<!-- unclosed", "<!x>",
                          "<script>x</script>", "<P>a</P>",
                          '<div data-search-exclude><p>a</p></div>', "<p>", "</p>", "a < b",
                          '<h2>anonymous</h2>', '<p><h2 id="n">nested</h2></p>',
                          "<p class='single'>a</p>", "<br/>", "<title>t</title>",
                          '<td class="linenodiv">1</td>', "<p\xa0class=\"x\">a</p>",
                          '<a href = "x">a</a>', "</br>", "<![CDATA[x]]>", "<?php ?>"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_HEADING, _NODE, _OTHER), max_size=8).map("".join))
def test_other_html_is_left_to_material_or_read_the_same(content):
    sections = plain_sections(content)
    if sections is not None:
        assert shape(sections) == shape(material_sections(content))


@pytest.mark.parametrize("content", [
    "<pre>a\n b</pre>", "<!-- a-b -->", "<!--->", "<!-- x --!>", "<script>x</script>",
    "<P>a</P>", "<p>a", "a</p>",
    "a < b", '<h2>anonymous</h2>', '<div><h2 id="n">nested</h2></div>', "<br/>",
    '<p data-search-exclude>a</p>', '<td class="linenodiv">1</td>', "<textarea>x</textarea>"])
def test_what_the_fast_reading_does_not_follow_goes_to_material(content):
    assert plain_sections(content) is None


def test_a_rep_page_shaped_body_is_read_the_same():
    body = ('<h1 id="rep">Rep &lt;b&gt;<a class="headerlink" href="#rep" '
            'title="Permanent link">&para;</a></h1>\n<p>Team · <span class="t">Grade A'
            '</span></p>\n\n<h2 id="habit">Habit<a class="headerlink" href="#habit" '
            'title="Permanent link">&para;</a></h2>\n<ul>\n<li>Streak: <strong>3</strong>'
            '</li>\n<li></li>\n</ul>\n<p></p><table><tr><td>1 day&#40;s&#41;</td></tr></table>'
            '\n<figure><img alt="x"><figcaption>It&#39;s</figcaption></figure>')
    sections = plain_sections(body)
    assert [s.id for s in sections] == [None, "habit"]
    assert shape(sections) == shape(material_sections(body))


def _plugin_with_index() -> tuple[PlainSearchSections, SearchIndex]:
    index = SearchIndex(lang=["en"], separator="x", pipeline=[], fields={})
    search = types.SimpleNamespace(config=types.SimpleNamespace(enabled=True),
                                   search_index=index)
    plugin = PlainSearchSections()
    plugin.on_pre_build(types.SimpleNamespace(plugins={"material/search": search}))
    return plugin, index


def _page(content: str, meta: dict | None = None):
    return types.SimpleNamespace(content=content, meta=meta or {}, toc=[], url="p/",
                                 title="Page")


@pytest.mark.parametrize("content", [
    '<h2 id="a">A</h2><p>one &amp; two</p><h2 id="b">B</h2><ul><li>x</li></ul>',
    "<pre>kept\n  as is</pre><!-- gone --><p>a</p>"])
def test_the_index_gets_the_entries_materials_own_indexing_makes(content):
    plugin, index = _plugin_with_index()
    index.add_entry_from_context(_page(content))
    plain = SearchIndex(lang=["en"], separator="x", pipeline=[], fields={})
    plain.add_entry_from_context(_page(content))
    assert index.entries == plain.entries and index.entries


def test_a_page_excluded_from_search_stays_out():
    plugin, index = _plugin_with_index()
    index.add_entry_from_context(_page("<p>a</p>", {"search": {"exclude": True}}))
    assert index.entries == []
