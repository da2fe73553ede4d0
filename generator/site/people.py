"""The names the site may show for reps, decided once per build by the privacy mode.

`privacy` decides what a rep is called everywhere on the site:
- `off`: no per-rep pages; team pages show only totals;
- `anonymous` (default): a stable pseudonym such as "Rep W-3" with the team, derived
  from a hash of the rep's ID (never from the name), so it survives renames;
- `named`: the rep's name as exported, cleaned (`text.display_name`: one line, no control
  or invisible characters, at most 80 characters); a rep whose "name" is empty, an email
  address or a username keeps the pseudonym.
Team names are cleaned the same way. Page slugs come from the pseudonym, never from CRM
text, so they cannot escape `reps/`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from ..text import clean_text, display_name, slugify


@dataclass(frozen=True)
class Person:
    rep_id: str
    code: str  # "W-3": team letter and rank of the ID's hash within that letter
    label: str  # what the site calls the rep: "Rep W-3", or the name when named
    team_label: str  # "West team"

    @property
    def slug(self) -> str:
        return slugify(f"rep-{self.code}")

    @property
    def display(self) -> str:
        return f"{self.label} ({self.team_label})"

    @property
    def page_path(self) -> str:
        return f"reps/{self.slug}.md"


def people(con, privacy: str) -> dict[str, Person]:
    """Every measured rep (reps.is_rep) with the label the privacy mode allows."""
    rows = con.execute("select rep_id, name, email, team from reps where is_rep "
                       "order by rep_id").fetchall()
    groups: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    for rep_id, name, email, team in rows:
        team = clean_text(team) or None
        letters = [c for c in slugify(team or "") if c.isalpha()]
        groups[letters[0].upper() if letters else "X"].append(
            (rep_id, display_name(name, rep_id, email), team))
    found = {}
    for letter, members in groups.items():
        members.sort(key=lambda m: hashlib.sha256(str(m[0]).encode("utf-8")).hexdigest())
        for rank, (rep_id, name, team) in enumerate(members, start=1):
            code = f"{letter}-{rank}"
            label = (name or f"Rep {code}") if privacy == "named" else f"Rep {code}"
            found[rep_id] = Person(rep_id, code, label, f"{team} team" if team else "no team")
    return dict(sorted(found.items(), key=lambda item: _order(item[1].code)))


def _order(code: str) -> tuple[str, int]:
    letter, rank = code.split("-")
    return letter, int(rank)
