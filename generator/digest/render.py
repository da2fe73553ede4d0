"""A digest of `Changes` for people: a plain structure (JSON), Markdown and HTML.

The reps' digest is team-level: counts, never names, unless `names` is given (privacy
`named`); the manager's always names reps and adds the follow-ups due or overdue. Every
text that came from the data is escaped for the format it goes into.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from ..tiers import TIER_LABELS
from .changes import STREAK_DAYS, Changes


def _named(ids: list[str], names: dict[str, str] | None) -> list[str]:
    return [] if names is None else [names.get(rep_id, rep_id) for rep_id in ids]


def digest_data(changes: Changes, audience: str, names: dict[str, str] | None,
                follow_ups: list[dict[str, str]] | None = None,
                site_url: str | None = None) -> dict[str, Any]:
    """The digest as plain data: what `--output json` prints and the other formats show."""
    def moves(found):
        if names is None:
            return []
        return [{"rep": names.get(m.rep_id, m.rep_id), "from": m.before, "to": m.after}
                for m in found]
    base = (site_url or "").rstrip("/")
    data: dict[str, Any] = {
        "audience": audience, "as_of": changes.as_of, "since": changes.since,
        "changed": changes.any,
        "tiers": {"up": len(changes.tier_up), "down": len(changes.tier_down),
                  "moves": moves(changes.tier_up) + moves(changes.tier_down)},
        "streaks": {"min_days": STREAK_DAYS, "started": len(changes.streaks_started),
                    "broken": len(changes.streaks_broken),
                    "started_by": _named([m.rep_id for m in changes.streaks_started], names),
                    "broken_by": _named([m.rep_id for m in changes.streaks_broken], names)},
        "program": {"weeks_completed": sum(m.after - m.before for m in changes.weeks_completed),
                    "reps": len(changes.weeks_completed),
                    "completed": len(changes.programs_completed),
                    "completed_by": _named(changes.programs_completed, names)},
        "dark_pipeline": {"before": changes.dark_before, "after": changes.dark_after},
        "stories": [{"title": s["title"], "date": s["date"],
                     "url": f"{base}/stories/{s['slug']}/" if base else f"stories/{s['slug']}/"}
                    for s in changes.new_stories],
    }
    if audience == "manager":
        data["follow_ups"] = follow_ups or []
    return data


def _reps(n: int) -> str:
    return _count(n, "rep")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


_CHAT_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def chat_escape(text: str) -> str:
    """Text that Markdown (and chat apps' Markdown) shows literally: no links, mentions,
    emphasis or headings from a name or title."""
    return _CHAT_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _dark(part: dict[str, Any] | None) -> str:
    if not part:
        return "–"
    money = f" ({part['currency']} {part['stale_amount']:,.0f})" if part["currency"] else ""
    return f"{part['stale_deals']} of {part['open_deals']} open deals{money}"


def digest_lines(data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(heading, plain-text items) in reading order; a section with nothing is left out."""
    sections: list[tuple[str, list[str]]] = []
    tiers = data["tiers"]
    items = [f"{_reps(tiers['up'])} moved up a tier, {_reps(tiers['down'])} moved down."] \
        if tiers["up"] or tiers["down"] else []
    items += [f"{m['rep']}: {TIER_LABELS.get(m['from'], m['from'])} → "
              f"{TIER_LABELS.get(m['to'], m['to'])}" for m in tiers["moves"]]
    sections.append(("Adoption tiers", items))
    streaks = data["streaks"]
    items = []
    if streaks["started"]:
        who = f": {', '.join(streaks['started_by'])}" if streaks["started_by"] else ""
        items.append(f"{_count(streaks['started'], 'streak')} of {streaks['min_days']}+ "
                     f"active workdays started{who}.")
    if streaks["broken"]:
        who = f": {', '.join(streaks['broken_by'])}" if streaks["broken_by"] else ""
        items.append(f"{_count(streaks['broken'], 'streak')} broke{who}.")
    sections.append(("Streaks", items))
    program = data["program"]
    items = [f"{_count(program['weeks_completed'], 'program week')} completed by "
             f"{_reps(program['reps'])}."] if program["weeks_completed"] else []
    if program["completed"]:
        who = f": {', '.join(program['completed_by'])}" if program["completed_by"] else ""
        items.append(f"{_reps(program['completed'])} completed the program{who}.")
    sections.append(("Habit program", items))
    if "follow_ups" in data:
        sections.append(("Follow-ups", [f"{f['rep']}: {f['status']} ({f['date']})"
                                        for f in data["follow_ups"]]))
    dark = data["dark_pipeline"]
    line = f"Gone dark: {_dark(dark['after'])}"
    if dark["before"] is not None and dark["before"] != dark["after"]:
        line += f", from {_dark(dark['before'])}"
    sections.append(("Dark pipeline", [line + "."]))
    sections.append(("New stories", [f"{s['title']} ({s['date']})" for s in data["stories"]]))
    return [(heading, items) for heading, items in sections if items]


def _title(data: dict[str, Any], team: str) -> str:
    since = f"since {data['since']}" if data["since"] else "first report"
    return f"{team}: what changed ({since}, as of {data['as_of']})"


def render_markdown(data: dict[str, Any], team: str) -> str:
    lines = [f"# {chat_escape(_title(data, team))}", ""]
    if not data["changed"]:
        lines.append("Nothing changed.")
    for heading, items in digest_lines(data):
        lines += [f"## {heading}", "", *(f"- {chat_escape(item)}" for item in items), ""]
    story_links = [f"- [{chat_escape(s['title'])}]({s['url']})" for s in data["stories"]]
    if story_links:
        lines += ["Read them:", "", *story_links, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_html(data: dict[str, Any], team: str, fragment: bool = False) -> str:
    """A self-contained HTML document for e-mail, or only its body (`fragment`)."""
    parts = [] if data["changed"] else ["<p>Nothing changed.</p>"]
    links = {f"{s['title']} ({s['date']})": s["url"] for s in data["stories"]}
    for heading, items in digest_lines(data):
        parts.append(f"<h2>{html.escape(heading)}</h2>\n<ul>")
        for item in items:
            text = html.escape(item)
            if item in links:
                text = f'<a href="{html.escape(links[item], quote=True)}">{text}</a>'
            parts.append(f"<li>{text}</li>")
        parts.append("</ul>")
    body = "\n".join(parts)
    if fragment:
        return body
    title = html.escape(_title(data, team))
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n{body}\n"
            f"</body>\n</html>\n")


def render(data: dict[str, Any], team: str, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return render_html(data, team) if fmt == "html" else render_markdown(data, team)
