"""The reps' site's Atom feed: one entry per build that changed something, team-level.

Ids and dates come from the data's as-of dates and the site's name, never the wall clock,
so the same summaries give the same bytes. Entry text is the reps' digest (no names unless
the privacy mode allows them), escaped as XML.
"""

from __future__ import annotations

import uuid
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .changes import compare
from .render import digest_data, render_html

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 20
_NAMESPACE = uuid.UUID("8c3f5e4e-6f6a-4d2b-9a59-3c1f3c6a1d16")  # crmproof's own, fixed


def _id(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(parts))}"


def _stamp(as_of: str) -> str:
    return f"{as_of}T00:00:00Z"


def feed_entries(summaries: list[dict[str, Any]], names: dict[str, str] | None
                 ) -> list[dict[str, Any]]:
    """Digest data of each summary against the one before it, newest first, only builds
    that changed something (the first one always counts: it starts the report)."""
    ordered = sorted(summaries, key=lambda s: s["as_of"])
    entries = []
    for index, summary in enumerate(ordered):
        changes = compare(ordered[index - 1] if index else None, summary)
        if changes.any:
            entries.append(digest_data(changes, "rep", names))
    return list(reversed(entries))[:MAX_ENTRIES]


def _entry_title(data: dict[str, Any]) -> str:
    if data["since"] is None:
        return f"First report, as of {data['as_of']}"
    tiers = data["tiers"]
    return (f"As of {data['as_of']}: {tiers['up']} up a tier, {tiers['down']} down, "
            f"{data['program']['weeks_completed']} program week(s) completed")


def atom_feed(entries: list[dict[str, Any]], site_name: str, team: str,
              site_url: str | None) -> str:
    """The feed XML; links are relative to the feed unless `site_url` is set."""
    home = site_url or "./"
    feed_id = _id("feed", site_url or site_name)
    updated = _stamp(entries[0]["as_of"]) if entries else "1970-01-01T00:00:00Z"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<feed xmlns="{ATOM}">',
             f"  <id>{feed_id}</id>", f"  <title>{escape(site_name)}: what changed</title>",
             f"  <subtitle>{escape(team)}, rebuilt from the CRM export</subtitle>",
             f"  <updated>{updated}</updated>",
             "  <author><name>crmproof</name></author>",
             f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(home)}/>"]
    if site_url:
        lines.append(f"  <link rel=\"self\" type=\"application/atom+xml\" "
                     f"href={quoteattr(site_url.rstrip('/') + '/feed.xml')}/>")
    for data in entries:
        content = render_html(data, team, fragment=True)
        lines += ["  <entry>", f"    <id>{_id('entry', site_url or site_name, data['as_of'])}</id>",
                  f"    <title>{escape(_entry_title(data))}</title>",
                  f"    <updated>{_stamp(data['as_of'])}</updated>",
                  f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(home)}/>",
                  f"    <content type=\"html\">{escape(content)}</content>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"
