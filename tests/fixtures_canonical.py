"""Small hand-made canonical databases for query tests.

Builders return dicts with sensible defaults; `make_db` creates every canonical
table (empty when not given), like ingest does for tables an export lacks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from generator import db, ingest, metrics
from generator.config import load_config

D = dt.date
T = dt.datetime


def at(day: str, time: str = "10:00") -> dt.datetime:
    """'2026-03-09', '14:30' -> a naive UTC timestamp."""
    return dt.datetime.fromisoformat(f"{day}T{time}")


def rep(rep_id: str, start_date: str = "2020-01-06", is_rep: bool = True) -> dict[str, Any]:
    return {"rep_id": rep_id, "name": f"Rep {rep_id}", "email": f"{rep_id}@example.com",
            "team": "West", "start_date": D.fromisoformat(start_date), "active": True,
            "role": "Account Executive" if is_rep else "Sales Assistant", "is_rep": is_rep}


def deal(deal_id: str, owner: str, created: str, creator: str | None = "owner",
         **fields: Any) -> dict[str, Any]:
    """An open, complete deal unless `fields` say otherwise; `created` is 'YYYY-MM-DD[ HH:MM]'."""
    day, _, time = created.partition(" ")
    row = {"deal_id": deal_id, "account_id": None, "owner_rep_id": owner,
           "created_by_rep_id": owner if creator == "owner" else creator,
           "name": f"Deal {deal_id}", "stage": "Prospecting", "amount": 1000.0,
           "currency": "USD", "created_at": at(day, time or "10:00"),
           "close_date": D(2026, 6, 30), "is_closed": False, "is_won": False,
           "last_modified_at": None, "next_step": "Call back"}
    row.update(fields)
    if isinstance(row["close_date"], str):
        row["close_date"] = D.fromisoformat(row["close_date"])
    return row


def activity(activity_id: str, owner: str, occurred: dt.datetime, created: dt.datetime,
             creator: str | None = "owner", **fields: Any) -> dict[str, Any]:
    row = {"activity_id": activity_id, "owner_rep_id": owner,
           "created_by_rep_id": owner if creator == "owner" else creator, "deal_id": None,
           "account_id": None, "type": "Call", "occurred_at": occurred, "created_at": created}
    row.update(fields)
    return row


def same_day(activity_id: str, owner: str, day: str, **fields: Any) -> dict[str, Any]:
    """An activity entered the day it happened, by its owner."""
    return activity(activity_id, owner, at(day, "10:00"), at(day, "16:30"), **fields)


def make_db(**tables: list[dict[str, Any]]) -> duckdb.DuckDBPyConnection:
    con = db.connect()
    for table in ingest.TABLES:
        ingest.insert_rows(con, table, tables.get(table, []))
    return con


def params(as_of: str, **overrides: Any) -> dict[str, Any]:
    """metric_params for the default config at `as_of`, with some values replaced."""
    values = metrics.metric_params(load_config(), D.fromisoformat(as_of))
    for key, value in overrides.items():
        if isinstance(value, str) and key in ("program_start",):
            value = D.fromisoformat(value)
        values[key] = value
    return values


def run(con: duckdb.DuckDBPyConnection, name: str, bound: dict[str, Any]) -> list[dict]:
    return metrics.run_query(con, name, bound).dicts()


def by(rows: list[dict], *keys: str) -> dict[Any, dict]:
    """Index rows by one key (or a tuple of keys)."""
    if len(keys) == 1:
        return {row[keys[0]]: row for row in rows}
    return {tuple(row[key] for key in keys): row for row in rows}
