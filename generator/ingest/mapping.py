"""Declarative mappings from vendor export columns to the canonical model.

A mapping is a YAML file (see `generator/ingest/mappings/*.yml`): a list of sources, each
saying which canonical table it fills, which headers identify a file as that
source (`match`), and where each canonical column comes from. A column is one of:

- `Header`                       the trimmed text of that column
- `[A, B, ...]`                  the first non-empty of several columns (or nested specs)
- `{column: H, prefix: "006"}`   the value only where it starts with prefix
- `{column: H, first_of: ";"}`   the first item of a list cell (`123;456` -> `123`)
- `{column: H, in: [Won]}`       true where the value is one of these (any case; always a
                                 list; `""` in it matches an empty cell)
- `{any_of: [spec, ...]}`        true where any of the boolean specs is true
- `{value: text}`                a constant
- `{join: [A, B]}`               the non-empty values joined by a space (first + last name)

A list of boolean specs is the first one whose column the file has: an explicit flag
(`IsClosed`) beats a fallback on the stage name when both are listed in that order.

A source may also say `keep: <boolean spec>` (e.g. `{column: Done, in: [1, yes]}`):
only rows where it is true are loaded, and ingest reports how many it dropped. (An
activity's `is_done` is the better tool for planned work: those rows are kept as next
steps instead of dropped.) Headers match ignoring case, surrounding and non-breaking
spaces. `match` lists the headers that identify the source (default: every header its
columns read), `files` the file names it goes by (`Opportunity`, `*deals*`); a file is
that source when it has at least 60% of the `match` headers (`recognize` decides between
sources, and reports a tie). `other_objects` names the vendor's other standard exports
(`Lead`, `Contact`...), so that such a file is skipped with a note rather than mistaken
for a canonical table. `null_values` lists texts that mean "empty" in every column.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..text import load_yaml, read_text_file
from .canonical import TABLES

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"

_PREFERRED = ("salesforce", "hubspot", "pipedrive", "generic")
# Built-in formats: every mapping shipped in generator/ingest/mappings, best-known first.
BUILTIN = tuple(sorted((p.stem for p in MAPPINGS_DIR.glob("*.yml")),
                       key=lambda n: (_PREFERRED.index(n) if n in _PREFERRED else 99, n)))
_MAPPING_KEYS = {"name", "description", "null_values", "sources", "other_objects"}
_SOURCE_KEYS = {"table", "match", "columns", "keep", "files"}
_OTHER_KEYS = {"name", "match", "files", "note"}
_SPEC_KEYS = ({"column", "prefix"}, {"column", "first_of"}, {"column", "in"}, {"any_of"},
              {"value"}, {"join"})


@dataclass(frozen=True)
class Source:
    table: str
    match: tuple[str, ...]
    columns: dict[str, Any]
    keep: Any = None
    files: tuple[str, ...] = ()  # file-name patterns (fnmatch, any case), without suffix


@dataclass(frozen=True)
class OtherObject:
    """A standard export of the vendor that crmproof does not read (Lead, Contact...)."""

    name: str
    match: tuple[str, ...]
    files: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Mapping:
    name: str
    description: str
    null_values: tuple[str, ...]
    sources: tuple[Source, ...]
    path: Path
    others: tuple[OtherObject, ...] = ()


def normalize_header(name: str) -> str:
    """Header comparison ignores case, surrounding and non-breaking spaces and a BOM."""
    return " ".join(str(name).replace("\ufeff", "").replace("\xa0", " ").split()).lower()


def spec_headers(spec: Any) -> list[str]:
    """Every source header a column spec reads, in order."""
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, list):
        return [h for item in spec for h in spec_headers(item)]
    if "column" in spec:
        return [spec["column"]]
    if "any_of" in spec:
        return spec_headers(spec["any_of"])
    if "join" in spec:
        return spec_headers(spec["join"])
    return []


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _check_spec(spec: Any, where: str) -> None:
    if isinstance(spec, str):
        return
    if isinstance(spec, list) and spec:
        for item in spec:
            _check_spec(item, where)
        return
    if isinstance(spec, dict) and set(spec) in _SPEC_KEYS:
        if "in" in spec and not isinstance(spec["in"], list):
            raise ConfigError(f"{where}.in: expected a list of values such as [won, lost] "
                              f"(a single value too: [{spec['in']}]), got {spec['in']!r}")
        for key in ("any_of", "join"):
            if key in spec:
                _check_spec(spec[key], where)
        for key in ("column", "prefix", "first_of"):
            if key in spec and not isinstance(spec[key], str):
                raise ConfigError(f"{where}.{key}: expected text, got {spec[key]!r}; quote "
                                  f'it, e.g. {key}: "{spec[key]}"')
        return
    raise ConfigError(f"{where}: expected a header, a list of headers, or one of "
                      f"{{column, prefix}}, {{column, first_of}}, {{column, in}}, {{any_of}}, "
                      f"{{value}}, {{join}}; "
                      f"got {spec!r}")


def is_boolean_spec(spec: Any) -> bool:
    """True for `{column, in}`, `{any_of}` and lists made only of those."""
    if isinstance(spec, list):
        return bool(spec) and all(is_boolean_spec(item) for item in spec)
    return isinstance(spec, dict) and ("in" in spec or "any_of" in spec)


def _names(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, (str, int)) for v in raw):
        raise ConfigError(f"{where}: expected a list of names, got {raw!r}")
    return tuple(str(v) for v in raw)


def _parse_other(raw: Any, where: str) -> OtherObject:
    if not isinstance(raw, dict) or not raw.get("name") or not raw.get("match"):
        raise ConfigError(f"{where}: expected name and match (and optionally files, note)")
    for key in raw:
        if key not in _OTHER_KEYS:
            raise ConfigError(f"{where}: unknown key '{key}'{_suggest(str(key), _OTHER_KEYS)}")
    return OtherObject(str(raw["name"]), _names(raw["match"], f"{where}.match"),
                       _names(raw.get("files"), f"{where}.files"), str(raw.get("note") or ""))


def _parse_source(raw: Any, where: str) -> Source:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping with table, match and columns")
    for key in raw:
        if key not in _SOURCE_KEYS:
            raise ConfigError(f"{where}: unknown key '{key}'{_suggest(str(key), _SOURCE_KEYS)}")
    table = raw.get("table")
    if table not in TABLES:
        raise ConfigError(f"{where}: unknown table {table!r}{_suggest(str(table), TABLES)}")
    columns = raw.get("columns") or {}
    if not isinstance(columns, dict) or not columns:
        raise ConfigError(f"{where}.columns: expected canonical column: header pairs")
    for column, spec in columns.items():
        if column not in TABLES[table]:
            raise ConfigError(f"{where}.columns: unknown column '{column}' for table {table}"
                              f"{_suggest(str(column), TABLES[table])}")
        _check_spec(spec, f"{where}.columns.{column}")
    keep = raw.get("keep")
    if keep is not None:
        _check_spec(keep, f"{where}.keep")
        if not is_boolean_spec(keep):
            raise ConfigError(f"{where}.keep: expected {{column, in}} or {{any_of}}, "
                              f"got {keep!r}")
    match = raw.get("match") or [h for spec in columns.values() for h in spec_headers(spec)]
    return Source(table, _names(list(match), f"{where}.match"), dict(columns), keep,
                  _names(raw.get("files"), f"{where}.files"))


def load_mapping(path: Path) -> Mapping:
    """Read and check one mapping file; any mistake is a ConfigError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: mapping file not found")
    try:
        raw = load_yaml(read_text_file(path, "mapping file"))
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping with 'name' and 'sources'")
    for key in raw:
        if key not in _MAPPING_KEYS:
            raise ConfigError(f"{path}: unknown key '{key}'{_suggest(str(key), _MAPPING_KEYS)}")
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        raise ConfigError(f"{path}: 'sources' must list at least one source")
    parsed = tuple(_parse_source(item, f"{path}: sources[{i}]") for i, item in enumerate(sources))
    others = raw.get("other_objects") or []
    if not isinstance(others, list):
        raise ConfigError(f"{path}: other_objects: expected a list of name/match entries")
    return Mapping(str(raw.get("name") or path.stem), str(raw.get("description") or ""),
                   tuple(str(v) for v in raw.get("null_values") or ()), parsed, path,
                   tuple(_parse_other(item, f"{path}: other_objects[{i}]")
                         for i, item in enumerate(others)))


@cache
def builtin_mapping(name: str) -> Mapping:
    """A shipped mapping, read once per process (they never change while it runs)."""
    if name not in BUILTIN:
        raise ConfigError(f"unknown format '{name}'; use auto, {', '.join(BUILTIN)} "
                          f"or the path of a mapping file")
    return load_mapping(MAPPINGS_DIR / f"{name}.yml")
