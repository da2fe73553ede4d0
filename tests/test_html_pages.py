"""Rep pages' HTML bodies and marked HTML blocks skip Python-Markdown
(generator/site/html_pages.py) and come out exactly as Python-Markdown would make them; with
the plain search reading (generator/site/search_sections.py) the whole site is the same byte
for byte."""

from __future__ import annotations

import functools
import re
import types
from pathlib import Path

import jinja2
import markdown
import pytest
import yaml
from material.plugins.search import plugin as material_search

import generator.site.mkdocs as mkdocs_step
from generator.errors import BuildError
from generator.resources import bundled
from generator.site import shared_frame, steps
from generator.site.html_pages import HtmlBodies, put_back_blocks, render_body, set_aside_blocks
from generator.site.manager import pages as manager_pages
from generator.site.render import environment

from .conftest import run_cli
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


_OPEN, _CLOSE = "<!-- crmproof:html -->", "<!-- /crmproof:html -->"
_TABLE = (f'{_OPEN}\n<div class="b">\n<table>\n<tr><td><a href="r/">R &#42;x&#42;</a></td>'
          f'<td style="text-align: right;">5 ✓</td></tr>\n</table>\n</div>\n{_CLOSE}')
BLOCK_PAGES = [
    f"# Board\n\nSome *text*.\n\n{_TABLE}\n\n<p class=\"crmproof-data\">CSV</p>\n",
    f"{_TABLE}\n\n## After\n\n{_TABLE.replace('5', '6')}",
    f"- a list\n- of two\n\n{_TABLE}\n\n1. then\n",
    f"{_OPEN}\n<p>a</p>\n{_CLOSE}\n\n\n\n{_OPEN}\n<p>b</p>\n{_CLOSE}\n",
    f"text right before\n{_TABLE}\n\nleft to Markdown\n",  # no blank line: not set aside
    f"{_TABLE}\ntext right after\n",
]


@pytest.mark.parametrize("page", BLOCK_PAGES)
def test_a_page_with_html_blocks_comes_out_as_python_markdown_makes_it(page):
    token = "crmproofhtmltestn"
    rest, blocks = set_aside_blocks(page, token)
    assert all(block not in rest for block in blocks)
    html, tokens = _python_markdown(rest)
    expected_html, expected_tokens = _python_markdown(page)
    assert put_back_blocks(html, token, blocks) == expected_html
    assert tokens == expected_tokens


def test_only_blocks_between_blank_lines_are_set_aside():
    assert len(set_aside_blocks(BLOCK_PAGES[0], "t")[1]) == 1
    assert len(set_aside_blocks(BLOCK_PAGES[3], "t")[1]) == 2
    assert set_aside_blocks(BLOCK_PAGES[4], "t") == (BLOCK_PAGES[4], [])
    assert set_aside_blocks(BLOCK_PAGES[5], "t") == (BLOCK_PAGES[5], [])


def test_a_block_markdown_moved_is_a_build_error():
    # e.g. indented into a list item: its placeholder is no paragraph of its own any more
    with pytest.raises(BuildError, match="not kept apart"):
        put_back_blocks("<ul><li>t0</li></ul>", "t", ["<table></table>"])


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
        assert "render" not in vars(page)  # MkDocs' own rendering, through Markdown
        assert plugin.on_page_content("<p>md</p>", page, None, None) == "<p>md</p>"
    page = _page("reps/rep-a.md", marked)
    plugin.on_page_markdown("## A\n\n<p>x</p>\n\n## B\n", page, None, None)
    page.render(None, None)  # in place of Page.render: no converter is built
    assert page.content.startswith('<h2 id="a">A<a ') and "<p>x</p>" in page.content
    assert plugin.on_page_content(page.content, page, None, None) == page.content
    assert [item.title for item in page.toc] == ["A", "B"]
    assert page.present_anchor_ids == {"a", "b"}


@pytest.mark.slow
def test_a_hostile_site_is_byte_identical_with_and_without_the_shortcuts(
        tmp_path, monkeypatch):
    """The whole site, rep pages and search index included, built with and without the
    shortcuts: no rep page reaches Python-Markdown (no converter is even built for one) or
    html.parser when they are on, and rep pages share one rendering of the navigation and
    the rest of the theme's frame that reads nothing of them."""
    write_hostile_export(tmp_path / "fast" / "export")
    converted: list[str] = []
    convert = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert",
                        lambda md, text: converted.append(text) or convert(md, text))
    shared: list[tuple[str, bool] | None] = []
    key = shared_frame.shared_key
    monkeypatch.setattr(shared_frame, "shared_key",
                        lambda *args: shared.append(key(*args)) or shared[-1])
    parsed: list[str] = []
    feed = material_search.Parser.feed
    monkeypatch.setattr(material_search.Parser, "feed",
                        lambda parser, text: parsed.append(text) or feed(parser, text))
    fast = build_project(tmp_path / "fast", "privacy: named\nmin_n: 5\n")
    assert converted and not any('<h1 id="rep">' in text for text in converted)
    assert not any("crmproof:html" in text for text in converted)  # the blocks were set aside
    assert "<!-- crmproof:html -->" in (fast / "habit" / "index.html").read_text("utf-8")
    assert not any('<h1 id="rep">' in text for text in parsed)
    rep_pages = [p for p in (fast / "reps").iterdir() if p.name.startswith("rep-")]
    shares = len(shared_frame.SHARED_PARTIALS) + len(shared_frame.SHARED_BLOCKS)
    assert shared.count(("reps", True)) == shares * len(rep_pages) > shares
    fast_conversions = len(converted)
    monkeypatch.setattr(mkdocs_step, "mkdocs_build", functools.partial(
        mkdocs_step.mkdocs_build, html_bodies=False, plain_search=False, shared_frame=False))
    parsed.clear()
    converted.clear()
    write_hostile_export(tmp_path / "plain" / "export")
    plain = build_project(tmp_path / "plain", "privacy: named\nmin_n: 5\n")
    assert any('<h1 id="rep">' in text for text in parsed)  # Material's parser did read them
    assert len(converted) == fast_conversions + len(rep_pages)  # Markdown did convert them
    files = sorted(p.relative_to(fast) for p in fast.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
    assert any(str(name).startswith("reps/rep-") for name in files)
    for name in files:
        assert (fast / name).read_bytes() == (plain / name).read_bytes(), name



@pytest.mark.slow
def test_the_html_tables_show_what_the_markdown_tables_showed(tmp_path, monkeypatch):
    """The habit board and the reps' index, written as HTML tables, against the same pages
    from their Markdown-table templates (tests/reference/templates): the same tables, line
    for line."""
    write_hostile_export(tmp_path / "html" / "export")
    html = build_project(tmp_path / "html", "privacy: named\nmin_n: 5\n")
    reference = Path(__file__).parent / "reference" / "templates"
    monkeypatch.setattr(steps, "environment", lambda: _with_loader(environment(), reference))
    write_hostile_export(tmp_path / "markdown" / "export")
    markdown_site = build_project(tmp_path / "markdown", "privacy: named\nmin_n: 5\n")
    for page in ("habit/index.html", "reps/index.html"):
        written = (html / page).read_text("utf-8")
        assert written.count(_OPEN) == written.count(_CLOSE) == 1
        tables = _tables(written)
        assert tables and tables == _tables((markdown_site / page).read_text("utf-8")), page


@pytest.mark.slow
def test_the_managers_html_tables_show_what_the_markdown_tables_showed(
        tmp_path, monkeypatch, manager_site):
    """The manager's board, overview and ladder against the demo's manager's copy built from
    their Markdown-table templates: the same tables, line for line."""
    reference = Path(__file__).parent / "reference" / "templates"
    monkeypatch.setattr(manager_pages, "environment",
                        lambda: _with_loader(environment(), reference))
    out = tmp_path / "manager-site"
    result = run_cli("build", "--audience", "manager", "--out", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    for page in ("index.html", "board/index.html", "ladder/index.html"):
        written = (manager_site / page).read_text("utf-8")
        assert written.count(_OPEN) == written.count(_CLOSE) == 1, page
        tables = _tables(written)
        assert tables and tables == _tables((out / page).read_text("utf-8")), page


def _manager_context() -> dict:
    """Rows that take every branch of the three tables: a window done, one not known (and
    the default), one running with a week outside it; a ladder level or none; a hostile name."""
    def row(slug, label, window, ladder, tier):
        person = types.SimpleNamespace(label=label, team_label="Team *A* | B")
        return {"slug": slug, "person": person, "window": window, "ladder": ladder,
                "tier": tier, "findings": ["Enters late", "<b>x</b>"], "follow_up": "2026-03-02"}
    weeks = [{"window": 3, "active": 4, "kept": True}, {"window": None, "active": 2,
                                                        "kept": False}]
    rows = [row("a", "Ana <b>", {"text": "08:00-08:15", "agreed_on": "2026-01-05",
                                 "weeks": weeks, "kept": 2, "known": True, "done": True,
                                 "run": 2, "completed": 2},
                {"number": 2, "since": "2026-02-02", "step": "1:1 talk",
                 "status_text": "logged"}, "grade_a"),
            row("b", "Bo_b *x*", {"text": "16:45-17:00", "agreed_on": None, "weeks": weeks[:1],
                                  "kept": 0, "known": False, "done": False, "run": 0,
                                  "completed": 0}, None, None),
            row("c", "C|d", {"text": "12:00-12:15", "agreed_on": "2026-02-02",
                             "weeks": weeks[::-1], "kept": 1, "known": True, "done": False,
                             "run": 1, "completed": 1}, None, "moderate")]
    level = types.SimpleNamespace(number=1, rule=None, step="talk", log="talk")
    return {"rows": rows, "weeks": [1, 2], "program": {"daily_window": "08:00-08:15",
            "min_active_days": 3, "weeks": 12}, "program_start": "2026-01-05",
            "day": str, "site": {"team_name": "Team"}, "log_shown": "all", "as_of": "x",
            "demo": False, "attention": [], "unequal": [], "levels": [level], "due_days": 7}


@pytest.mark.parametrize(("template", "up"), [("manager/board.md.j2", "../"),
                                              ("manager/index.md.j2", ""),
                                              ("manager/ladder.md.j2", "../")])
def test_every_manager_table_cell_reads_as_in_the_markdown_table(template, up):
    reference = Path(__file__).parent / "reference" / "templates"
    context = _manager_context()
    html = _python_markdown(environment().get_template(template).render(**context))[0]
    old = _python_markdown(_with_loader(environment(), reference).get_template(template)
                           .render(**context))[0]
    old = re.sub(r'href="coaching/([a-z]+)\.md"', rf'href="{up}coaching/\1/"', old)
    assert "<strong>done</strong>" in html or template != "manager/board.md.j2"
    assert _tables(html) and _tables(html) == _tables(old)


def _tables(html: str) -> list[list[str]]:
    """Each table of the page as its lines (the text around them is the templates' own)."""
    return [[line for line in table.splitlines() if line.strip()]
            for table in re.findall(r"<table>.*?</table>", html, re.DOTALL)]


def _with_loader(env, folder: Path):
    """`env` reading the templates in `folder` first, then the bundled ones."""
    env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)), env.loader])
    return env
