"""The files (not pages) the Markdown pages of a docs folder link to or show as images:
what a site engine checks, so what must stay in the docs folder for it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

# Markdown links and images (inline, or a reference definition), outside code
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
                   r"|^ {0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_CODE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1|`[^`\n]+`", re.M | re.S)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def linked_files(docs: Path) -> Iterator[tuple[Path, str]]:
    """(page, target) for each relative Markdown link from a page to a file that is not a
    page; the target as written, without its #fragment or ?query."""
    for page in sorted(docs.rglob("*.md")):
        text = _CODE.sub("", page.read_text(encoding="utf-8", errors="replace"))
        for match in _LINK.finditer(text):
            target = unquote((match.group(1) or match.group(2)).split("#")[0].split("?")[0])
            if target and not target.endswith(".md") and not target.startswith("/") \
                    and not _SCHEME.match(target):
                yield page, target
