"""MkDocs: the theme's navigation (and search box) rendered once for the pages of a folder
outside the navigation.

Material renders its whole navigation (partials/nav.html) into every page: a few ms each,
a thousand times in a 1,000-rep build, for the same HTML. What that partial writes depends
on the page only through which navigation entries are the page or hold it (none, for a
page outside the navigation) and through its links, each written relative to the page's
URL. For a page outside the navigation whose URL no navigation link lies under, every link
depends only on the folder the page is in and on its URL's form (from `reps/a/` and
`reps/b/` alike, `habit/` is `../../habit/`), so such pages of one folder get the same
navigation: it is rendered for the first and reused for the rest. The search box
(partials/search.html) reads nothing of the page at all and is shared the same way. Every
other page (and every page of a static template, such as 404.html) is rendered by the theme
as before.

tests/test_html_pages.py checks that a whole site is the same byte for byte with and
without it; tests/test_shared_nav.py, which pages share.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

import jinja2
from mkdocs.plugins import BasePlugin

SHARED_PARTIALS = ("partials/nav.html", "partials/search.html")


def nav_urls(items) -> list[str]:
    """Every URL a navigation links to: its pages, section index pages and links."""
    found = []
    for item in items:
        url = getattr(item, "url", None)
        if isinstance(url, str):
            found.append(url)
        found += nav_urls(getattr(item, "children", None) or [])
    return found


def shared_key(page, nav, urls: list[str]) -> tuple[str, bool] | None:
    """What decides this page's navigation: its folder, and whether its URL is a folder
    (`reps/a/`, links one level deeper) or a file (`reps/a.html`); None when the page has
    its own: one that a navigation link lies under or is (a page in the navigation)."""
    if page is None or nav is None:
        return None
    url = page.url
    if not url or any(link.startswith(url) for link in urls):
        return None
    return posixpath.dirname(url.rstrip("/")), url.endswith("/")


class SharedNav(BasePlugin):
    """Renders each of the theme's `SHARED_PARTIALS` once per folder of pages outside the
    navigation."""

    def __init__(self) -> None:
        self._urls: list[str] | None = None

    def on_env(self, env, config, files):
        for name in SHARED_PARTIALS:
            try:
                self._share(env.get_template(name))
            except jinja2.TemplateNotFound:  # a theme version without it: nothing to share
                continue
        return env

    def _key(self, context) -> tuple[str, bool] | None:
        nav = context.get("nav")
        if self._urls is None and nav is not None:
            self._urls = nav_urls(nav.items)
        return shared_key(context.get("page"), nav, self._urls or [])

    def _share(self, template) -> None:
        render = template.root_render_func  # what an {% include %} of it runs
        rendered: dict[tuple[str, bool], str] = {}

        def root(context) -> Iterator[str]:
            key = self._key(context)
            if key is None:
                yield from render(context)
                return
            if key not in rendered:
                rendered[key] = "".join(render(context))
            yield rendered[key]

        template.root_render_func = root
