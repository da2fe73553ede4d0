"""Every deal of the export accounted for: counted in the window, open, before the window,
after the as-of date, or left out and why (`queries/deal_reconciliation.sql`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

STATUSES = ("in_window", "open", "before_window", "after_as_of", "excluded")
# why an excluded deal is left out, in words for the terminal and the site
REASONS = {
    "no_close_date": "closed without a close date (and no last-modified date to stand in)",
    "no_owner": "no owner",
    "owner_not_a_rep": "owned by someone who is not a measured rep (reps.only, "
                       "reps.exclude, or not in the user list)",
    "owner_not_measured_then": "closed in a period the owner was not measured in (before "
                               "their start date)",
}


def window(params: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """First and last day the evidence covers: the last history_periods periods."""
    as_of = params["as_of"]
    days = params["history_periods"] * params["period_days"]
    return as_of - dt.timedelta(days=days - 1), as_of


def reconcile(rows: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    """The reconciliation as plain counts: every deal is in exactly one status.

    `in_export` = `in_window` + `open` + `before_window` + `after_as_of` + the sum of
    `excluded` (by reason); `won_in_window` is what the win rates count as won.
    """
    start, end = window(params)
    counts = {status: sum(r["deals"] for r in rows if r["status"] == status)
              for status in STATUSES if status != "excluded"}
    excluded = {r["reason"]: r["deals"] for r in rows if r["status"] == "excluded"}
    return {
        "in_export": sum(r["deals"] for r in rows),
        "closed": sum(r["closed_deals"] for r in rows),
        "won": sum(r["won_deals"] for r in rows),
        **counts,
        "won_in_window": sum(r["won_deals"] for r in rows if r["status"] == "in_window"),
        "excluded": dict(sorted(excluded.items())),
        "window": {"start": start.isoformat(), "end": end.isoformat()},
    }


def reconciliation_lines(deals: dict[str, Any]) -> list[tuple[str, int]]:
    """(what, how many) rows that add up to the deals in the export, for tables."""
    start, end = deals["window"]["start"], deals["window"]["end"]
    lines = [(f"closed {start} to {end}, counted in the evidence", deals["in_window"]),
             (f"open on {end}", deals["open"]),
             (f"closed before {start}, outside the window", deals["before_window"]),
             (f"created or closed after {end} (the as-of date)", deals["after_as_of"])]
    lines += [(f"left out: {REASONS.get(reason, reason)}", n)
              for reason, n in deals["excluded"].items()]
    return lines
