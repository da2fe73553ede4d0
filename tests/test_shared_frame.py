"""Pages of one folder outside the navigation share one rendering of the parts of the page
that read nothing of them (generator/site/shared_frame.py): which pages share, and that the
manager's copy is the same with and without it (test_html_pages: the reps' site)."""

from __future__ import annotations

import functools
import types

import jinja2
import pytest

import generator.site.mkdocs as mkdocs_step
from generator.site.shared_frame import SharedFrame, nav_urls, shared_key

from .conftest import run_cli


def _page(url: str):
    return types.SimpleNamespace(url=url)


HOME, HABIT, REPS = _page(""), _page("habit/"), _page("reps/")
SECTION = types.SimpleNamespace(title="More", url=None, children=[
    types.SimpleNamespace(url="stories/", children=None),
    types.SimpleNamespace(url="https://example.com/x", children=None)])
NAV = types.SimpleNamespace(items=[HOME, HABIT, REPS, SECTION])
URLS = nav_urls(NAV.items)


def test_every_link_of_the_navigation_is_found():
    assert URLS == ["", "habit/", "reps/", "stories/", "https://example.com/x"]


def test_pages_outside_the_navigation_share_by_folder():
    assert shared_key(_page("reps/rep-a/"), NAV, URLS) == ("reps", True)
    assert shared_key(_page("reps/rep-b/"), NAV, URLS) == ("reps", True)
    assert shared_key(_page("reps/rep-c.html"), NAV, URLS) == ("reps", False)  # a level up
    assert shared_key(_page("coaching/rep-a/"), NAV, URLS) == ("coaching", True)
    assert shared_key(_page("habit/old/"), NAV, URLS) == ("habit", True)
    assert shared_key(_page("notes.html"), NAV, URLS) == ("", False)


def test_pages_in_the_navigation_or_above_a_link_of_it_render_their_own():
    for page in (HOME, HABIT, REPS, _page("stories"), _page("stori")):
        assert shared_key(page, NAV, URLS) is None, page.url
    assert shared_key(None, NAV, URLS) is None  # a static template (404.html)
    assert shared_key(_page("reps/rep-a/"), None, []) is None


def test_each_partial_and_block_is_rendered_once_per_folder():
    calls: list[str] = []
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "partials/nav.html": "{{ calls.append(page.url) or '' }}<nav>{{ page.url }}</nav>",
        "partials/search.html": "{{ calls.append('search') or '' }}<form></form>",
        "base.html": "{% block config %}{{ calls.append('config') or '' }}<s>{{ page.url }}"
                     "</s>{% endblock %}{% block content %}{% endblock %}",
        "main.html": "{% extends 'base.html' %}{% block content %}<main>"
                     "{% include 'partials/nav.html' %}</main>"
                     "{% include 'partials/search.html' %}{% endblock %}"}), auto_reload=False)
    SharedFrame().on_env(env, None, None)
    main = env.get_template("main.html")

    def render(url: str) -> str:
        return main.render(page=_page(url), nav=NAV, calls=calls)

    def page(url: str) -> str:  # the page as rendered for `url`
        return f"<s>{url}</s><main><nav>{url}</nav></main><form></form>"

    assert render("reps/rep-a/") == page("reps/rep-a/")
    assert render("reps/rep-b/") == page("reps/rep-a/")  # the first's
    assert render("coaching/rep-b/") == page("coaching/rep-b/")
    assert render("reps/rep-c.html") == page("reps/rep-c.html")
    assert render("habit/") == page("habit/")
    assert render("reps/") == page("reps/")
    assert calls == ["config", "reps/rep-a/", "search"] + [
        "config", "coaching/rep-b/", "search", "config", "reps/rep-c.html", "search",
        "config", "habit/", "search", "config", "reps/", "search"]


def test_a_theme_without_a_partial_renders_as_before():
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": "<main></main>"}))
    assert SharedFrame().on_env(env, None, None) is env
    assert env.get_template("main.html").render() == "<main></main>"


@pytest.mark.slow
def test_the_managers_copy_is_byte_identical_without_sharing(tmp_path, monkeypatch,
                                                            manager_site):
    """The manager's copy, whose coaching pages are outside the navigation, built again
    with every page rendering its own navigation."""
    monkeypatch.setattr(mkdocs_step, "mkdocs_build", functools.partial(
        mkdocs_step.mkdocs_build, shared_frame=False))
    out = tmp_path / "manager-site"
    result = run_cli("build", "--audience", "manager", "--out", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(manager_site) for p in manager_site.rglob("*")
                           if p.is_file())
    assert sum(name.parts[0] == "coaching" for name in files) > 1
    for name in files:
        assert (out / name).read_bytes() == (manager_site / name).read_bytes(), name


def test_a_page_that_theme_files_lie_under_renders_its_own():
    plugin = SharedFrame()
    for url in ("assets/", "assets/charts/", "assets/x.html"):
        assert plugin._key({"page": _page(url), "nav": NAV}) is None, url
    assert plugin._key({"page": _page("reps/rep-a/"), "nav": NAV}) == ("reps", True)
