"""Claims the data does not back never reach the site: no page and no search entry says them.

The list holds every sentence that issue 15 found unsupported (point 6), the reasoning it
found unsound (conclusions from overlapping intervals, unmeasured gaps), and causal wording.
"""

from __future__ import annotations

import html
import re

import pytest

from .conftest import search_docs

pytestmark = pytest.mark.slow

UNSUPPORTED = [
    "does the CRM pay off",
    "Logging late is what makes it slow",
    "deals with a logged next step are the ones you can forecast",
    "After 12 weeks it is how you work",
    "it is how you work",
    "Work logged the same day is remembered accurately",
    "is remembered accurately",
    "when you keep your own deals, far fewer hands touch them",
    "That fits in one 15-minute window",
    "an owner who looks first is not surprised",
    "The two intervals overlap",
    "The two intervals do not overlap",
    "cannot tell the two apart with confidence",
    "The gap inside the same reps is smaller than the gap between reps",
    "is not only a matter of who the reps are",
    "goes with who the reps are, not only with their habit",
]
CAUSAL = re.compile(
    r"\b(caus(e|es|ed|ing)|leads? to|led to|drives?|driven by|results? in|because of|"
    r"thanks to|pays? off|proves?|guarantees?|boosts?|will (win|close|sell)|"
    r"makes? (it|you) (slow|faster|win|sell))\b", re.IGNORECASE)
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)


def _text(page: str) -> str:
    article = re.search(r"<article[^>]*>(.*?)</article>", page, re.S)
    body = CODE.sub(" ", article.group(1) if article else page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _problems(where: str, text: str) -> list[str]:
    flat = " ".join(text.split()).lower()
    found = [f"{where}: {phrase!r}" for phrase in UNSUPPORTED if phrase.lower() in flat]
    found += [f"{where}: {m.group(0)!r}" for m in CAUSAL.finditer(flat)]
    return found


def test_no_page_says_what_the_data_does_not_back(demo_site):
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) > 25
    problems = [p for page in pages
                for p in _problems(str(page.relative_to(demo_site)),
                                   _text(page.read_text(encoding="utf-8")))]
    assert not problems, problems


def test_the_search_index_says_none_of_it_either(demo_site):
    docs = search_docs(demo_site)
    assert len(docs) > 25
    problems = [p for doc in docs
                for p in _problems(doc["location"], _text(doc["title"] + " " + doc["text"]))]
    assert not problems, problems


def test_the_checks_would_catch_each_phrasing():
    for phrase in UNSUPPORTED:
        assert _problems("x", f"<article><p>Our team: {phrase}.</p></article>")
    assert _problems("x", "Logging causes wins")
    shown = _text("<article><pre>-- causes</pre><p>no clear difference</p></article>")
    assert shown == "no clear difference" and not _problems("x", shown)
