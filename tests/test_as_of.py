"""The default as-of date is the latest timestamp in the data (entered, happened, closed,
modified), never a date after the build day: a record dated 2099 neither moves the site
nor makes --strict pass, and validate reports it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from .conftest import run_cli

DEALS = ("deal_id,owner_rep_id,created_by_rep_id,created_at,close_date,is_closed,is_won,amount,"
         "stage\n"
         "D1,ava,ava,2024-03-01 10:00,2024-03-20,true,true,100,Won\n"
         "D2,ava,ava,2024-03-04 10:00,2024-03-25,true,false,100,Lost\n"
         "D3,ben,ben,2024-03-05 10:00,2024-06-30,false,false,100,Open\n")
ACTIVITIES = ("activity_id,owner_rep_id,created_by_rep_id,type,occurred_at,created_at\n"
              "A1,ava,ava,Call,2024-03-05 09:00,2024-03-05 10:00\n"
              "A2,ben,ben,Call,2024-03-06 09:00,2024-03-06 10:00\n")
FUTURE = "A9,ben,ben,Call,2099-01-05 09:00,2099-01-05 10:00\n"


def export(tmp_path: Path, future: bool = False) -> Path:
    folder = tmp_path / ("future" if future else "plain")
    folder.mkdir()
    (folder / "deals.csv").write_text(DEALS, encoding="utf-8")
    (folder / "activities.csv").write_text(ACTIVITIES + (FUTURE if future else ""),
                                           encoding="utf-8")
    return folder


def report(folder: Path, *args: str) -> dict:
    result = run_cli("validate", "--data", str(folder), "--output", "json", *args)
    assert result.exit_code in (0, 3), result.output
    return json.loads(result.output)


def test_closed_deals_after_the_newest_entry_set_the_as_of(tmp_path):
    found = report(export(tmp_path), "--today", "2024-04-02")
    assert found["as_of"] == "2024-03-25"  # D2 closed after every created date
    assert found["deals"]["in_window"] == 2 and found["deals"]["after_as_of"] == 0


def test_a_record_from_2099_never_moves_the_as_of_and_is_reported(tmp_path):
    plain, future = report(export(tmp_path), "--today", "2024-04-02"), report(
        export(tmp_path, future=True), "--today", "2024-04-02")
    assert future["as_of"] == plain["as_of"] == "2024-03-25"
    errors = [f for f in future["findings"] if f["check"] == "future_dated"]
    assert [(f["table"], f["rows"]) for f in errors] == [("activities", 1)]
    assert errors[0]["message"].startswith("1 activities are dated after the build day "
                                           "(latest 2099-01-05 10:00:00)")
    assert future["errors"] == 1


def test_strict_does_not_pass_because_of_a_future_record(tmp_path):
    folder = export(tmp_path, future=True)
    stale = run_cli("build", "--data", str(folder), "--out", str(tmp_path / "site"),
                    "--strict", "--today", "2024-06-30", "--quiet")
    assert stale.exit_code == 6
    assert "the newest record is from 2024-03-25" in stale.output
    fresh = run_cli("build", "--data", str(folder), "--out", str(tmp_path / "site"),
                    "--strict", "--today", "2024-03-26", "--quiet")
    assert fresh.exit_code == 6 and "validation found 1 error(s)" in fresh.output
    assert not (tmp_path / "site").exists()


def _tree(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_the_build_day_changes_no_byte_of_the_site(tmp_path):
    folder = export(tmp_path, future=True)
    sites = []
    for today in ("2024-04-02", "2026-01-15"):
        out = tmp_path / f"site-{today}"
        result = run_cli("build", "--data", str(folder), "--out", str(out), "--today", today,
                         "--quiet", "--no-cache")
        assert result.exit_code == 0, result.output
        sites.append(_tree(out))
    assert sites[0] == sites[1]
