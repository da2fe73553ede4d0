"""Which source of a mapping a file is: by the headers that tell the sources apart and by
its file name; a tie between different things is reported, never guessed.

Every source and every known other object of the vendor (`other_objects`: Salesforce
`Lead`, `OpportunityHistory`, HubSpot contacts...) is a candidate when the file has at
least 60% of its `match` headers. The best is the one the file name matches, then the one
with the larger share of its headers present, then with more of them. Sources that list
the same `match` headers read the same file together (an activities file with calls and
tasks can feed two sources); any other tie at the top is an ambiguity.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from ..errors import DataError
from .files import ExportFile
from .mapping import Mapping, OtherObject, Source, normalize_header

MIN_SHARE = 0.6


@dataclass(frozen=True)
class Match:
    """What a file is: sources to read it into, or a known other object, or nothing."""

    sources: tuple[Source, ...] = ()
    other: OtherObject | None = None
    by_name: bool = False  # the file name alone points at a source (its headers are unread)


def _named(stem: str, patterns: tuple[str, ...]) -> bool:
    stem = stem.lower()
    return any(fnmatch.fnmatchcase(stem, pattern.lower()) for pattern in patterns)


def _score(match: tuple[str, ...], present: set[str]) -> tuple[float, int]:
    hits = sum(normalize_header(h) in present for h in match)
    return hits / len(match), hits


def _group(candidate: Source | OtherObject) -> tuple:
    """Candidates in one group read a file together: sources with the same headers."""
    if isinstance(candidate, OtherObject):
        return ("other", candidate.name)
    return ("source", tuple(sorted(normalize_header(h) for h in candidate.match)))


def _what(candidate: Source | OtherObject) -> str:
    return (f"a {candidate.name} export" if isinstance(candidate, OtherObject)
            else f"{candidate.table}")


def recognize(mapping: Mapping, file: ExportFile) -> Match:
    """The sources `file` feeds under `mapping` (see the module docstring)."""
    if file.problem is not None and not file.headers:
        named = [s for s in mapping.sources if _named(file.stem, s.files)]
        return Match(tuple(named[:1]), by_name=True) if named else Match()
    present = {normalize_header(h) for h in file.headers}
    scored = []
    for candidate in (*mapping.sources, *mapping.others):
        share, hits = _score(candidate.match, present)
        if share >= MIN_SHARE:
            scored.append(((_named(file.stem, candidate.files), share, hits), candidate))
    if not scored:
        return Match()
    best = max(key for key, _ in scored)
    top = [candidate for key, candidate in scored if key == best]
    groups = {_group(c) for c in top}
    if len(groups) > 1 and any(isinstance(c, Source) for c in top):
        names = " and ".join(sorted({_what(c) for c in top}))
        raise DataError(f"the file matches {names} equally well ({best[2]} of their "
                        "identifying headers each), so crmproof cannot tell which it is",
                        file=file.name, hint="rename it after what it holds (e.g. "
                        "Opportunity.csv, deals.csv), or pass --mapping with a source for it")
    if isinstance(top[0], OtherObject):
        return Match(other=top[0])
    return Match(tuple(c for c in top if isinstance(c, Source)))


def mapping_score(mapping: Mapping, files: list[ExportFile]) -> tuple[int, int]:
    """(files a mapping reads by their headers, unreadable files only their name ties to
    one of its sources): the second decides only when no mapping reads any file, so that
    an unreadable Opportunity.csv is reported as what is wrong with it. Ambiguous files
    count for nobody."""
    by_headers = by_name = 0
    for file in files:
        try:
            found = recognize(mapping, file)
        except DataError:
            continue
        by_headers += bool(found.sources) and not found.by_name
        by_name += bool(found.sources) and found.by_name
    return by_headers, by_name
