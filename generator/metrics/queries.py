"""Metric queries: one `queries/<name>.sql` file each, loaded once into immutable records.

A query file starts with `--` comment lines: the first is its one-line description,
the rest define its output columns. `-- include: _fragment.sql` lines are expanded in
place; a line `-- requires: _helper` names a helper file that builds temp tables first.
`-- needs: deals.owner_rep_id, entry_times` says what the export must hold for the query's
numbers to mean anything (canonical columns, or facts from `capabilities.FACTS`);
`-- needs cycle_days: deals.created_at` says the same for one output column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import QueryError
from ..resources import bundled

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class Query:
    """A metric query; `sql` has its `-- include:` fragments expanded, ready to run.

    `segments` maps runs of lines of `sql` back to the file they came from, as
    (first line in sql, file, first line in that file), so errors name the right place.
    """

    name: str
    description: str
    columns_doc: str
    sql: str
    path: Path
    segments: tuple[tuple[int, Path, int], ...] = ()
    needs: tuple[str, ...] = ()
    column_needs: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def needs_of(self, column: str | None = None) -> tuple[str, ...]:
        """What the export must hold for the query (and, given, one output column)."""
        extra = dict(self.column_needs).get(column, ()) if column else ()
        return tuple(dict.fromkeys((*self.needs, *extra)))

    @property
    def parameters(self) -> tuple[str, ...]:
        body = "\n".join(line.split("--", 1)[0] for line in self.sql.splitlines())
        return tuple(sorted(set(_PARAM.findall(body))))

    @property
    def requires(self) -> tuple[str, ...]:
        """Helper files (`_name`) to run before this query, in order of first mention."""
        names = (_REQUIRES.match(line) for line in self.sql.splitlines())
        return tuple(dict.fromkeys(match.group(1) for match in names if match))

    def source_of(self, line: int) -> str:
        """'file:line' for a line number of the expanded SQL."""
        start, path, first = max((seg for seg in self.segments if seg[0] <= line),
                                 default=(1, self.path, 1))
        return f"{path}:{first + line - start}"


_INCLUDE = re.compile(r"^-- include: (_[a-z0-9_]+\.sql)\s*$")
_REQUIRES = re.compile(r"^-- requires: (_[a-z0-9_]+)\s*$")
_NEEDS = re.compile(r"^-- needs(?: ([a-z0-9_]+))?: ([a-z0-9_., ]+)$")


def _expand(path: Path, seen: tuple[Path, ...] = ()
            ) -> tuple[str, tuple[tuple[int, Path, int], ...]]:
    """The file's text with each `-- include: _fragment.sql` line replaced by that file
    (fragments may include fragments)."""
    if path in seen:
        raise QueryError(f"{seen[-1]}: {path.name} includes itself")
    lines: list[str] = []
    segments = [(1, path, 1)]
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _INCLUDE.match(line)
        if not match:
            lines.append(line)
            continue
        fragment = path.parent / match.group(1)
        if not fragment.is_file():
            raise QueryError(f"{path}:{number}: included file {match.group(1)} not found")
        text, inner = _expand(fragment, (*seen, path))
        offset = len(lines)
        segments.extend((offset + start, file, first) for start, file, first in inner)
        lines.extend(text.splitlines())
        segments.append((len(lines) + 1, path, number + 1))
    return "\n".join(lines) + "\n", tuple(segments)


def _parse(path: Path) -> Query:
    sql, segments = _expand(path)
    header, needs, column_needs = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():  # the file's own header only
        if not line.startswith("--"):
            break
        match = _NEEDS.match(line.strip())
        if match is None:
            continue
        items = tuple(item.strip() for item in match.group(2).split(",") if item.strip())
        if match.group(1):
            column_needs.append((match.group(1), items))
        else:
            needs += items
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if not _REQUIRES.match(line) and not _NEEDS.match(line.strip()):
            header.append(line[2:].strip())
    if not header or not header[0]:
        raise QueryError(f"{path}:1: a query must start with a '-- description' line")
    return Query(path.stem, header[0], "\n".join(header[1:]).strip(), sql, path, segments,
                 tuple(dict.fromkeys(needs)), tuple(column_needs))


@cache
def load_queries(folder: Path | None = None) -> dict[str, Query]:
    """All metric queries by name; files starting with '_' are helpers, not metrics."""
    folder = folder or bundled("queries")
    return {path.stem: _parse(path) for path in sorted(folder.glob("*.sql"))
            if not path.name.startswith("_")}


def get_query(name: str) -> Query:
    queries = load_queries()
    if name not in queries:
        raise QueryError(f"unknown query '{name}'; 'crmproof query --list' shows the "
                         f"{len(queries)} available")
    return queries[name]


@cache
def helper_query(path: Path) -> Query:
    """A helper file (`_name.sql`) that a query requires, loaded once."""
    if not path.is_file():
        raise QueryError(f"required helper {path.name} not found")
    return _parse(path)
