"""The demo's coaching log: what a manager wrote down about the sample's reps.

Each persona gets the story the articles crmproof is built from tell: a one-on-one that
asks why, a follow-up a week later, a demonstration that tells training from refusal,
training in a new format, and consequence steps - applied to some reps and, on purpose,
not to others at the same level, so the manager site has something to flag.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from ..config import LOG_COLUMNS

# persona -> entries as (days before the end, kind, {column: value}); "follow_up" in days
# before the end as well. Only the first rep of each persona gets them.
_STORIES: dict[str, list[tuple[int, str, dict[str, object]]]] = {
    "never_logs_in": [
        (56, "one-on-one", {"follow_up": 49, "notes": "Asked why: says the CRM is slow on the "
                            "laptop and the customers know them anyway."}),
        (49, "follow-up", {"notes": "No change in the week."}),
        (49, "demonstration", {"result": "could", "notes": "Entered a new account and set a "
                               "call-back date without help: not a training issue."}),
        (42, "consequence", {"level": 2, "notes": "Expenses reimbursed only for visits logged "
                             "in the CRM."}),
        (14, "consequence", {"level": 3, "notes": "Formal performance conversation held."}),
    ],
    "friday_batcher": [
        (28, "one-on-one", {"window": "16:30-16:45", "notes": "Catches up every Friday "
                            "afternoon; agreed a daily slot after the last call."}),
        (21, "follow-up", {"notes": "Still one batch on Friday."}),
        (14, "consequence", {"level": 2, "notes": "Leads routed only through the CRM."}),
    ],
    "assisted": [
        (21, "one-on-one", {"follow_up": 14, "notes": "The assistant enters most of their "
                            "records; agreed they enter their own calls from now on."}),
    ],
    "logs_in_little": [
        (16, "one-on-one", {"notes": "Opens the CRM every morning to read the pipeline but "
                            "is unsure how to add a deal."}),
        (9, "demonstration", {"result": "could not", "notes": "Could not set a call-back "
                              "date on a contact."}),
        (7, "training", {"format": "one-to-one at the desk, 30 minutes, their own deals",
                         "follow_up": 0, "notes": "Not a repeat of the launch course."}),
    ],
    "slipping": [
        (119, "one-on-one", {"window": "17:30-17:45", "notes": "Chose the half hour after "
                             "the last call."}),
        (112, "follow-up", {"notes": "Window kept every day; told them so."}),
    ],
}


def _improver_story(end: dt.date, switch: dt.date) -> list[tuple[int, str, dict[str, object]]]:
    """The improver's one-on-one came on the Wednesday before their habit changed."""
    before = (end - switch).days + ((switch.weekday() - 2) % 7 or 7)
    return [(before, "one-on-one", {"window": "16:30-16:45", "notes": "Agreed a daily "
                                    "window instead of the Friday catch-up."}),
            (before - 7, "follow-up", {"notes": "Every day in the window; said how pleased "
                                       "I am."})]


def coaching_log_text(reps: Iterable[tuple[str, str]], end: dt.date,
                      switch: dt.date) -> str:
    """The log as CSV for (rep name, persona) pairs; the first rep of each persona counts."""
    first: dict[str, str] = {}
    for name, persona in reps:
        first.setdefault(persona, name)
    stories = {**_STORIES, "improver": _improver_story(end, switch)}
    rows = []
    for persona, entries in stories.items():
        if persona not in first:
            continue
        for days_before, kind, fields in entries:
            row = {column: "" for column in LOG_COLUMNS}
            row.update({key: str(value) for key, value in fields.items()})
            if "follow_up" in fields:
                row["follow_up"] = (end - dt.timedelta(days=int(fields["follow_up"]))).isoformat()
            row.update(date=(end - dt.timedelta(days=days_before)).isoformat(),
                       rep=first[persona], kind=kind)
            rows.append(row)
    rows.sort(key=lambda row: (row["date"], row["rep"], row["kind"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, LOG_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
