"""The data behind the pages as files: a CSV per chart and table, and evidence.json.

Both are deterministic: rows keep their order, numbers are written exactly (`repr`), dates
as ISO, booleans as true/false, and missing values as empty cells (CSV) or null (JSON).
Data files name reps by their code, and text cells can neither carry markup nor run as a
spreadsheet formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import evidence as ev

_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell
_MARKUP = str.maketrans({"<": "&lt;", ">": "&gt;"})


def _text(value: str) -> str:
    """Text from the data made inert: no markup, and no cell a spreadsheet runs as a formula
    (OWASP's advice: a leading apostrophe)."""
    value = value.translate(_MARKUP)
    return f"'{value}" if value.startswith(_FORMULA) else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV, the columns in the order they first appear."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[_cell(row.get(column)) for column in columns] for row in rows])
    return buffer.getvalue()


def evidence_json(findings: Iterable[ev.Finding], as_of: dt.date) -> str:
    """Every estimate the site shows, in the order the site computed them."""
    return json.dumps({"as_of": as_of.isoformat(), "confidence": 0.95,
                       "estimates": [finding.as_json() for finding in findings]},
                      indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write_data(folder: Path, data: dict[str, list[dict[str, Any]]],
               findings: Iterable[ev.Finding], as_of: dt.date) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in data.items():
        (folder / f"{name}.csv").write_text(csv_text(rows), encoding="utf-8")
    (folder / "evidence.json").write_text(evidence_json(findings, as_of), encoding="utf-8")
