"""Ingest: a folder of vendor export files in, DuckDB canonical tables out.

In: export files (CSV/TSV/Parquet), a format name or mapping file, and the config.
Out: the canonical tables (`canonical.TABLES`) filled in a DuckDB connection, and an
`IngestReport` of what was read, skipped, missing and worth a warning. Every value that
cannot be read is a one-line `DataError` naming its file, row and column.
"""

from __future__ import annotations

from .canonical import (
    OPTIONAL_TABLES,
    PERSON_COLUMNS,
    REQUIRED,
    TABLES,
    create_empty,
    insert_rows,
)
from .files import DATA_SUFFIXES, data_files
from .load import IngestReport, LoadedFile, choose_mapping, ensure_format_name, ingest_folder
from .mapping import BUILTIN, Mapping, Source, builtin_mapping, load_mapping

__all__ = ["BUILTIN", "DATA_SUFFIXES", "OPTIONAL_TABLES", "PERSON_COLUMNS", "REQUIRED",
           "TABLES", "IngestReport", "LoadedFile", "Mapping", "Source", "builtin_mapping",
           "choose_mapping", "create_empty", "data_files", "ensure_format_name",
           "ingest_folder", "insert_rows", "load_mapping"]
