"""Write realistic third-party exports, built from the vendors' documented layouts, for the
"real exports, read right" tests (issue 14). No real organisation's data: every name,
amount and date comes from a seeded generator.

Run `python tests/data/make_real_exports.py` to regenerate `tests/data/real_*/`:

- `real_sf_data_export/`: a Salesforce Setup > Data Export. Windows-1252, every value
  quoted, GMT `2023-05-11 14:02:11` datetimes, NUL bytes inside one rich-text field (Task
  Description), tasks in Completed, Not Started and In Progress states (`Status` and
  `IsClosed`), and OpportunityHistory, OpportunityLineItem, Lead, Contact, Campaign and
  Case files beside the usual User, Account, Opportunity, Task and Event. Some deals close
  after the newest created date.
- `real_hubspot_no_create_date/`: a HubSpot deals export without `Create Date` and without
  any created-by column; a custom pipeline whose "Closed lost" stage is not closed
  (`Is closed lost` = false) for some deals.
- `real_hubspot_no_owner/`: the same deals as XLSX (dates as Excel cells, some as serial
  numbers), without `Deal owner`.
- `real_custom_crm/`: a HubSpot-shaped export with its own headers ("Opportunity Ref",
  "Account Manager", "Outcome"...) and an activity log mixing calls, emails, meetings,
  notes and tasks (open and done), with who logged each and when.
- `real_analytics/`: a sales-analytics CSV set (accounts, products, sales_pipeline,
  sales_teams) with snake_case headers, won/lost only in `deal_stage`, no created-by
  information and no activities.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).parent
AS_OF = dt.date(2024, 6, 28)  # a Friday; the exports end here
START = AS_OF - dt.timedelta(days=200)
FIRST = ["Ava", "Jonas", "Mette", "Rafael", "Chloé", "Kenji", "Priya", "Tomás"]
LAST = ["Okafor", "Müller", "Lindqvist", "Duarte", "Lefèvre", "Sato", "Raman", "Ibáñez"]
COMPANIES = ["Acme GmbH", "Borealis Ltd", "Café Ñandú", "Dunmore & Sons", "Edda AB",
             "Fjord Logistics", "Grünwald KG", "Hélios SA", "Ibis Foods", "Jaguar Tiles"]
STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation"]


def _write(path: Path, header: list[str], rows: list[list], *, encoding: str = "utf-8",
           quoting: int = csv.QUOTE_MINIMAL, delimiter: str = ",") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, quoting=quoting, delimiter=delimiter,
                            lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])


def _workday(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    while True:
        day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
        if day.weekday() < 5:
            return day


def _stamp(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59),
                                            rng.randint(0, 59)))


def deals(rng: random.Random, reps: int, count: int) -> list[dict]:
    """Deals with an owner index, created/close dates, stage, amount and outcome."""
    out = []
    for n in range(count):
        created = _workday(rng, START, AS_OF - dt.timedelta(days=10))
        status = rng.choices(["won", "lost", "open"], weights=[3, 4, 3])[0]
        close = created + dt.timedelta(days=rng.randint(8, 90))
        if status != "open" and close > AS_OF:
            close = AS_OF - dt.timedelta(days=rng.randint(0, 3))
        out.append({"n": n, "owner": n % reps, "created": _stamp(created, rng),
                    "close": close, "status": status, "amount": round(rng.uniform(2, 90)) * 500,
                    "stage": {"won": "Closed Won", "lost": "Closed Lost"}.get(
                        status, rng.choice(STAGES)),
                    "company": n % len(COMPANIES)})
    return out


# ---- Salesforce Data Export --------------------------------------------------------------
def _sf(prefix: str, n: int) -> str:
    return f"{prefix}8d0000{n:06d}A"[:15] + "AAA"


def salesforce_data_export(folder: Path) -> None:
    rng = random.Random(14)
    quoted = {"encoding": "cp1252", "quoting": csv.QUOTE_ALL}
    users = [_sf("005", i + 1) for i in range(5)]
    names = [(FIRST[i], LAST[i]) for i in range(5)]
    _write(folder / "User.csv",
           ["Id", "Username", "FirstName", "LastName", "Name", "Email", "Department",
            "IsActive", "UserRoleId", "ProfileId", "AccountId", "CreatedDate"],
           [[users[i], f"{f.lower()}@example.com.prod", f, la, f"{f} {la}",
             f"{f.lower()}@example.com", "Sales", "1", "00E8d000000001AAA", "00e8d000000002AAA",
             "", "2023-05-11 14:02:11"] for i, (f, la) in enumerate(names)], **quoted)
    accounts = [_sf("001", i + 1) for i in range(len(COMPANIES))]
    _write(folder / "Account.csv",
           ["Id", "Name", "OwnerId", "Industry", "BillingCity", "Type", "CreatedDate"],
           [[accounts[i], name, users[i % 5], "Manufacturing", "Lyon", "Customer",
             "2023-06-01 09:00:00"] for i, name in enumerate(COMPANIES)], **quoted)
    found = deals(rng, 5, 60)
    opps = [_sf("006", d["n"] + 1) for d in found]
    late = {3, 17, 29}  # closed after the newest created date of the whole export
    for d in found:
        if d["n"] in late:
            d["status"], d["stage"], d["close"] = "won", "Closed Won", AS_OF
    _write(folder / "Opportunity.csv",
           ["Id", "AccountId", "OwnerId", "CreatedById", "Name", "StageName", "Amount",
            "CurrencyIsoCode", "CloseDate", "IsClosed", "IsWon", "Probability",
            "ExpectedRevenue", "ForecastCategory", "NextStep", "CreatedDate",
            "LastModifiedDate"],
           [[opps[d["n"]], accounts[d["company"]], users[d["owner"]],
             users[d["owner"]] if d["n"] % 4 else users[4], f"{COMPANIES[d['company']]} {d['n']}",
             d["stage"], d["amount"], "EUR", d["close"].isoformat(),
             "true" if d["status"] != "open" else "false",
             "true" if d["status"] == "won" else "false", "100" if d["status"] == "won" else "0",
             d["amount"], "Closed" if d["status"] != "open" else "Pipeline",
             "Call back" if d["status"] == "open" else "",
             d["created"].strftime("%Y-%m-%d %H:%M:%S"),
             d["created"].strftime("%Y-%m-%d %H:%M:%S")] for d in found], **quoted)
    tasks, events = [], []
    statuses = ["Completed"] * 6 + ["Not Started", "In Progress"]
    for n in range(160):
        d = found[n % len(found)]
        owner = d["owner"]
        day = _workday(rng, d["created"].date(), min(d["close"], AS_OF - dt.timedelta(days=2)))
        created = _stamp(day, rng) + dt.timedelta(hours=rng.choice([0, 0, 1, 30]))
        status = statuses[n % len(statuses)]
        due = day + dt.timedelta(days=7) if status != "Completed" else day
        note = "Spoke to the buyer\x00 about pricing" if n % 9 == 0 else "Follow-up"
        if n % 5 == 4:
            events.append([_sf("00U", n), users[owner], users[owner], opps[d["n"]], "Meeting",
                           created.strftime("%Y-%m-%d %H:%M:%S"),
                           created.strftime("%Y-%m-%d %H:%M:%S")])
            continue
        tasks.append([_sf("00T", n), users[owner], users[owner], opps[d["n"]],
                      accounts[d["company"]], "Call", "Call", status,
                      "true" if status == "Completed" else "false",
                      f"{due.isoformat()} 00:00:00", note,
                      created.strftime("%Y-%m-%d %H:%M:%S")])
    _write(folder / "Task.csv",
           ["Id", "OwnerId", "CreatedById", "WhatId", "AccountId", "Subject", "TaskSubtype",
            "Status", "IsClosed", "ActivityDate", "Description", "CreatedDate"], tasks, **quoted)
    _write(folder / "Event.csv",
           ["Id", "OwnerId", "CreatedById", "WhatId", "Type", "ActivityDateTime",
            "CreatedDate"], events, **quoted)
    _write(folder / "OpportunityHistory.csv",
           ["Id", "OpportunityId", "StageName", "Amount", "ExpectedRevenue", "CloseDate",
            "Probability", "ForecastCategory", "CreatedById", "CreatedDate"],
           [[_sf("008", d["n"]), opps[d["n"]], d["stage"], d["amount"], d["amount"],
             d["close"].isoformat(), "10", "Pipeline", users[d["owner"]],
             d["created"].strftime("%Y-%m-%d %H:%M:%S")] for d in found], **quoted)
    _write(folder / "OpportunityLineItem.csv",
           ["Id", "OpportunityId", "PricebookEntryId", "Quantity", "UnitPrice", "TotalPrice"],
           [[_sf("00k", d["n"]), opps[d["n"]], "01u8d000000001AAA", "2", "250", "500"]
            for d in found[:10]], **quoted)
    _write(folder / "Lead.csv",
           ["Id", "OwnerId", "Name", "Company", "Industry", "LeadSource", "Status",
            "IsConverted", "Email", "CreatedDate"],
           [[_sf("00Q", i), users[i % 5], f"Lead {i}", f"Prospect {i} SARL", "Retail", "Web",
             "Open - Not Contacted", "false", f"lead{i}@prospect.example",
             "2024-02-01 10:00:00"] for i in range(120)], **quoted)
    _write(folder / "Contact.csv",
           ["Id", "AccountId", "OwnerId", "FirstName", "LastName", "Name", "Email",
            "MailingCity", "ReportsToId", "CreatedDate"],
           [[_sf("003", i), accounts[i % 10], users[i % 5], "Lena", f"Kraus{i}",
             f"Lena Kraus{i}", f"lena{i}@customer.example", "Graz", "",
             "2024-01-15 10:00:00"] for i in range(40)], **quoted)
    _write(folder / "Campaign.csv",
           ["Id", "Name", "Type", "Status", "StartDate", "EndDate", "BudgetedCost", "OwnerId"],
           [[_sf("701", 1), "Spring fair", "Event", "Completed", "2024-03-01", "2024-03-03",
             "5000", users[0]]], **quoted)
    _write(folder / "Case.csv",
           ["Id", "CaseNumber", "AccountId", "OwnerId", "Status", "Origin", "Priority",
            "CreatedDate"],
           [[_sf("500", 1), "00001001", accounts[0], users[1], "New", "Email", "High",
             "2024-04-02 08:00:00"]], **quoted)


# ---- HubSpot ---------------------------------------------------------------------------
HUBSPOT_DEALS = ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date",
                 "Deal owner", "Is Closed Won", "Is closed lost", "Last Modified Date"]


def _hubspot_rows(rng: random.Random) -> list[dict]:
    found = deals(rng, 4, 48)
    for d in found:
        # a custom pipeline names a stage "Closed lost" that HubSpot does not treat as closed
        d["custom"] = d["status"] == "lost" and d["n"] % 6 == 1
        d["modified"] = _stamp(min(d["close"], AS_OF), rng)
    return found


def hubspot_no_create_date(folder: Path) -> None:
    rng = random.Random(15)
    owners = [f"{FIRST[i]} {LAST[i]}" for i in range(4)]
    rows = []
    for d in _hubspot_rows(rng):
        lost = d["status"] == "lost" and not d["custom"]
        rows.append([str(9400000000 + d["n"]), f"{COMPANIES[d['company']]} {d['n']}",
                     {"won": "Closed won", "lost": "Closed lost"}.get(d["status"], "Appointment "
                                                                       "scheduled"),
                     "Partner pipeline" if d["custom"] else "Sales Pipeline",
                     d["amount"] if d["n"] % 7 else "", f"{d['close'].isoformat()} 00:00",
                     owners[d["owner"]], "true" if d["status"] == "won" else "false",
                     "true" if lost else "false", d["modified"].strftime("%Y-%m-%d %H:%M")])
    _write(folder / "hubspot-crm-exports-all-deals-2024-06-28.csv", HUBSPOT_DEALS, rows)


def hubspot_no_owner(folder: Path) -> None:
    import openpyxl

    rng = random.Random(15)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "All deals"
    header = [h for h in HUBSPOT_DEALS if h != "Deal owner"] + ["Create Date"]
    sheet.append(header)
    for d in _hubspot_rows(rng):
        lost = d["status"] == "lost" and not d["custom"]
        sheet.append([9400000000 + d["n"], f"{COMPANIES[d['company']]} {d['n']}",
                      {"won": "Closed won", "lost": "Closed lost"}.get(
                          d["status"], "Appointment scheduled"),
                      "Partner pipeline" if d["custom"] else "Sales Pipeline",
                      d["amount"] if d["n"] % 7 else None, d["close"],
                      d["status"] == "won", lost, d["modified"], d["created"]])
        if d["n"] % 5 == 0:  # a date Excel kept as its serial number
            cell = sheet.cell(row=sheet.max_row, column=len(header))
            cell.value = (d["created"] - dt.datetime(1899, 12, 30)).total_seconds() / 86400
            cell.number_format = "General"
    folder.mkdir(parents=True, exist_ok=True)
    _save_fixed(book, folder / "hubspot-crm-exports-all-deals-2024-06-28.xlsx")


def _save_fixed(book, path: Path) -> None:
    """Save a workbook with fixed timestamps, so the same data gives the same bytes."""
    import io
    import re
    import zipfile

    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                              rb"\g<1>2024-06-28T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(item.filename, (2024, 6, 28, 0, 0, 0)), data,
                         zipfile.ZIP_DEFLATED)


# ---- a layout nobody shipped: custom headers and a mixed activity log ---------------------
def custom_crm(folder: Path) -> None:
    rng = random.Random(16)
    managers = [f"{FIRST[i]} {LAST[i]}" for i in range(6)]
    found = deals(rng, 6, 90)
    _write(folder / "opportunities.csv",
           ["Opportunity Ref", "Title", "Account Manager", "Opened On", "Phase", "Outcome",
            "Value (EUR)", "Decided On", "Next Action"],
           [[f"OPP-{d['n']:04d}", f"{COMPANIES[d['company']]} {d['n']}", managers[d["owner"]],
             d["created"].strftime("%d.%m.%Y %H:%M"), d["stage"],
             {"won": "Won", "lost": "Lost"}.get(d["status"], "Open"),
             f"{d['amount']:.2f}".replace(".", ","),
             d["close"].strftime("%d.%m.%Y") if d["status"] != "open" else "",
             "Send proposal" if d["status"] == "open" and d["n"] % 2 else ""]
            for d in found], delimiter=";")
    kinds = ["Call", "Email", "Meeting", "Note", "Task"]
    rows = []
    for n in range(420):
        d = found[n % len(found)]
        owner = d["owner"]
        habit = {0: 1, 1: 1, 2: 3, 3: 6, 4: 12, 5: 20}[owner]  # days late, typically
        day = _workday(rng, d["created"].date(), min(d["close"], AS_OF))
        happened = _stamp(day, rng)
        logged = happened + dt.timedelta(days=rng.randint(0, habit), hours=1)
        kind = kinds[n % 5]
        status = ("Open" if n % 3 == 0 else "Done") if kind == "Task" else ""
        by = managers[owner] if n % 11 else "Sales Assistant"
        rows.append([f"ACT-{n:05d}", kind, f"OPP-{d['n']:04d}", managers[owner], by,
                     happened.strftime("%d.%m.%Y %H:%M"), logged.strftime("%d.%m.%Y %H:%M"),
                     status])
    _write(folder / "activity_log.csv",
           ["Activity Ref", "Kind", "Opportunity Ref", "Account Manager", "Logged By",
            "Happened At", "Logged At", "Task State"], rows, delimiter=";")


# ---- a sales-analytics CSV set -------------------------------------------------------------
def analytics(folder: Path) -> None:
    rng = random.Random(17)
    agents = [f"{FIRST[i]} {LAST[i]}" for i in range(8)]
    _write(folder / "sales_teams.csv", ["sales_agent", "manager", "regional_office"],
           [[a, "Dana Whitfield" if i < 4 else "Omar Haddad", "Central" if i < 4 else "West"]
            for i, a in enumerate(agents)])
    _write(folder / "accounts.csv",
           ["account", "sector", "year_established", "revenue", "employees",
            "office_location", "subsidiary_of"],
           [[c, "retail", 1990 + i, 1000 + 37 * i, 40 * (i + 1), "Germany", ""]
            for i, c in enumerate(COMPANIES)])
    _write(folder / "products.csv", ["product", "series", "sales_price"],
           [["GTX Basic", "GTX", 550], ["MG Special", "MG", 55], ["GTK 500", "GTK", 26768]])
    rows = []
    for d in deals(rng, 8, 160):
        stage = {"won": "Won", "lost": "Lost"}.get(d["status"],
                                                   rng.choice(["Prospecting", "Engaging"]))
        closed = stage in ("Won", "Lost")
        rows.append([f"OP{d['n']:05d}", agents[d["owner"]],
                     ["GTX Basic", "MG Special", "GTK 500"][d["n"] % 3],
                     COMPANIES[d["company"]] if stage != "Prospecting" else "", stage,
                     d["created"].date().isoformat() if stage != "Prospecting" else "",
                     d["close"].isoformat() if closed else "",
                     d["amount"] if stage == "Won" else (0 if closed else "")])
    _write(folder / "sales_pipeline.csv",
           ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date",
            "close_date", "close_value"], rows)


def main() -> None:
    salesforce_data_export(HERE / "real_sf_data_export")
    hubspot_no_create_date(HERE / "real_hubspot_no_create_date")
    hubspot_no_owner(HERE / "real_hubspot_no_owner")
    custom_crm(HERE / "real_custom_crm")
    analytics(HERE / "real_analytics")


if __name__ == "__main__":
    main()
