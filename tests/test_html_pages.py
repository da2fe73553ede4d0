"""Rep pages' HTML bodies skip Python-Markdown (generator/site/html_pages.py) and come out
exactly as Python-Markdown would make them; with the plain search reading
(generator/site/search_sections.py) the whole site is the same byte for byte."""

from __future__ import annotations

import functools
import types

import markdown
import pytest
import yaml
from material.plugins.search import plugin as material_search

import generator.site.mkdocs as mkdocs_step
from generator.errors import BuildError
from generator.resources import bundled
from generator.site.html_pages import HtmlBodies, render_body

from .test_site_safety import build_project, write_hostile_export


def _python_markdown(body: str) -> tuple[str, list]:
    """The plain definition: the body through Python-Markdown with the site's extensions."""
    base = yaml.safe_load(bundled("mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = [], {}
    for item in base["markdown_extensions"]:
        name, config = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        configs[name] = config
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    return md.convert(body), md.toc_tokens


BODIES = [
    '<h1 id="rep">A<a class="headerlink" href="#rep" title="Permanent link">&para;</a></h1>\n'
    "<p>x &#40;y&#41; &#60;b&#62;</p>\n\n## One\n\n<table>\n<tr><td>1</td></tr>\n</table>\n"
    '<p class="d"><a href="../../a.csv" download>CSV</a></p>\n\n## Two\n\n## Three\n',
    "\n\n## Only a heading\n",
    "<p>no heading at all</p>\n\n\n",
    "## First\n<ul>\n<li><strong>2</strong> days</li>\n</ul>\n\n## Grade-A needs &amp; more\n\n"
    "<p>end</p>",
]


@pytest.mark.parametrize("body", BODIES)
def test_a_body_comes_out_as_python_markdown_makes_it(body):
    html, tokens = render_body(body)
    expected_html, expected_tokens = _python_markdown(body)
    assert html == expected_html
    assert [(t["level"], t["id"], t["name"]) for t in tokens] == [
        (t["level"], t["id"], t["name"]) for t in expected_tokens]


def test_two_sections_of_one_name_are_refused():
    with pytest.raises(BuildError, match="both called 'Habit'"):
        render_body("## Habit\n\n<p>a</p>\n\n## Habit\n")


def _page(src_uri: str, meta: dict):
    return types.SimpleNamespace(file=types.SimpleNamespace(src_uri=src_uri), meta=meta,
                                 toc=None)


def test_only_marked_pages_under_reps_skip_markdown():
    plugin = HtmlBodies()
    marked = {"crmproof_body": "html"}
    assert plugin.on_page_markdown("## A\n", _page("reps/rep-a.md", marked), None, None) == ""
    for page in (_page("about.md", marked), _page("stories/x.md", marked),
                 _page("reps/index.md", {})):
        assert plugin.on_page_markdown("## A\n", page, None, None) == "## A\n"
        assert plugin.on_page_content("<p>md</p>", page, None, None) == "<p>md</p>"
    page = _page("reps/rep-a.md", marked)
    plugin.on_page_markdown("## A\n\n<p>x</p>\n", page, None, None)
    assert plugin.on_page_content("", page, None, None).startswith('<h2 id="a">A<a ')
    assert [item.title for item in page.toc] == ["A"]


@pytest.mark.slow
def test_a_hostile_site_is_byte_identical_with_and_without_the_shortcuts(
        tmp_path, monkeypatch):
    """The whole site, rep pages and search index included, built with and without both
    shortcuts: no rep page reaches Python-Markdown or html.parser when they are on."""
    write_hostile_export(tmp_path / "fast" / "export")
    converted: list[str] = []
    convert = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert",
                        lambda md, text: converted.append(text) or convert(md, text))
    parsed: list[str] = []
    feed = material_search.Parser.feed
    monkeypatch.setattr(material_search.Parser, "feed",
                        lambda parser, text: parsed.append(text) or feed(parser, text))
    fast = build_project(tmp_path / "fast", "privacy: named\nmin_n: 5\n")
    assert converted and not any('<h1 id="rep">' in text for text in converted)
    assert not any('<h1 id="rep">' in text for text in parsed)
    monkeypatch.setattr(mkdocs_step, "mkdocs_build", functools.partial(
        mkdocs_step.mkdocs_build, html_bodies=False, plain_search=False))
    parsed.clear()
    write_hostile_export(tmp_path / "plain" / "export")
    plain = build_project(tmp_path / "plain", "privacy: named\nmin_n: 5\n")
    assert any('<h1 id="rep">' in text for text in parsed)  # Material's parser did read them
    files = sorted(p.relative_to(fast) for p in fast.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
    assert any(str(name).startswith("reps/rep-") for name in files)
    for name in files:
        assert (fast / name).read_bytes() == (plain / name).read_bytes(), name

