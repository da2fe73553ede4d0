"""Declarative mappings from vendor export columns to the canonical model.

A mapping is a YAML file (see `generator/ingest/mappings/*.yml`): a list of sources, each
saying which canonical table it fills, which headers identify a file as that
source (`match`), and where each canonical column comes from. A column is one of:

- `Header`                       the trimmed text of that column
- `[A, B, ...]`                  the first non-empty of several columns (or nested specs)
- `{column: H, prefix: "006"}`   the value only where it starts with prefix
- `{column: H, first_of: ";"}`   the first item of a list cell (`123;456` -> `123`)
- `{column: H, in: [Won]}`       true where the value is one of these (any case)
- `{any_of: [spec, ...]}`        true where any of the boolean specs is true
- `{value: text}`                a constant
- `{join: [A, B]}`               the non-empty values joined by a space (first + last name)

A source may also say `keep: <boolean spec>` (e.g. `{column: Done, in: [1, yes]}`):
only rows where it is true are loaded (planned, not-yet-done activities are dropped).
Headers match ignoring case, surrounding and non-breaking spaces. `match` lists the
headers that identify the source (default: every header its columns read); a file
is that source when it has at least 60% of them, the best-matching source winning.
`null_values` lists texts that mean "empty" in every column (placeholder IDs).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from .canonical import TABLES

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"

_PREFERRED = ("salesforce", "hubspot", "pipedrive", "generic")
# Built-in formats: every mapping shipped in generator/ingest/mappings, best-known first.
BUILTIN = tuple(sorted((p.stem for p in MAPPINGS_DIR.glob("*.yml")),
                       key=lambda n: (_PREFERRED.index(n) if n in _PREFERRED else 99, n)))
_MAPPING_KEYS = {"name", "description", "null_values", "sources"}
_SOURCE_KEYS = {"table", "match", "columns", "keep"}
_SPEC_KEYS = ({"column", "prefix"}, {"column", "first_of"}, {"column", "in"}, {"any_of"},
              {"value"}, {"join"})


@dataclass(frozen=True)
class Source:
    table: str
    match: tuple[str, ...]
    columns: dict[str, Any]
    keep: Any = None


@dataclass(frozen=True)
class Mapping:
    name: str
    description: str
    null_values: tuple[str, ...]
    sources: tuple[Source, ...]
    path: Path


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
        for key in ("any_of", "join"):
            if key in spec:
                _check_spec(spec[key], where)
        return
    raise ConfigError(f"{where}: expected a header, a list of headers, or one of "
                      f"{{column, prefix}}, {{column, first_of}}, {{column, in}}, {{any_of}}, "
                      f"{{value}}, {{join}}; "
                      f"got {spec!r}")


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
    if keep is not None and not (isinstance(keep, dict) and ("in" in keep or "any_of" in keep)):
        raise ConfigError(f"{where}.keep: expected {{column, in}} or {{any_of}}, got {keep!r}")
    if keep is not None:
        _check_spec(keep, f"{where}.keep")
    match = raw.get("match") or [h for spec in columns.values() for h in spec_headers(spec)]
    return Source(table, tuple(str(m) for m in match), dict(columns), keep)


def load_mapping(path: Path) -> Mapping:
    """Read and check one mapping file; any mistake is a ConfigError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: mapping file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    return Mapping(str(raw.get("name") or path.stem), str(raw.get("description") or ""),
                   tuple(str(v) for v in raw.get("null_values") or ()), parsed, path)


def builtin_mapping(name: str) -> Mapping:
    if name not in BUILTIN:
        raise ConfigError(f"unknown format '{name}'; use auto, {', '.join(BUILTIN)} "
                          f"or the path of a mapping file")
    return load_mapping(MAPPINGS_DIR / f"{name}.yml")


def best_source(mapping: Mapping, headers: list[str]) -> tuple[Source | None, float]:
    """The source whose identifying headers a file has most of (at least 60% of them)."""
    present = {normalize_header(h) for h in headers}
    best, best_score = None, 0.0
    for source in mapping.sources:
        hits = sum(normalize_header(h) in present for h in source.match)
        score = hits / len(source.match) + hits / 1000  # more hits break ties
        if hits / len(source.match) >= 0.6 and score > best_score:
            best, best_score = source, score
    return best, best_score
