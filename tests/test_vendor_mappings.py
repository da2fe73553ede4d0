"""The same small dataset exported by Salesforce, HubSpot and Pipedrive ingests identically."""

from __future__ import annotations

import pytest

from generator.config import load_config
from generator.db import connect
from generator.ingest import BUILTIN, builtin_mapping, ingest_folder

from .conftest import DATA

VENDORS = ("salesforce", "hubspot", "pipedrive")


def ingest(vendor: str, fmt: str = "auto"):
    con = connect()
    report = ingest_folder(con, DATA / f"{vendor}_small", load_config(), fmt)
    return con, report


def canonical_view(con) -> dict[str, list[tuple]]:
    """Vendor-independent facts: people by name, deals by name, activity counts."""
    deals = con.execute("""
        select d.name, o.name, c.name, a.name, d.amount, d.currency, d.close_date,
               d.created_at, d.is_closed, d.is_won
        from deals d
        left join reps o on o.rep_id = d.owner_rep_id
        left join reps c on c.rep_id = d.created_by_rep_id
        left join accounts a on a.account_id = d.account_id
        order by d.name""").fetchall()
    activities = con.execute("""
        select o.name, lower(x.type), count(*), count(x.deal_id),
               count(*) filter (where x.created_by_rep_id <> x.owner_rep_id)
        from activities x left join reps o on o.rep_id = x.owner_rep_id
        group by all order by all""").fetchall()
    reps = con.execute("select name, email, is_rep from reps order by name").fetchall()
    accounts = con.execute("""
        select a.name, o.name from accounts a left join reps o on o.rep_id = a.owner_rep_id
        order by 1""").fetchall()
    return {"deals": deals, "activities": activities, "reps": reps, "accounts": accounts}


@pytest.fixture(scope="module")
def views():
    return {vendor: canonical_view(ingest(vendor)[0]) for vendor in VENDORS}


def test_builtin_formats_are_all_shipped():
    assert BUILTIN == ("salesforce", "hubspot", "pipedrive", "generic")
    for name in BUILTIN:
        assert builtin_mapping(name).description


@pytest.mark.parametrize("vendor", VENDORS)
def test_format_is_auto_detected(vendor):
    _, report = ingest(vendor)
    assert report.mapping == vendor
    assert {f.table for f in report.files} >= {"reps", "accounts", "deals", "activities"}


def test_reference_dataset_reads_as_written(views):
    deals = views["salesforce"]["deals"]
    assert len(deals) == 10
    won = [d for d in deals if d[9]]
    assert sorted(d[0] for d in won) == ["Acme robotics cell", "Acme – line 2 retrofit",
                                          "Borealis pilot", "Café card terminals"]
    assert sum(d[8] for d in deals) == 7
    assert next(d for d in deals if d[0] == "Borealis rollout")[:6] == \
        ("Borealis rollout", "Jonas Müller", "Sam Hart", "Borealis Ltd", None, "USD")
    assert sum(row[2] for row in views["salesforce"]["activities"]) == 20


@pytest.mark.parametrize("vendor", ["hubspot", "pipedrive"])
def test_vendor_gives_the_same_deals_as_salesforce(views, vendor):
    expected = [d[:7] + d[8:] for d in views["salesforce"]["deals"]]
    assert [d[:7] + d[8:] for d in views[vendor]["deals"]] == expected


@pytest.mark.parametrize("vendor", ["hubspot", "pipedrive"])
def test_vendor_gives_the_same_activities_reps_and_accounts(views, vendor):
    for table in ("activities", "reps", "accounts"):
        assert views[vendor][table] == views["salesforce"][table], table


def test_hubspot_owners_as_names_emails_and_deactivated_resolve_to_users(views):
    owners = {d[1] for d in views["hubspot"]["deals"]}
    assert owners == {"Ava Okafor", "Jonas Müller", "Rosa Silva"}


def test_hubspot_contacts_and_open_tasks_are_not_loaded():
    con, report = ingest("hubspot")
    assert [p.name for p in report.skipped] == ["hubspot-crm-exports-contacts.csv"]
    assert con.execute("select count(*) from activities where type = 'Task'").fetchall() == [(0,)]


def test_pipedrive_planned_activity_is_dropped():
    con, _ = ingest("pipedrive")
    assert con.execute("select count(*) from activities where activity_id = '99'"
                       ).fetchall() == [(0,)]


def test_deal_creation_times_match_to_the_minute(views):
    minutes = {v: [d[7].replace(second=0) for d in views[v]["deals"]] for v in VENDORS}
    assert minutes["hubspot"] == minutes["salesforce"] == minutes["pipedrive"]


def test_hubspot_association_cells_listing_several_ids_count_for_the_first(tmp_path):
    """HubSpot writes every associated record into one cell ("123;456"): the first counts,
    so the activity lands on a real deal instead of an orphan ID."""
    import shutil

    folder = tmp_path / "hubspot"
    shutil.copytree(DATA / "hubspot_small", folder)
    calls = folder / "hubspot-crm-exports-calls.csv"
    lines = calls.read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    first[header.index("Associated Deal IDs")] = '"9301000002; 9301000001"'
    calls.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    con = connect()
    ingest_folder(con, folder, load_config(), "hubspot")
    assert con.execute("select deal_id from activities where activity_id = ?",
                       [first[0]]).fetchall() == [("9301000002",)]
    orphans = con.execute("select count(*) from activities a left join deals d using (deal_id) "
                          "where a.deal_id is not null and d.deal_id is null").fetchall()
    assert orphans == [(0,)]
