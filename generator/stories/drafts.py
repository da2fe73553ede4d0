"""Draft stories for a manager to finish: data-suggested candidates and blank skeletons.

Drafts are written with `draft: true` and `consent: false`, so they never publish and never
name anyone until the manager has talked to the rep. An existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import BuildError
from ..text import clean_text, slugify
from .numbers import Candidate, Span, StoryData, candidates, metric_text

_NUMBERS = ("tier", "active_day_share", "win_rate", "won_deals", "mean_won_amount")


@dataclass(frozen=True)
class Written:
    rep_id: str
    path: Path
    created: bool  # False: the file existed and was left unchanged


def find_rep(data: StoryData, wanted: str) -> str:
    """A rep ID from an ID or an exact name (case-insensitive)."""
    if wanted in data.reps:
        return wanted
    by_name = [rep for rep, (name, _) in data.reps.items() if name.lower() == wanted.lower()]
    if len(by_name) == 1:
        return by_name[0]
    some = ", ".join(list(data.reps)[:5])
    raise BuildError(f"unknown rep '{wanted}'; give a rep ID from the data (e.g. {some})")


def story_path(folder: Path, rep_id: str) -> Path:
    """File name from the rep ID, never the name: file names can end up in URLs."""
    return folder / f"story-{slugify(rep_id)}.md"


def _write(path: Path, text: str, rep_id: str) -> Written:
    if path.exists():
        return Written(rep_id, path, False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Written(rep_id, path, True)


def _scalar(value: str) -> str:
    """A YAML double-quoted scalar: CRM text (newlines, quotes, `: `) cannot break out."""
    return yaml.safe_dump(str(value), allow_unicode=True, default_style='"',
                          width=1 << 30).removesuffix("\n").removesuffix("\n...").strip()


def _front_matter(title: str, data: StoryData, rep_id: str, tags: list[str],
                  spans: tuple[Span, Span] | None) -> str:
    name, team = data.reps[rep_id]
    if spans is None:  # no rise in tier: offer the two halves of the history, commented out
        half = data.first_day + (data.as_of - data.first_day) / 2
        periods = (f"# period_before: {data.first_day.isoformat()}..{half.isoformat()}\n"
                   f"# period_after: {(half + dt.timedelta(days=1)).isoformat()}..\n")
    else:
        periods = (f"period_before: {spans[0].front_matter()}\n"
                   f"period_after: {spans[1].start.isoformat()}..\n")
    who = clean_text(name or rep_id)
    return (f"---\n"
            f"# A draft for {who} ({team or 'no team'}). It never publishes while\n"
            f"# draft is true. Set consent: true only with the rep's written OK; even then\n"
            f"# the site names them only with privacy: named in crmproof.yml.\n"
            f"title: {_scalar(title)}\n"
            f"date: {data.as_of.isoformat()}\n"
            f"rep: {_scalar(rep_id)}\n"
            f"consent: false\n"
            f"draft: true\n"
            f"tags: [{', '.join(tags)}]\n"
            f"{periods}"
            f"---\n")


def _numbers_comment(data: StoryData, candidate: Candidate, rises: int) -> str:
    value, low, high = candidate.difference
    lines = [f"  {side}: " + "; ".join(f"{key} {metric_text(key, outcomes, data.min_n)}"
                                      for key in _NUMBERS)
             for side, outcomes in (("before", candidate.before), ("after", candidate.after))]
    return ("<!--\ncrmproof suggested this story from the data as of "
            f"{data.as_of.isoformat()}. The numbers then (the placeholders below update at "
            "every build):\n" + "\n".join(lines) +
            f"\n  win rate difference: {value * 100:+.0f} percentage points "
            f"(95% interval {low * 100:+.0f} to {high * 100:+.0f})\n"
            f"  Of {rises} reps whose tier rose, some show an interval above "
            "zero by chance alone (about 1 in 40 would with no real change): the rep's own "
            "account of what changed matters more than this number.\n"
            "Talk to the rep before you publish: ask what changed in their week and add "
            "their own words.\n-->\n")


SUGGESTED_BODY = """
Over [[period before]], [[rep]] worked the CRM at the **[[metric tier period=before]]** tier,
active on [[metric active_day_share period=before]]. Win rate then:
[[metric win_rate period=before]].

From [[period after]] the habit shows as **[[metric tier period=after]]**, active on
[[metric active_day_share period=after]]. Over the same months [[rep]] won
[[metric won_deals period=after]] (win rate [[metric win_rate period=after]]), with a mean won
deal of [[metric mean_won_amount period=after]].

## In their own words

> Ask the rep: what changed in your week? What does the CRM save you now? What would you
> tell a colleague who still catches up on Fridays?
"""

SKELETON_BODY = """
Write the story in your own words; placeholders fill in live numbers at every build.

- Before ([[period before]]): tier [[metric tier period=before]], active on
  [[metric active_day_share period=before]], win rate [[metric win_rate period=before]].
- After ([[period after]]): tier [[metric tier period=after]], active on
  [[metric active_day_share period=after]], win rate [[metric win_rate period=after]],
  [[metric won_deals period=after]], mean won deal
  [[metric mean_won_amount period=after]].

## In their own words

> Ask the rep: what changed in your week? What does the CRM save you now?
"""

WHOLE_BODY = """
Write the story in your own words; placeholders fill in live numbers at every build. The
data shows no rise in this rep's tier: these use the whole history (period=all). To compare
two stretches, uncomment period_before/period_after above and use period=before/after.

- Over [[period all]]: tier [[metric tier period=all]], active on
  [[metric active_day_share period=all]], win rate [[metric win_rate period=all]],
  [[metric won_deals period=all]], mean won deal [[metric mean_won_amount period=all]].

## In their own words

> Ask the rep: how do you keep the habit? What does the CRM save you?
"""


def suggest(data: StoryData, folder: Path, limit: int) -> list[tuple[Candidate, Written | None]]:
    """Every candidate, best evidence first; a draft for each of the `limit` strongest whose
    interval lies above zero (None for the others: their own numbers are no evidence)."""
    found: list[tuple[Candidate, Written | None]] = []
    written = 0
    ranked = candidates(data)
    for candidate in ranked:
        if not candidate.clear or written >= limit:
            found.append((candidate, None))
            continue
        written += 1
        title = (f"[[Rep]]: from {metric_text('tier', candidate.before, data.min_n)} to "
                 f"{metric_text('tier', candidate.after, data.min_n)}")
        text = (_front_matter(title, data, candidate.rep_id, ["daily habit", "win rate"],
                              (candidate.before.span, candidate.after.span))
                + "\n" + _numbers_comment(data, candidate, len(ranked)) + SUGGESTED_BODY)
        found.append((candidate, _write(story_path(folder, candidate.rep_id), text,
                                        candidate.rep_id)))
    return found


def new_story(data: StoryData, folder: Path, wanted: str) -> Written:
    """A skeleton for one rep: before/after their rise in tier when the data shows one,
    else the whole history (period=all) with the period keys ready to fill in."""
    rep_id = find_rep(data, wanted)
    rise = data.rise(rep_id)
    text = _front_matter("What changed for [[rep]]", data, rep_id, ["daily habit"], rise)
    body = SKELETON_BODY if rise else WHOLE_BODY
    return _write(story_path(folder, rep_id), text + body, rep_id)
