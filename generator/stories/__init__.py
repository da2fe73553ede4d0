"""Stories: hand-written success stories and data-suggested drafts.

In: `content/stories/*.md` (front matter + Markdown with `[[...]]` placeholders) and the
metric results of a build or an opened export. Out: `Resolved` stories (escaped title and
body, the rep's label as the privacy mode allows, their numbers), and draft files written
by `stories suggest` / `new-story`. The site stage writes the story pages.
"""

from __future__ import annotations

from .drafts import Written, find_rep, new_story, suggest
from .numbers import Candidate, Outcomes, Span, StoryData, candidates, day_text, metric_text
from .read import Story, read_stories, read_story, stories_folder
from .resolving import METRICS, PERIODS, Resolved, resolve

__all__ = ["METRICS", "PERIODS", "Candidate", "Outcomes", "Resolved", "Span", "Story",
           "StoryData", "Written", "candidates", "day_text", "find_rep", "metric_text",
           "new_story", "read_stories", "read_story", "resolve", "stories_folder", "suggest"]
