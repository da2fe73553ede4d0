"""Ingest: a folder of vendor export files in, DuckDB canonical tables out.

In: export files (CSV/TSV, XLSX/XLS/ODS sheets, Parquet), a format name or mapping file,
and the config. Out: the canonical tables (`canonical.TABLES`) filled in a DuckDB
connection, and an `IngestReport` of what was read, skipped (and why), missing and worth
a warning or a note. Every value that cannot be read is a one-line `DataError` naming its
file, row and column.
"""

from __future__ import annotations

from .canonical import (
    DERIVED_TABLES,
    OPTIONAL_TABLES,
    PERSON_COLUMNS,
    REQUIRED,
    TABLES,
    create_empty,
    insert_rows,
)
from .files import DATA_SUFFIXES, ExportFile, data_files, list_files, sniff
from .load import IngestReport, LoadedFile, choose_mapping, ensure_format_name, ingest_folder
from .mapping import (
    BUILTIN,
    Mapping,
    OtherObject,
    Source,
    builtin_mapping,
    is_boolean_spec,
    load_mapping,
    normalize_header,
)
from .recognize import Match, recognize
from .suggest import suggest_mapping

__all__ = ["BUILTIN", "DATA_SUFFIXES", "DERIVED_TABLES", "OPTIONAL_TABLES", "PERSON_COLUMNS",
           "REQUIRED", "TABLES", "ExportFile", "IngestReport", "LoadedFile", "Mapping", "Match",
           "OtherObject", "Source", "builtin_mapping", "choose_mapping", "create_empty",
           "data_files", "ensure_format_name", "ingest_folder", "insert_rows",
           "is_boolean_spec", "list_files", "load_mapping", "normalize_header", "recognize",
           "sniff", "suggest_mapping"]
