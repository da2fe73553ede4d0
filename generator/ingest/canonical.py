"""The canonical model every vendor export is mapped onto.

Timestamps are naive UTC `TIMESTAMP`s; each record keeps when it happened apart
from when it was entered, because lateness is the core adoption signal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb

# table -> ordered {column: duckdb type}; the first column is the primary key
TABLES: dict[str, dict[str, str]] = {
    "reps": {"rep_id": "VARCHAR", "name": "VARCHAR", "email": "VARCHAR", "team": "VARCHAR",
             "manager_id": "VARCHAR", "start_date": "DATE", "active": "BOOLEAN",
             "role": "VARCHAR", "is_rep": "BOOLEAN"},
    "accounts": {"account_id": "VARCHAR", "name": "VARCHAR", "owner_rep_id": "VARCHAR",
                 "industry": "VARCHAR", "created_at": "TIMESTAMP"},
    "deals": {"deal_id": "VARCHAR", "account_id": "VARCHAR", "owner_rep_id": "VARCHAR",
              "created_by_rep_id": "VARCHAR", "name": "VARCHAR", "stage": "VARCHAR",
              "amount": "DOUBLE", "currency": "VARCHAR", "created_at": "TIMESTAMP",
              "close_date": "DATE", "is_closed": "BOOLEAN", "is_won": "BOOLEAN",
              "last_modified_at": "TIMESTAMP", "next_step": "VARCHAR"},
    "activities": {"activity_id": "VARCHAR", "owner_rep_id": "VARCHAR",
                   "created_by_rep_id": "VARCHAR", "deal_id": "VARCHAR",
                   "account_id": "VARCHAR", "type": "VARCHAR", "occurred_at": "TIMESTAMP",
                   "created_at": "TIMESTAMP", "is_done": "BOOLEAN"},
    "logins": {"rep_id": "VARCHAR", "login_at": "TIMESTAMP"},
    "field_history": {"object": "VARCHAR", "record_id": "VARCHAR", "field": "VARCHAR",
                      "old_value": "VARCHAR", "new_value": "VARCHAR",
                      "changed_by_rep_id": "VARCHAR", "changed_at": "TIMESTAMP"},
}
# Planned work (open tasks, future meetings not yet done): the rows of activities whose
# is_done is false, moved here by ingest. A planned activity is a next step on its deal for
# completeness; it is never logged work (active days, lag, cost, trust).
TABLES["planned_activities"] = dict(TABLES["activities"])
# Each row's own ID (the table's first column), for the tables that have one: ingest checks
# it is unique.
ID_COLUMNS: dict[str, str] = {table: next(iter(TABLES[table])) for table in (
    "reps", "accounts", "deals", "activities", "planned_activities")}
# Columns a mapping must provide for a table to be usable at all. Deals without an owner or
# a created date still load: the evidence that needs them says "not in this export"; an
# activity without an entry time is taken to be entered when it happened (no logging lag).
REQUIRED: dict[str, tuple[str, ...]] = {
    "reps": ("rep_id",),
    "accounts": ("account_id",),
    "deals": ("deal_id", "is_closed", "is_won"),
    "activities": ("owner_rep_id", "occurred_at"),
    "planned_activities": ("owner_rep_id", "occurred_at"),
    "logins": ("rep_id", "login_at"),
    "field_history": ("record_id", "field", "changed_at"),
}
OPTIONAL_TABLES = ("accounts", "activities", "logins", "field_history")
# Filled by ingest from other tables, never by a mapping source.
DERIVED_TABLES = ("planned_activities",)
# Columns that name a person; ingest resolves names and emails in them to rep IDs.
PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "reps": ("manager_id",),
    "accounts": ("owner_rep_id",),
    "deals": ("owner_rep_id", "created_by_rep_id"),
    "activities": ("owner_rep_id", "created_by_rep_id"),
    "planned_activities": ("owner_rep_id", "created_by_rep_id"),
    "logins": ("rep_id",),
    "field_history": ("changed_by_rep_id",),
}


def create_empty(con: duckdb.DuckDBPyConnection, table: str) -> None:
    columns = ", ".join(f'"{name}" {kind}{_storage(table, name)}'
                        for name, kind in TABLES[table].items())
    con.execute(f'create or replace table "{table}" ({columns})')


def _storage(table: str, column: str) -> str:
    # A row's own ID differs on every row: a dictionary finds nothing to share, and FSST
    # cost 1.5 s of a 9M-row activity file's load to save 186 MB of cache (reads are no
    # faster for it; only ingest checks and validate read these IDs in bulk).
    if ID_COLUMNS.get(table) == column:
        return " using compression uncompressed"
    return ""


def insert_rows(con: duckdb.DuckDBPyConnection, table: str,
                rows: Iterable[Sequence | dict]) -> None:
    """Create `table` and fill it from tuples (in column order) or dicts (missing -> NULL).

    For tests and small fixtures; real exports stream through `ingest`.
    """
    create_empty(con, table)
    names = list(TABLES[table])
    values = [tuple(row.get(name) for name in names) if isinstance(row, dict)
              else (*row, *[None] * (len(names) - len(row))) for row in rows]
    if values:
        marks = ", ".join("?" for _ in names)
        con.executemany(f'insert into "{table}" values ({marks})', values)
