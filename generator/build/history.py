"""The summaries earlier builds kept, one small JSON per as-of date, in
`.crmproof-cache/history/` next to the output (both audiences write the same bytes).

The digest compares with the latest one before its as-of date; the reps' feed is made of
all of them. Building one as-of date again replaces its summary, so rebuilding the same
data leaves the history, and the feed, as they were.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from .cache import CACHE_NAME, digest

_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")


class History:
    def __init__(self, out: Path) -> None:
        self.dir = Path(out).resolve().parent / CACHE_NAME / "history"

    def summaries(self) -> list[dict[str, Any]]:
        """Every kept summary, oldest first; unreadable or foreign files are skipped."""
        found = []
        for path in sorted(self.dir.glob("*.json")) if self.dir.is_dir() else []:
            if not _NAME.match(path.name):
                continue
            try:
                summary = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(summary, dict) and summary.get("as_of") == path.stem:
                found.append(summary)
        return found

    def previous(self, as_of: str) -> dict[str, Any] | None:
        """The latest summary before `as_of` (an ISO date)."""
        earlier = [s for s in self.summaries() if s["as_of"] < as_of]
        return earlier[-1] if earlier else None

    def with_current(self, summary: dict[str, Any]) -> list[dict[str, Any]]:
        """The kept summaries as they will be once `summary` is saved."""
        return [s for s in self.summaries() if s["as_of"] != summary["as_of"]] + [summary]

    def fingerprint(self) -> str:
        return digest(self.summaries())

    def save(self, summary: dict[str, Any]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        target = self.dir / f"{summary['as_of']}.json"
        temp = target.with_name(f".{target.name}.{os.getpid()}.partial")
        temp.write_text(json.dumps(summary, sort_keys=True, indent=1) + "\n", encoding="utf-8")
        os.replace(temp, target)
