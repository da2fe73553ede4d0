"""Column specs of a mapping turned into SQL over one file's raw text columns.

`Columns.expr(spec)` is the SQL of a spec (see `mapping`), or None when none of its
headers are in the file; `raw_columns(spec)` the file columns its text comes from.
"""

from __future__ import annotations

from typing import Any

from ..db import ident, sql_str
from .mapping import is_boolean_spec, normalize_header

# control characters removed from every value of a file that holds any (NUL from
# rich-text fields); tab and line breaks stay
CONTROL_PATTERN = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]"


class Columns:
    """Translates column specs into SQL over one raw file's columns."""

    def __init__(self, headers: list[str], null_values: tuple[str, ...],
                 cleaned: dict[str, str] | None = None) -> None:
        self.by_norm = {normalize_header(h): h for h in headers}
        self.null_values = null_values
        self.cleaned = cleaned  # header -> name of its cleaned column in an inner select

    def has(self, header: str) -> bool:
        return normalize_header(header) in self.by_norm

    def text(self, header: str) -> str:
        name = self.by_norm[normalize_header(header)]
        if self.cleaned is not None:
            return ident(self.cleaned.setdefault(name, f"_c{len(self.cleaned)}"))
        expr = f"crm_text({ident(name)})"
        if self.null_values:
            nulls = ", ".join(sql_str(v) for v in self.null_values)
            expr = f"(case when {expr} in ({nulls}) then null else {expr} end)"
        return expr

    def expr(self, spec: Any) -> str | None:
        """SQL for a spec, or None when none of its headers are in the file."""
        if isinstance(spec, str):
            return self.text(spec) if self.has(spec) else None
        if isinstance(spec, list):
            parts = [e for e in (self.expr(item) for item in spec) if e is not None]
            return None if not parts else parts[0] if len(parts) == 1 else (
                f"coalesce({', '.join(parts)})")
        if "value" in spec:
            return sql_str(str(spec["value"]))
        if "join" in spec:
            parts = [e for e in (self.expr(item) for item in spec["join"]) if e is not None]
            return f"nullif(concat_ws(' ', {', '.join(parts)}), '')" if parts else None
        if "any_of" in spec:
            parts = [e for e in (self.expr(item) for item in spec["any_of"]) if e is not None]
            return f"({' or '.join(parts)})" if parts else None
        if not self.has(spec["column"]):
            return None
        text = self.text(spec["column"])
        if "prefix" in spec:
            return f"(case when starts_with({text}, {sql_str(spec['prefix'])}) then {text} end)"
        if "first_of" in spec:
            first = f"split_part({text}, {sql_str(str(spec['first_of']))}, 1)"
            return f"nullif(trim({first}), '')"
        return _in_sql(text, in_values(spec["in"]))

    def raw_columns(self, spec: Any) -> list[str] | None:
        """The file's columns a spec's text comes from; None when it may hold literal text."""
        if isinstance(spec, str):
            return [self.by_norm[normalize_header(spec)]] if self.has(spec) else []
        if isinstance(spec, dict) and "value" in spec:
            return None
        items = spec if isinstance(spec, list) else spec.get("join", spec.get("any_of"))
        if items is None:
            items = [spec["column"]]
        found: list[str] = []
        for item in items:
            part = self.raw_columns(item)
            if part is None:
                return None
            found += part
        return found


def _in_sql(text: str, values: list[str]) -> str:
    """True where the text is one of `values` (lower-cased); '' matches an empty cell."""
    listed = [v for v in values if v != ""]
    test = f"lower({text}) in ({', '.join(sql_str(v) for v in listed)})" if listed else "false"
    if "" in values:
        return f"({text} is null or coalesce({test}, false))"
    return f"coalesce({test}, false)"


def in_values(values: list[Any]) -> list[str]:
    """Lower-cased texts of an `in:` list; unquoted YAML yes/true/no/false mean every spelling,
    and an empty value (`""`, or `null`) means an empty cell."""
    spellings = {True: ("true", "yes", "y", "1"), False: ("false", "no", "n", "0")}
    out: list[str] = []
    for value in values:
        if isinstance(value, bool):
            out += spellings[value]
        else:
            out.append("" if value is None else str(value).strip().lower())
    return out


def typed(expr: str, kind: str, spec: Any, dmy: bool, excel: bool = False) -> str:
    """The canonical-typed SQL of a column's text `expr` (what `Columns.expr(spec)` gave:
    see `queries/_ingest_macros.sql`)."""
    flag = "true" if dmy else "false"
    if kind in ("TIMESTAMP", "DATE") and excel:
        parsed = f"crm_ts_excel({expr}, {flag})"
        return parsed if kind == "TIMESTAMP" else f"({parsed})::date"
    if kind == "BOOLEAN" and is_boolean_spec(spec):
        return expr
    text = expr if is_clean_spec(spec) else f"crm_text({expr})"
    parse = {"TIMESTAMP": f"crm_ts_text({text}, {flag})",
             "DATE": f"crm_date_text({text}, {flag})",
             "BOOLEAN": f"crm_bool_text({text})", "DOUBLE": f"crm_amount_text({text})"}
    return parse.get(kind, expr)


def is_clean_spec(spec: Any) -> bool:
    """Whether a spec's SQL (`Columns.expr`) is already crm_text's result: a header, a
    prefix rule, or a list or join of those. A literal value or a `first_of` part is not."""
    if isinstance(spec, str):
        return True
    if isinstance(spec, list):
        return all(is_clean_spec(item) for item in spec)
    if isinstance(spec, dict) and "join" in spec:
        return all(is_clean_spec(item) for item in spec["join"])
    return isinstance(spec, dict) and "prefix" in spec
