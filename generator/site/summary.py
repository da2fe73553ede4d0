"""A build's summary for the digest, and the reps' site's Atom feed built from summaries."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import digest
from .story_pages import published_stories

if TYPE_CHECKING:
    from .state import SiteState as Site


def build_summary(site: Site) -> dict[str, Any]:
    """What this build knew (digest.summarize) with the stories published by its as-of date."""
    stories = [{"slug": r.slug, "title": html.unescape(str(r.title)),
                "date": _day(r.story.meta["date"]).isoformat()}
               for r in published_stories(site) if _day(r.story.meta["date"]) <= site.as_of]
    return digest.summarize(site.rows, site.as_of, stories)


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def rep_names(site: Site) -> dict[str, str] | None:
    """Names the reps' digest and feed may show: only under privacy `named`."""
    if site.config["privacy"] != "named":
        return None
    return {rep_id: person.label for rep_id, person in site.people.items()}


def write_feed(site: Site, docs: Path, summaries: list[dict[str, Any]]) -> None:
    """feed.xml: the summaries up to this build's as-of date, one entry per change."""
    upto = [s for s in summaries if s["as_of"] <= site.as_of.isoformat()]
    entries = digest.feed_entries(upto, rep_names(site))
    (docs / "feed.xml").write_text(
        digest.atom_feed(entries, site.config["site"]["name"], site.config["site"]["team_name"],
                         site.config["site"]["url"]), encoding="utf-8")
