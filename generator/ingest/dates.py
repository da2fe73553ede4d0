"""Slash dates: whether a file writes 03/04/2024 day-first, and what is wrong with a date
that cannot be read in either order (31/31/2024 is impossible, not an order mix)."""

from __future__ import annotations

import calendar
import re

from ..db import ident
from ..errors import DataError
from .canonical import TABLES
from .columns import Columns
from .files import ExportFile, number_rows
from .mapping import Mapping, Source

# Raised from inside the typed insert (DuckDB's error()) at the first slash date, when the
# order is still to be decided.
SLASH_DATE = "crmproof: a slash date needs its day/month order"
_SLASH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})")
_PATTERN = "'^(\\d{1,2})/(\\d{1,2})/\\d{4}'"


def _date_exprs(cols: Columns, source: Source) -> list[tuple[str, list[str] | None]]:
    out = []
    for column, spec in source.columns.items():
        if TABLES[source.table][column] in ("DATE", "TIMESTAMP"):
            expr = cols.expr(spec)
            if expr is not None:
                out.append((expr, cols.raw_columns(spec)))
    return out


def date_order(con, scan: str, file: ExportFile, source: Source, mapping: Mapping,
               warnings: list[str], raw: str) -> bool:
    """Whether slash dates like 03/04/2024 are day-first in this file.

    Day-first when some date has a first part over 12 (and a second part that can be a
    month); month-first when some has a second part over 12. A file with both is an error
    naming a row of each; a date impossible either way is left to the value check."""
    cols = Columns(file.columns, mapping.null_values)
    exprs = _date_exprs(cols, source)
    if not exprs:
        return False
    parts = ", ".join(
        f"max(case when f{i} > 12 and s{i} <= 12 then 1 else 0 end), "
        f"max(case when s{i} > 12 and f{i} <= 12 then 1 else 0 end), "
        f"max(case when f{i} is not null then 1 else 0 end)" for i in range(len(exprs)))
    texts = ", ".join(
        f"try_cast(regexp_extract({e}, {_PATTERN}, 1) as int) as f{i}, "
        f"try_cast(regexp_extract({e}, {_PATTERN}, 2) as int) as s{i}"
        for i, (e, _) in enumerate(exprs))
    raws = [] if any(r is None for _, r in exprs) else list(dict.fromkeys(
        c for _, r in exprs for c in r or []))
    # Cleaning only drops characters, so a '/' in a date text is a '/' in a raw column:
    # rows without one (all ISO dates) are skipped before any text is cleaned.
    where = (" where " + " or ".join(f"contains({ident(c)}, '/')" for c in raws)
             if raws else "")
    found = con.execute(f"select {parts} from (select {texts} from {scan}{where})"
                        ).fetchall()[0]
    day_first, month_first = any(found[0::3]), any(found[1::3])
    if day_first and month_first:
        raise _order_mix(con, scan, file, exprs, raw)
    if not day_first and not month_first and any(found[2::3]):
        warnings.append(f"{file.name}: dates like 03/04/2024 are ambiguous; read as "
                        f"month/day (set data.date_order: dmy if they are day/month)")
    return day_first


def _order_mix(con, scan: str, file: ExportFile, exprs, raw: str) -> DataError:
    """The error for a file whose slash dates are written both ways, with a row of each."""
    number_rows(con, raw, file.reader)
    examples = []
    for want in ("f > 12 and s <= 12", "s > 12 and f <= 12"):
        for expr, _ in exprs:
            found = con.execute(
                f"select _row, t from (select _row, t, try_cast(regexp_extract(t, {_PATTERN}, "
                f"1) as int) as f, try_cast(regexp_extract(t, {_PATTERN}, 2) as int) as s "
                f"from (select _row, {expr} as t from {ident(raw)})) where {want} "
                f"order by _row limit 1").fetchall()
            if found:
                examples.append(f"row {found[0][0]} has {found[0][1]!r}")
                break
    return DataError("slash dates are written both day-first and month-first ("
                     + " and ".join(examples) + ")", file=file.name,
                     hint="make the file use one order, or set data.date_order")


def date_problem(value: str | None, dmy: bool) -> str | None:
    """Why a slash date cannot be a date at all, or None when that is not the trouble."""
    match = _SLASH.match(value or "")
    if match is None:
        return None
    first, second, year = (int(g) for g in match.groups())
    if first > 12 and second > 12:
        return (f"{value!r} is not a possible date: neither {first} nor {second} can be a "
                "month")
    day, month = (first, second) if dmy else (second, first)
    if month > 12:
        order = "day/month" if dmy else "month/day"
        return f"{value!r} is not a possible date read as {order}: there is no month {month}"
    if month >= 1 and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return (f"{value!r} is not a possible date: {calendar.month_name[month]} {year} has "
                f"no day {day}")
    return None
