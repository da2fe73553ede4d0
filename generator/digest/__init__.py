"""Digest: what changed between two builds, for the nightly job to post, and the Atom feed.

In: one build's metric rows (adoption_tier, habit_streaks, program_progress,
cost_stale_pipeline) and its published stories, or the summaries earlier builds kept.
Out: a build's `summarize`d summary (small deterministic JSON), the `Changes` between two
summaries, the digest as data, Markdown or HTML (reps' audience team-level, manager's named
with follow-ups), and the reps' site's `atom_feed`.
"""

from __future__ import annotations

from .changes import SUMMARY_QUERIES, SUMMARY_VERSION, Changes, Move, compare, summarize
from .feed import atom_feed, feed_entries
from .render import digest_data, digest_lines, render, render_html, render_markdown

__all__ = ["SUMMARY_QUERIES", "SUMMARY_VERSION", "Changes", "Move", "atom_feed", "compare",
           "digest_data", "digest_lines", "feed_entries", "render", "render_html",
           "render_markdown", "summarize"]
