"""A story with its live numbers: placeholders filled in, escaped, privacy enforced.

Live numbers come from a tiny shortcode syntax, `[[metric win_rate period=after]]`, parsed
with a regular expression. The body is never rendered as a template, and every value that
comes from the data is escaped with `text.escape_markdown` before it is put into the page.

A story names its rep only with `consent: true` *and* `privacy: named`; otherwise the rep
is "a rep in the West team" everywhere (title, body, chart, nav, search index), and a story
that spells out the rep's name anyway is a build error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from markupsafe import Markup

from ..text import escape_markdown, match_text, slugify, terminal_text
from .numbers import METRIC_MEASURES, NOT_IN_EXPORT, Outcomes, Span, StoryData, metric_text
from .read import Story

METRICS = ("win_rate", "won_deals", "closed_deals", "mean_won_amount", "active_day_share",
           "tier")
PERIODS = ("before", "after", "all")
PLACEHOLDERS = ("rep", "Rep", "team", "metric", "period")
_PLACEHOLDER = re.compile(r"(?<!\\)\[\[(.*?)\]\]")
_SPAN = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})?\s*\.\.\s*(\d{4}-\d{2}-\d{2})?\s*$")


@dataclass
class Resolved:
    """A story with its numbers: everything the page needs, already escaped."""

    story: Story
    slug: str
    title: Markup
    body: Markup
    label: str
    named: bool
    spans: dict[str, Span]
    outcomes: dict[str, Outcomes]


def resolve(story: Story, data: StoryData) -> Resolved:
    rep = story.meta["rep"]
    if rep not in data.reps:
        known = ", ".join(list(data.reps)[:5])
        raise story.error(story.line_of("rep"), f"unknown rep '{rep}'; the data's reps "
                          f"include {known}")
    named = story.meta["consent"] is True and data.config["privacy"] == "named"
    label = data.label(rep, named)
    if not named:
        _check_no_name(story, data.raw_names.get(rep) or data.reps[rep][0])
    spans = _spans(story, data)
    outcomes = {key: data.outcomes(rep, span) for key, span in spans.items()}
    resolved = Resolved(story, "", Markup(""), Markup(""), label, named, spans, outcomes)
    title = _substitute(story, story.meta["title"], resolved, data, story.line_of("title"),
                        plain=True)
    body = _substitute(story, story.body, resolved, data, story.body_line)
    plain_title = _PLACEHOLDER.sub(lambda m: label, story.meta["title"])
    slug = slugify(f"{story.meta['date'].isoformat()} {plain_title}")
    return replace(resolved, slug=slug, title=Markup(title), body=Markup(body))


def _spans(story: Story, data: StoryData) -> dict[str, Span]:
    spans = {"all": data.all_span()}
    given = {key: _parse_span(story, key, data) for key in ("period_before", "period_after")
             if story.meta.get(key) not in (None, "")}
    before, after = given.get("period_before"), given.get("period_after")
    if before and not after and before.end < data.as_of:
        after = Span(before.end + dt.timedelta(days=1), data.as_of)
    if after and not before and after.start > data.first_day:
        before = Span(data.first_day, after.start - dt.timedelta(days=1))
    if not (before and after) and (rise := data.rise(story.meta["rep"])):
        before, after = rise
    if before and after:
        spans.update(before=before, after=after)
    return spans


def _parse_span(story: Story, key: str, data: StoryData) -> Span:
    value, line = story.meta[key], story.line_of(key)
    match = _SPAN.match(str(value))
    try:
        start = dt.date.fromisoformat(match.group(1)) if match and match.group(1) else None
        end = dt.date.fromisoformat(match.group(2)) if match and match.group(2) else None
    except ValueError:
        match = None
    if match is None:
        raise story.error(line, f"'{key}' must be a date range like 2025-10-01..2026-03-31 "
                          f"(either end may be left open), got {value!r}")
    span = Span(start or data.first_day, min(end or data.as_of, data.as_of))
    if span.start > span.end:
        raise story.error(line, f"'{key}' {value!r} ends before it starts or after the "
                          f"data's as-of date {data.as_of.isoformat()}")
    return span


def _check_no_name(story: Story, name: str) -> None:
    """An anonymous story must not spell out its rep's name (full, first or last), however
    it is written: both sides are compared as `text.match_text` (case, accents, invisible
    characters such as a zero-width space or soft hyphen, and look-alike letters of other
    scripts ignored)."""
    parts = [name] + [p for p in re.split(r"\s+", name) if len(match_text(p)) >= 3 and
                      re.search(r"[^\W\d_]", p)]
    texts = ["\n" * (story.line_of("title") - 1) + story.meta["title"],
             "\n" * (story.body_line - 1) + story.body,
             "\n" * (story.line_of("tags") - 1) + " ".join(story.meta["tags"]),
             story.path.stem.replace("-", " ").replace("_", " ")]
    texts = [match_text(text) for text in texts]
    for part in (p for p in parts if match_text(p).strip()):
        pattern = re.compile(rf"(?<!\w){re.escape(match_text(part))}(?!\w)")
        for text in texts:
            if match := pattern.search(text):
                line = text.count("\n", 0, match.start()) + 1
                raise story.error(line, "names the rep ('" + terminal_text(part) + "') but "
                                  "the story is anonymous (it needs consent: true and "
                                  "privacy: named); write [[rep]] instead")


def _substitute(story: Story, text: str, resolved: Resolved, data: StoryData,
                first_line: int, plain: bool = False) -> str:
    """Replace each [[...]] with its escaped value; in plain mode, escape the rest too."""
    def literal(chunk: str) -> str:  # plain text keeps its edge spaces: "[[rep]] and x"
        if not plain or not chunk.strip():
            return " " * bool(chunk) if plain else chunk
        lead, trail = chunk[:1].isspace(), chunk[-1:].isspace()
        return " " * lead + escape_markdown(chunk) + " " * trail

    out, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(literal(text[last:match.start()]))
        line = first_line + text.count("\n", 0, match.start())
        out.append(escape_markdown(_placeholder(story, match.group(1), resolved, data, line)))
        last = match.end()
    out.append(literal(text[last:]))
    return "".join(out).strip() if plain else "".join(out)


def _placeholder(story: Story, inner: str, resolved: Resolved, data: StoryData,
                 line: int) -> str:
    words = inner.split()
    kind, args = (words[0], words[1:]) if words else ("", [])
    if kind in ("rep", "Rep", "team") and not args:
        if kind == "team":
            team = data.reps[story.meta["rep"]][1]
            return team if resolved.named and team else "the team"
        return resolved.label[:1].upper() + resolved.label[1:] if kind == "Rep" \
            else resolved.label
    if kind == "period" and len(args) == 1:
        return _span_for(story, args[0], resolved, line).text()
    if kind == "metric" and len(args) == 2 and args[1].startswith("period="):
        if args[0] not in METRICS:
            raise story.error(line, f"unknown metric '{args[0]}'; known: {', '.join(METRICS)}")
        period = args[1].removeprefix("period=")
        _span_for(story, period, resolved, line)
        if not data.supported.get(METRIC_MEASURES[args[0]], True):
            return NOT_IN_EXPORT
        return metric_text(args[0], resolved.outcomes[period], data.min_n)
    if kind == "metric" and args and args[0] not in METRICS:
        raise story.error(line, f"unknown metric '{args[0]}'; known: {', '.join(METRICS)}")
    raise story.error(line, f"cannot read placeholder '[[{inner}]]'; write [[rep]], [[Rep]], "
                      "[[team]], [[period before]] or [[metric win_rate period=after]] "
                      f"(metrics: {', '.join(METRICS)}; periods: {', '.join(PERIODS)})")


def _span_for(story: Story, period: str, resolved: Resolved, line: int) -> Span:
    if period not in PERIODS:
        raise story.error(line, f"unknown period '{period}'; known: {', '.join(PERIODS)}")
    if period not in resolved.spans:
        raise story.error(line, f"period '{period}' needs period_before/period_after in the "
                          "front matter: the data shows no rise in this rep's tier")
    return resolved.spans[period]
