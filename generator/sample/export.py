"""The sample's rows in Salesforce Data Loader shape: IDs, timestamps, one CSV per object."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from .personas import NEXT_STEPS

HEADERS = {
    "User": ["Id", "Username", "FirstName", "LastName", "Name", "Email", "Title",
             "Department", "ManagerId", "IsActive", "UserType", "CreatedDate"],
    "Account": ["Id", "Name", "OwnerId", "CreatedById", "Industry", "Phone", "Website",
                "CreatedDate", "LastModifiedDate"],
    "Opportunity": ["Id", "AccountId", "OwnerId", "CreatedById", "Name", "StageName",
                    "Amount", "CurrencyIsoCode", "CloseDate", "IsClosed", "IsWon", "NextStep",
                    "CreatedDate", "LastModifiedDate"],
    "Task": ["Id", "OwnerId", "CreatedById", "WhatId", "AccountId", "Subject", "Type",
             "TaskSubtype", "Status", "ActivityDate", "Description", "CreatedDate"],
    "Event": ["Id", "OwnerId", "CreatedById", "WhatId", "AccountId", "Subject", "Type",
              "ActivityDateTime", "StartDateTime", "EndDateTime", "DurationInMinutes",
              "CreatedDate"],
    "LoginHistory": ["Id", "UserId", "LoginTime", "LoginType", "Status", "Application"],
    "OpportunityFieldHistory": ["Id", "OpportunityId", "Field", "OldValue", "NewValue",
                                "CreatedById", "CreatedDate"],
}
ID_PREFIX = {"User": "005", "Account": "001", "Opportunity": "006", "Task": "00T",
             "Event": "00U", "LoginHistory": "0Ya", "OpportunityFieldHistory": "017"}
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def sf_id(kind: str, number: int) -> str:
    """An 18-character Salesforce-shaped ID: prefix, pod, base-62 counter, suffix."""
    digits = ""
    while True:
        number, rest = divmod(number, 62)
        digits = _B62[rest] + digits
        if number == 0:
            break
    return f"{ID_PREFIX[kind]}5g00000{digits.rjust(5, '0')}AAX"


def sf_datetime(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class Ids:
    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def next(self, kind: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return sf_id(kind, self.counters[kind])


class ExportRows:
    """Rows per Salesforce object; deals are written when they close or at the end."""

    def __init__(self, rng: random.Random, ids: Ids) -> None:
        self.rng = rng
        self.ids = ids
        self.rows: dict[str, list[list[str]]] = {name: [] for name in HEADERS}

    def login(self, user_id: str, when: dt.datetime) -> None:
        self.rows["LoginHistory"].append([self.ids.next("LoginHistory"), user_id,
                                          sf_datetime(when), "Application", "Success",
                                          "Browser"])

    def deal(self, deal: dict) -> None:
        rep = deal["rep"]
        careless = rep.persona == "incomplete" or rep.persona == "never_logs_in"
        amount = "" if careless and self.rng.random() < 0.5 else f"{deal['amount']:.2f}"
        close = "" if careless and not deal["closed"] and self.rng.random() < 0.5 else (
            deal["close"].isoformat())
        next_step = "" if deal["closed"] or (careless and self.rng.random() < 0.7) else (
            self.rng.choice(NEXT_STEPS))
        self._other_edits(deal)
        modified = deal.get("modified") or max([deal["created"]] + [h[4] for h in
                                                                    deal["history"]])
        self.rows["Opportunity"].append([
            deal["id"], deal["account"], rep.user_id, deal["creator"],
            f"{rep.name.split()[1]} {deal['id'][-7:-3]} renewal", deal["stage"], amount,
            deal["currency"], close, str(deal["closed"]).lower(),
            str(deal["won"]).lower(), next_step, sf_datetime(deal["created"]),
            sf_datetime(modified)])
        for field_name, old, new, who, when in deal["history"]:
            self.rows["OpportunityFieldHistory"].append([
                self.ids.next("OpportunityFieldHistory"), deal["id"], field_name, old, new, who,
                sf_datetime(when)])

    def _other_edits(self, deal: dict) -> None:
        """Managers sometimes move close dates; a few deals change owner."""
        rep = deal["rep"]
        if self.rng.random() < 0.08:
            when = deal["created"] + dt.timedelta(days=self.rng.randint(3, 20))
            later = deal["close"] + dt.timedelta(days=14)
            deal["history"].append(("CloseDate", deal["close"].isoformat(), later.isoformat(),
                                    rep.manager_id, when))
        if self.rng.random() < 0.01:
            when = deal["created"] + dt.timedelta(days=self.rng.randint(1, 10))
            deal["history"].append(("Owner", rep.manager_id, rep.user_id, rep.manager_id, when))

    def _drop_unexported(self, end: dt.date) -> None:
        """The export is taken at the end date: nothing entered after it is in it."""
        cutoff = sf_datetime(dt.datetime.combine(end, dt.time(23, 59, 59)))
        late = {row[0] for row in self.rows["Opportunity"] if row[12] > cutoff}
        for name, header in HEADERS.items():
            stamp = header.index("LoginTime" if name == "LoginHistory" else "CreatedDate")
            keep = []
            for row in self.rows[name]:
                if row[stamp] > cutoff or (name != "Opportunity" and late & set(row[1:4])):
                    continue
                if "LastModifiedDate" in header:
                    at = header.index("LastModifiedDate")
                    row[at] = min(row[at], cutoff)
                keep.append(row)
            self.rows[name] = keep

    def write(self, folder: Path, end: dt.date) -> dict[str, int]:
        """One CSV per object, as exported on `end` (nothing entered after it)."""
        folder.mkdir(parents=True, exist_ok=True)
        self._drop_unexported(end)
        counts = {}
        for name, header in HEADERS.items():
            rows = sorted(self.rows[name], key=lambda row: row[0])
            with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(rows)
            counts[name] = len(rows)
        return counts
