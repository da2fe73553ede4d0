"""`crmproof digest` and the reps' Atom feed, between two builds of data made to change.

Between the two as-of dates Ann starts logging daily (none -> grade-A, a streak starts, a
program week is completed), Bob stops (grade-A -> none, his streak breaks, his deal goes
dark), Cy never logs, and a story is published. Each expected number is worked out here
from the rows written, not read from crmproof.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import run_cli

D1, D2 = dt.date(2026, 3, 4), dt.date(2026, 3, 18)
ATOM = "{http://www.w3.org/2005/Atom}"
NAMES = {"A": "Ann Lee", "B": "Bob Ray", "C": "Cy Poe"}
STALE_DAYS = 14
SETTINGS = """\
data:
  folder: export
  format: generic
period_days: 7
history_periods: 4
program:
  start_date: 2026-02-02
site:
  name: Digest test
"""
STORY = """\
---
title: "Ten days of fifteen minutes"
date: 2026-03-10
rep: A
consent: false
---

A rep in the West team started a daily window.
"""


def _workdays(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)
            if (first + dt.timedelta(days=i)).weekday() < 5]


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _deal(deal_id: str, owner: str, created: dt.date) -> dict:
    return {"deal_id": deal_id, "owner_rep_id": owner, "created_by_rep_id": owner,
            "name": f"Deal {deal_id}", "stage": "Prospecting", "amount": "1000",
            "currency": "USD", "created_at": f"{created}T10:00:00", "close_date": "2026-06-30",
            "is_closed": "false", "is_won": "false", "next_step": "Call back"}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("digest")
    export = root / "export"
    export.mkdir()
    _write(export / "reps.csv", [{"rep_id": r, "name": n, "email": f"{r.lower()}@x.example",
                                  "team": "West", "start_date": "2025-01-06", "active": "true",
                                  "role": "Account Executive"} for r, n in NAMES.items()])
    deals = [_deal("a1", "A", dt.date(2026, 3, 9)), _deal("b1", "B", dt.date(2026, 2, 2)),
             _deal("c1", "C", dt.date(2026, 2, 2)), _deal("c2", "C", dt.date(2026, 3, 1))]
    activities = []
    for owner, deal, days in (("A", "a1", _workdays(dt.date(2026, 3, 9), D2)),
                              ("B", "b1", _workdays(dt.date(2026, 2, 2), D1))):
        for day in days:
            activities.append({"activity_id": f"{owner}{day}", "owner_rep_id": owner,
                               "created_by_rep_id": owner, "deal_id": deal, "type": "Call",
                               "occurred_at": f"{day}T10:00:00", "created_at": f"{day}T16:35:00"})
    _write(export / "deals.csv", deals)
    _write(export / "activities.csv", activities)
    (root / "crmproof.yml").write_text(SETTINGS, encoding="utf-8")
    (root / "content" / "stories").mkdir(parents=True)
    (root / "content" / "stories" / "ten-days.md").write_text(STORY, encoding="utf-8")
    (root / "coaching").mkdir()
    (root / "coaching" / "log.csv").write_text(
        "date,rep,kind,notes\n2026-03-05,Bob Ray,one-on-one,Asked why\n"
        "2026-03-16,Ann Lee,one-on-one,Said how pleased I am\n", encoding="utf-8")
    for day in (D1, D2):
        result = run_cli("build", "--as-of", day.isoformat(), "--quiet", cwd=root)
        assert result.exit_code == 0, result.output
    return root


def _stale(project: Path, as_of: dt.date) -> int:
    """Open deals with no activity in the stale_days days up to as-of, from the CSVs."""
    with (project / "export" / "activities.csv").open(encoding="utf-8") as handle:
        touched = {(row["deal_id"], dt.date.fromisoformat(row["occurred_at"][:10]))
                   for row in csv.DictReader(handle)}
    with (project / "export" / "deals.csv").open(encoding="utf-8") as handle:
        deals = [row for row in csv.DictReader(handle)
                 if dt.date.fromisoformat(row["created_at"][:10]) <= as_of]
    first = as_of - dt.timedelta(days=STALE_DAYS - 1)
    return sum(1 for d in deals if not any(deal == d["deal_id"] and first <= day <= as_of
                                           for deal, day in touched))


def _digest(project: Path, *args: str):
    result = run_cli("digest", *args, cwd=project)
    assert result.exit_code == 0, result.output
    return result.output


def test_each_build_keeps_its_summary(project):
    history = project / ".crmproof-cache" / "history"
    assert sorted(p.name for p in history.iterdir()) == [f"{D1}.json", f"{D2}.json"]
    kept = json.loads((history / f"{D2}.json").read_text(encoding="utf-8"))
    assert kept["reps"]["A"]["tier"] == "grade_a" and kept["reps"]["B"]["tier"] == "none"


def test_digest_since_the_previous_build_says_what_changed(project):
    data = json.loads(_digest(project, "--output", "json"))
    assert (data["since"], data["as_of"], data["changed"]) == (D1.isoformat(), D2.isoformat(),
                                                               True)
    assert (data["tiers"]["up"], data["tiers"]["down"]) == (1, 1)
    assert data["tiers"]["moves"] == []  # team-level: privacy is anonymous
    assert (data["streaks"]["started"], data["streaks"]["broken"]) == (1, 1)
    # Ann's week of 9 March is the only program week completed between the two builds
    assert (data["program"]["weeks_completed"], data["program"]["reps"]) == (1, 1)
    assert data["dark_pipeline"]["before"]["stale_deals"] == _stale(project, D1) == 2
    assert data["dark_pipeline"]["after"]["stale_deals"] == _stale(project, D2) == 3
    assert [s["title"] for s in data["stories"]] == ["Ten days of fifteen minutes"]
    assert "follow_ups" not in data


def test_the_reps_digest_names_nobody(project):
    for output in ("md", "html", "json"):
        text = _digest(project, "--output", output)
        assert not any(part in text for name in NAMES.values() for part in name.split())
    md = _digest(project)
    assert "1 rep moved up a tier, 1 rep moved down." in md
    assert "[Ten days of fifteen minutes](stories/" in md


def test_the_managers_digest_names_reps_and_lists_follow_ups(project):
    data = json.loads(_digest(project, "--audience", "manager", "--output", "json"))
    assert {(m["rep"], m["from"], m["to"]) for m in data["tiers"]["moves"]} == {
        ("Ann Lee", "none", "grade_a"), ("Bob Ray", "grade_a", "none")}
    assert data["streaks"]["started_by"] == ["Ann Lee"]
    assert data["streaks"]["broken_by"] == ["Bob Ray"]
    assert data["follow_ups"] == [{"rep": "Bob Ray", "date": "2026-03-12", "status": "overdue"},
                                  {"rep": "Ann Lee", "date": "2026-03-23", "status": "due"}]
    html = _digest(project, "--audience", "manager", "--output", "html")
    assert html.startswith("<!DOCTYPE html>") and "Bob Ray: overdue (2026-03-12)" in html


def test_since_a_date_measures_the_same_export_as_of_then(project):
    previous = json.loads(_digest(project, "--output", "json"))
    for since in (D1.isoformat(), "14d", "2w"):
        again = json.loads(_digest(project, "--output", "json", "--since", since))
        assert again == previous, since
    result = run_cli("digest", "--since", D2.isoformat(), cwd=project)
    assert result.exit_code == 2 and "is not before the as-of date" in result.output
    result = run_cli("digest", "--since", "last week", cwd=project)
    assert result.exit_code == 2 and "7d or 2w" in result.output


# ---- the feed -----------------------------------------------------------------------------
def test_the_feed_is_valid_atom_with_one_entry_per_build_that_changed(project):
    feed = ET.parse(project / "site" / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}updated").text for e in entries] == [
        f"{D2}T00:00:00Z", f"{D1}T00:00:00Z"]
    assert feed.find(f"{ATOM}updated").text == f"{D2}T00:00:00Z"
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)
    for entry in entries:
        assert entry.find(f"{ATOM}title").text and entry.find(f"{ATOM}content") is not None
        assert entry.find(f"{ATOM}link").get("href")
    newest = entries[0].find(f"{ATOM}content").text
    assert "1 rep moved up a tier" in newest and "Ten days of fifteen minutes" in newest
    text = (project / "site" / "feed.xml").read_text(encoding="utf-8")
    assert not any(name in text for name in NAMES.values())


def test_the_home_page_links_the_feed(project):
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert 'href="feed.xml"' in home


def test_the_same_history_and_data_give_the_same_feed(project, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site", "ingest-*",
                                                                  "site-*.json"))
    result = run_cli("build", "--as-of", D2.isoformat(), "--quiet", cwd=copy)
    assert result.exit_code == 0, result.output
    for name in ("feed.xml", "index.html"):
        assert (copy / "site" / name).read_bytes() == (project / "site" / name).read_bytes()
    again = run_cli("build", "--as-of", D2.isoformat(), cwd=copy)
    assert "Nothing changed" in again.output  # the saved summary did not move the key


def test_the_managers_copy_moves_neither_the_history_nor_the_feed(project):
    """Same data, same summary: the coaching log never enters what the reps' feed reads."""
    kept = project / ".crmproof-cache" / "history" / f"{D2}.json"
    before = kept.read_bytes()
    (project / "crmproof.yml").write_text(SETTINGS + "  url: https://intranet.example/crm/\n",
                                          encoding="utf-8")
    try:
        # into manager-site/ beside site/: the same cache folder, the same history
        result = run_cli("build", "--audience", "manager", "--as-of", D2.isoformat(),
                         "--quiet", cwd=project)
        assert result.exit_code == 0, result.output
    finally:
        (project / "crmproof.yml").write_text(SETTINGS, encoding="utf-8")
    assert kept.read_bytes() == before
    assert sorted(p.name for p in kept.parent.iterdir()) == [f"{D1}.json", f"{D2}.json"]
    sitemap = (project / "manager-site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "intranet.example" not in sitemap  # the manager's copy never claims that address
    again = run_cli("build", "--as-of", D2.isoformat(), cwd=project)
    assert "Nothing changed" in again.output
