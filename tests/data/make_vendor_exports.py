"""Write one small CRM dataset as Salesforce, HubSpot and Pipedrive would export it.

Run `python tests/data/make_vendor_exports.py` to regenerate `tests/data/*_small/`.
The output is deterministic; each vendor's files carry that vendor's real quirks:
Salesforce Data Export is Windows-1252, fully quoted, GMT `2024-03-05 14:22:10` datetimes;
HubSpot uses labels, owners as names/emails/"(Deactivated User)", a non-breaking space in a
header, trailing spaces in stage values and a contacts file that is not a canonical table;
Pipedrive uses "Entity - Field" headers, Won/Lost/Open statuses and planned activities.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

HERE = Path(__file__).parent

# rep: (key, first, last, email, team, active)
REPS = [
    ("ava", "Ava", "Okafor", "ava.okafor@example.com", "West", True),
    ("jonas", "Jonas", "Müller", "jonas.mueller@example.com", "East", True),
    ("rosa", "Rosa", "Silva", "rosa.silva@example.com", "West", False),
    ("sam", "Sam", "Hart", "sam.hart@example.com", "Sales Support", True),
]
# account: (key, name, owner, industry, created)
ACCOUNTS = [
    ("acme", "Acme GmbH", "ava", "Manufacturing", "2024-01-08 09:00:00"),
    ("borealis", "Borealis Ltd", "jonas", "Retail", "2024-01-09 10:30:00"),
    ("cafe", "Café Ñandú", "rosa", "Finance", "2024-01-10 11:45:00"),
]
# deal: (name, account, owner, creator, stage, amount, currency, created, close, status)
DEALS = [
    ("Acme – line 2 retrofit", "acme", "ava", "ava", "Closed Won", 48000.0, "EUR",
     "2024-01-15 09:12:00", "2024-03-28", "won"),
    ("Acme – spare parts", "acme", "ava", "sam", "Closed Lost", 7500.5, "EUR",
     "2024-01-22 14:02:11", "2024-02-29", "lost"),
    ("Acme – service plan", "acme", "ava", "ava", "Proposal", 12000.0, "EUR",
     "2024-03-01 08:30:00", "2024-05-31", "open"),
    ("Borealis pilot", "borealis", "jonas", "jonas", "Closed Won", 9900.0, "USD",
     "2024-01-18 16:45:00", "2024-02-20", "won"),
    ("Borealis rollout", "borealis", "jonas", "sam", "Negotiation", None, "USD",
     "2024-02-26 10:00:00", "2024-06-30", "open"),
    ("Borealis \"EU\" stores", "borealis", "jonas", "jonas", "Closed Lost", 31000.0, "USD",
     "2024-02-02 13:20:00", "2024-03-15", "lost"),
    ("Café card terminals", "cafe", "rosa", "rosa", "Closed Won", 15250.0, "EUR",
     "2024-01-11 12:00:00", "2024-02-14", "won"),
    ("Café loyalty app", "cafe", "rosa", "sam", "Closed Lost", 22000.0, "EUR",
     "2024-01-25 15:30:00", "2024-03-01", "lost"),
    ("Café, second site", "cafe", "rosa", "rosa", "Qualification", 5000.0, "EUR",
     "2024-03-04 09:45:00", "2024-07-15", "open"),
    ("Acme robotics cell", "acme", "jonas", "jonas", "Closed Won", 120000.0, "EUR",
     "2024-02-05 11:11:00", "2024-03-22", "won"),
]
TYPES = ("Call", "Email", "Meeting")
OWNERS = ("ava", "ava", "jonas", "ava", "rosa", "jonas", "ava", "rosa", "jonas", "ava")


def _activities():
    """20 logged activities: (owner, creator, deal index or None, type, occurred, created)."""
    start = dt.datetime(2024, 1, 16, 9, 30)
    rows = []
    for n in range(20):
        owner = OWNERS[n % len(OWNERS)]
        deal = next((i for i, d in enumerate(DEALS) if d[2] == owner and (i + n) % 3), None)
        occurred = start + dt.timedelta(days=3 * n, hours=n % 5)
        lag = dt.timedelta(hours=1 + (n % 4) * 20)
        creator = "sam" if n % 7 == 3 else owner
        rows.append((owner, creator, deal if n % 6 else None, TYPES[n % 3], occurred,
                     occurred + lag))
    return rows


ACTIVITIES = _activities()


def _write(path: Path, header: list[str], rows: list[list], *, encoding: str = "utf-8",
           quoting: int = csv.QUOTE_MINIMAL) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, quoting=quoting, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])


def _rep(key: str) -> tuple:
    return next(r for r in REPS if r[0] == key)


def _name(key: str) -> str:
    rep = _rep(key)
    return f"{rep[1]} {rep[2]}"


# ---- Salesforce ------------------------------------------------------------------------
def _sf_id(prefix: str, n: int) -> str:
    return f"{prefix}5g0000{n:06d}AAA"[:18].ljust(18, "A")


def salesforce(folder: Path) -> None:
    user = {r[0]: _sf_id("005", i + 1) for i, r in enumerate(REPS)}
    account = {a[0]: _sf_id("001", i + 1) for i, a in enumerate(ACCOUNTS)}
    opportunity = [_sf_id("006", i + 1) for i in range(len(DEALS))]
    common = {"encoding": "cp1252", "quoting": csv.QUOTE_ALL}
    _write(folder / "User.csv",
           ["Id", "Username", "FirstName", "LastName", "Name", "Email", "Department",
            "IsActive", "CreatedDate"],
           [[user[k], e, f, la, f"{f} {la}", e, t, "1" if a else "0", "2023-06-01 08:00:00"]
            for k, f, la, e, t, a in REPS], **common)
    _write(folder / "Account.csv",
           ["Id", "Name", "OwnerId", "Industry", "CreatedDate"],
           [[account[k], n, user[o], i, c] for k, n, o, i, c in ACCOUNTS], **common)
    _write(folder / "Opportunity.csv",
           ["Id", "AccountId", "OwnerId", "CreatedById", "Name", "StageName", "Amount",
            "CurrencyIsoCode", "CloseDate", "IsClosed", "IsWon", "CreatedDate"],
           [[opportunity[i], account[a], user[o], user[c], n, s, amt, cur, f"{close} 00:00:00",
             "true" if st != "open" else "false", "true" if st == "won" else "", created]
            for i, (n, a, o, c, s, amt, cur, created, close, st) in enumerate(DEALS)], **common)
    tasks, events = [], []
    for n, (owner, creator, deal, kind, occurred, created) in enumerate(ACTIVITIES):
        what = opportunity[deal] if deal is not None else ""
        stamp = created.strftime("%Y-%m-%d %H:%M:%S")
        if kind == "Meeting":
            events.append([_sf_id("00U", n + 1), user[owner], user[creator], what, kind,
                           occurred.strftime("%Y-%m-%d %H:%M:%S"), stamp])
        else:
            tasks.append([_sf_id("00T", n + 1), user[owner], user[creator], what,
                          "" if kind == "Call" else kind, "Call" if kind == "Call" else "Email",
                          occurred.strftime("%Y-%m-%d 00:00:00"), stamp])
    _write(folder / "Task.csv",
           ["Id", "OwnerId", "CreatedById", "WhatId", "Type", "TaskSubtype", "ActivityDate",
            "CreatedDate"], tasks, **common)
    _write(folder / "Event.csv",
           ["Id", "OwnerId", "CreatedById", "WhatId", "Type", "ActivityDateTime", "CreatedDate"],
           events, **common)


# ---- HubSpot --------------------------------------------------------------------------
def _hs_owner(key: str) -> str:
    if key == "rosa":
        return f"{_name(key)} (Deactivated User)"
    if key == "jonas":
        return _rep(key)[3]  # some exports show the owner's email
    return _name(key)


def hubspot(folder: Path) -> None:
    user = {r[0]: str(51234000 + i) for i, r in enumerate(REPS)}
    company = {a[0]: str(18100000001 + i) for i, a in enumerate(ACCOUNTS)}
    deal_ids = [str(9301000001 + i) for i in range(len(DEALS))]
    _write(folder / "hubspot-users.csv",
           ["First Name", "Last Name", "Email", "User ID", "Teams"],
           [[f, la, e, user[k], t] for k, f, la, e, t, _ in REPS])
    _write(folder / "hubspot-crm-exports-all-companies-2024-03-31.csv",
           ["Record ID", "Company name", "Company owner", "Create Date", "Industry"],
           [[company[k], n, _hs_owner(o), c[:16], i.upper()] for k, n, o, i, c in ACCOUNTS])
    _write(folder / "hubspot-crm-exports-all-deals-2024-03-31.csv",
           ["Record ID", "Deal Name", "Deal Stage ", "Pipeline", "Amount\xa0", "Close Date",
            "Create Date", "Deal owner", "Created by user ID", "Is Closed Won",
            "Is closed lost", "Currency", "Associated Company IDs", "Last Activity Date"],
           [[deal_ids[i], n, {"won": "Closed won ", "lost": "Closed lost "}.get(st, s + " "),
             "Sales Pipeline", amt, f"{close} 00:00", created[:16], _hs_owner(o), user[c],
             "true" if st == "won" else "false", "true" if st == "lost" else "false", cur,
             company[a], ""]
            for i, (n, a, o, c, s, amt, cur, created, close, st) in enumerate(DEALS)])
    header = ["Record ID", "{title}", "Activity date", "Activity assigned to", "Create date",
              "Created by user ID", "Associated Deal IDs"]
    titles = {"Call": "Call Title", "Email": "Email subject", "Meeting": "Meeting name"}
    for kind, title in titles.items():
        rows = [[str(7700000 + n), f"{kind} {n}", occurred.strftime("%Y-%m-%d %H:%M"),
                 _hs_owner(owner), created.strftime("%Y-%m-%d %H:%M"), user[creator],
                 deal_ids[deal] if deal is not None else ""]
                for n, (owner, creator, deal, k, occurred, created) in enumerate(ACTIVITIES)
                if k == kind]
        _write(folder / f"hubspot-crm-exports-{kind.lower()}s.csv",
               [title if h == "{title}" else h for h in header], rows)
    _write(folder / "hubspot-crm-exports-tasks.csv",
           ["Record ID", "Task Title", "Task status", "Activity assigned to", "Activity date",
            "Create date"],
           [["7790001", "Plan Q3 review", "Not started", _name("ava"), "2024-04-10 09:00",
             "2024-03-30 10:00"]])
    _write(folder / "hubspot-crm-exports-contacts.csv",
           ["Record ID", "First Name", "Last Name", "Email", "Contact owner", "Create Date",
            "Company Name"],
           [["601", "Lena", "Kraus", "lena.kraus@acme.example", _name("ava"),
             "2024-01-08 09:30", "Acme GmbH"]])


# ---- Pipedrive ------------------------------------------------------------------------
def pipedrive(folder: Path) -> None:
    org = {a[0]: str(301 + i) for i, a in enumerate(ACCOUNTS)}
    _write(folder / "users.csv", ["Name", "Email", "Active"],
           [[f"{f} {la}", e, "true" if a else "false"] for _, f, la, e, _, a in REPS])
    _write(folder / "organizations.csv",
           ["Organization - ID", "Organization - Name", "Organization - Owner",
            "Organization - Add time"],
           [[org[k], n, _name(o), c] for k, n, o, _, c in ACCOUNTS])
    _write(folder / "deals.csv",
           ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Currency", "Deal - Status",
            "Deal - Stage", "Deal - Owner", "Deal - Creator", "Deal - Deal created",
            "Deal - Won time", "Deal - Lost time", "Deal - Expected close date",
            "Deal - Organization", "Organization - ID"],
           [[str(i + 1), n, amt, cur, st.capitalize(), s, _name(o), _name(c), created,
             f"{close} 17:00:00" if st == "won" else "",
             f"{close} 17:00:00" if st == "lost" else "", close,
             next(x[1] for x in ACCOUNTS if x[0] == a), org[a]]
            for i, (n, a, o, c, s, amt, cur, created, close, st) in enumerate(DEALS)])
    rows = [[str(n + 1), kind, f"{kind} {n}", occurred.strftime("%Y-%m-%d"),
             occurred.strftime("%H:%M"), "Done", created.strftime("%Y-%m-%d %H:%M:%S"),
             _name(owner), _name(creator), str(deal + 1) if deal is not None else ""]
            for n, (owner, creator, deal, kind, occurred, created) in enumerate(ACTIVITIES)]
    rows.append(["99", "Call", "Planned follow-up", "2024-04-12", "10:00", "Not done",
                 "2024-03-30 09:00:00", _name("ava"), _name("ava"), "3"])
    _write(folder / "activities.csv",
           ["Activity - ID", "Activity - Type", "Activity - Subject", "Activity - Due date",
            "Activity - Due time", "Activity - Done", "Activity - Add time",
            "Activity - Assigned to user", "Activity - Creator", "Activity - Deal ID"], rows)


def main() -> None:
    salesforce(HERE / "salesforce_small")
    hubspot(HERE / "hubspot_small")
    pipedrive(HERE / "pipedrive_small")


if __name__ == "__main__":
    main()
