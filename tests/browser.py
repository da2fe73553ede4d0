"""Real headless Chromium (Debian's, driven by Playwright) against a site served locally."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
        pass


def free_port() -> int:
    """A localhost port that is free right now (to build a site for it, then serve it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(root: Path, port: int = 0) -> Iterator[str]:
    """Serve `root` on localhost (a free port unless given); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class PageLog:
    """What a page did: console errors and every request it made."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def outside(self, base: str) -> list[str]:
        return [url for url in self.requests
                if not url.startswith(base) and not url.startswith(("data:", "blob:"))]


# Each engine's search box: what opens it, the query field, a hit's link. Zensical draws
# its search dialog in a shadow root, which Playwright's CSS locators look into.
SEARCH_UI = {"mkdocs": ("label.md-search__icon, .md-search__input", "input.md-search__input",
                        ".md-search-result__item > a"),
             "zensical": (".md-search__button", "input[role=combobox]",
                          "ol[role=listbox] a[role=option]")}


def search(page, engine: str, query: str, wanted: str) -> None:
    """Type `query` into the engine's search box; wait until `wanted` is in the top hits."""
    opener, field, hit = SEARCH_UI[engine]
    page.locator(opener).first.click()
    box = page.locator(field)
    box.wait_for()
    page.wait_for_timeout(500)  # the search worker loads the index
    box.press_sequentially(query, delay=30)
    # results update as the query is typed: wait for the whole query's top hits
    page.wait_for_function(
        """([hit, url]) => [document, ...[...document.querySelectorAll('*')]
                              .filter(e => e.shadowRoot).map(e => e.shadowRoot)]
               .some(root => [...root.querySelectorAll(hit)].slice(0, 3)
                             .some(a => a.href.includes(url)))""",
        arg=[hit, wanted], timeout=20_000)
