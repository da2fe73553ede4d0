"""Spreadsheet exports (XLSX, XLSM, XLS, ODS): each sheet read as one CSV file.

HubSpot and Salesforce reports export to XLSX by default. `python-calamine` reads the
cells with their types; each sheet is written once as UTF-8 CSV into the scratch folder
and from then on is a file like any other. Dates come out as ISO text; a date cell that
Excel stored as a plain number (a serial such as 45352) is read by the typed insert
(`crm_ts_excel`), since only a spreadsheet writes dates that way.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from ..errors import DataError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def sheets(path: Path, scratch: Path) -> list[tuple[str, Path | None]]:
    """(sheet name, its rows as a UTF-8 CSV in `scratch`, or None when the sheet is empty)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every bad file
        raise DataError(f"cannot be read as a spreadsheet ({str(exc).splitlines()[0]})",
                        file=path.name, hint="open it in Excel and save it again as .xlsx, "
                        "or export CSV") from None
    out = []
    for index, name in enumerate(book.sheet_names):
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
        if not rows:
            out.append((name, None))
            continue
        target = scratch / f"{path.stem}-sheet{index + 1}.csv"
        with open(target, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerows([[_text(cell) for cell in row] for row in rows])
        out.append((name, target))
    return out
