"""MkDocs: the parts of Material's page that read nothing of the page, rendered once for the
pages of a folder outside the navigation.

Material renders its whole navigation (partials/nav.html) into every page: a few ms each,
a thousand times in a 1,000-rep build, for the same HTML. What that partial writes depends
on the page only through which navigation entries are the page or hold it (none, for a
page outside the navigation) and through its links, each written relative to the page's
URL. For a page outside the navigation whose URL no link lies under (no navigation link,
nor the theme's `assets/`), every link depends only on the folder the page is in and on its
URL's form (from `reps/a/` and `reps/b/` alike, `habit/` is `../../habit/`), so such pages
of one folder get the same navigation: it is rendered for the first and reused for the rest.
The same holds for the parts that read nothing of the page but links: the search box, the
footer (its previous/next links are only for pages in the navigation), and the blocks of
base.html that write the theme's stylesheets, scripts and settings for its JavaScript. Every
other page (and every page of a static template, such as 404.html) is rendered by the theme
as before.

tests/test_html_pages.py and test_shared_frame.py check that the reps' site and the
manager's copy are the same byte for byte with and without it, and which pages share.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator

import jinja2
from mkdocs.plugins import BasePlugin

SHARED_PARTIALS = ("partials/nav.html", "partials/search.html", "partials/footer.html")
SHARED_BLOCKS = ("styles", "config", "scripts")  # of base.html
# Where the links the theme writes besides the navigation's lie: its own files, crmproof's
# CSS, JS and logo. A page in it, or above it, renders its own.
THEME_LINKS = ("assets/",)


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
    """What decides the shared parts of this page: its folder, and whether its URL is a
    folder (`reps/a/`, links one level deeper) or a file (`reps/a.html`). None when the page
    has its own: one that a link in `urls` lies under or is (a page in the navigation), or
    one in or above the theme's files (`THEME_LINKS`)."""
    if page is None or nav is None:
        return None
    url = page.url
    if not url or url.startswith(THEME_LINKS) or any(
            link.startswith(url) for link in (*urls, *THEME_LINKS)):
        return None
    return posixpath.dirname(url.rstrip("/")), url.endswith("/")


def _template(env: jinja2.Environment, name: str) -> jinja2.Template | None:
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound:  # a theme version without it: nothing to share
        return None


class SharedFrame(BasePlugin):
    """Renders each of the theme's `SHARED_PARTIALS` and `SHARED_BLOCKS` (the frame around a
    page) once per folder of pages outside the navigation."""

    def __init__(self) -> None:
        self._urls: list[str] | None = None

    def on_env(self, env, config, files):
        for name in SHARED_PARTIALS:
            template = _template(env, name)
            if template is not None:  # what an {% include %} of the partial runs
                template.root_render_func = self._shared(template.root_render_func)
        base = _template(env, "base.html")
        if base is not None:
            for name in SHARED_BLOCKS:
                if name in base.blocks:  # what main.html's {% extends %} finds for it
                    base.blocks[name] = self._shared(base.blocks[name])
        return env

    def _key(self, context) -> tuple[str, bool] | None:
        nav = context.get("nav")
        if self._urls is None and nav is not None:
            self._urls = nav_urls(nav.items)
        return shared_key(context.get("page"), nav, self._urls or [])

    def _shared(self, render: Callable) -> Callable:
        """`render` (a template's or a block's render function), its output kept per key."""
        rendered: dict[tuple[str, bool], str] = {}

        def render_shared(context) -> Iterator[str]:
            key = self._key(context)
            if key is None:
                yield from render(context)
                return
            if key not in rendered:
                rendered[key] = "".join(render(context))
            yield rendered[key]

        return render_shared
