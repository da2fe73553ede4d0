"""Real exports, read right (issue 14): realistic third-party exports (tests/data/real_*,
made by make_real_exports.py from the vendors' documented layouts) give the numbers an
independent count of their files gives, and say "not in this export" for what they lack."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest

from .conftest import DATA, run_cli

TODAY = "2024-06-30"
AS_OF = dt.date(2024, 6, 28)
WINDOW_START = AS_OF - dt.timedelta(days=13 * 28 - 1)


def rows(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def validate_json(folder: Path, *args: str) -> dict:
    result = run_cli("validate", "--data", str(folder), "--today", TODAY, "--output", "json",
                     *args)
    assert result.exit_code in (0, 3), result.output
    return json.loads(result.output)


def page_text(site: Path, page: str) -> str:
    raw = (site / page / "index.html").read_text(encoding="utf-8")
    body = raw[raw.find("<article"):raw.find("</article>")]
    body = re.sub(r"<details.*?</details>", "", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def build(folder: Path, out: Path, *args: str) -> Path:
    result = run_cli("build", "--data", str(folder), "--out", str(out), "--today", TODAY,
                     "--quiet", "--no-cache", *args)
    assert result.exit_code == 0, result.output
    return out


def closed_in_window(deals: list[tuple[str, dt.date | None]]) -> tuple[int, int]:
    """(closed, won) among (outcome, close day) pairs with a close day in the window."""
    inside = [o for o, day in deals if day and WINDOW_START <= day <= AS_OF and o != "open"]
    return len(inside), sum(o == "won" for o in inside)


# ---- Salesforce Data Export ----------------------------------------------------------------
SF = DATA / "real_sf_data_export"


def sf(name: str) -> list[dict[str, str]]:
    return rows(SF / f"{name}.csv", encoding="cp1252")


@pytest.fixture(scope="module")
def sf_report():
    return validate_json(SF)


def test_data_export_reads_every_object_for_what_it_is(sf_report):
    assert sf_report["format"] == "salesforce"
    tasks = sf("Task")
    done = [t for t in tasks if t["IsClosed"] == "true"]
    assert sf_report["rows"]["deals"] == len(sf("Opportunity"))
    assert sf_report["rows"]["accounts"] == len(sf("Account"))  # not Lead, not Contact
    assert sf_report["rows"]["activities"] == len(done) + len(sf("Event"))
    assert sf_report["rows"]["planned_activities"] == len(tasks) - len(done)
    assert {t["Status"] for t in tasks} == {"Completed", "Not Started", "In Progress"}
    skipped = {f["message"].split(" ", 1)[0] for f in sf_report["findings"]
               if f["check"] == "skipped_file"}
    assert skipped == {"OpportunityHistory.csv", "OpportunityLineItem.csv", "Lead.csv",
                       "Contact.csv", "Campaign.csv", "Case.csv"}
    notes = " ".join(f["message"] for f in sf_report["findings"])
    assert "Lead.csv was not read: it is a salesforce Lead export" in notes


def test_data_export_nul_bytes_are_removed_and_counted(sf_report):
    """The rich-text Description holds NUL bytes: the file is read, not rejected."""
    raw = (SF / "Task.csv").read_bytes()
    assert raw.count(b"\x00") > 0 and sf_report["errors"] == 0


def test_data_export_as_of_is_the_latest_close_and_every_deal_is_counted(sf_report):
    opps = sf("Opportunity")
    newest_created = max(o["CreatedDate"][:10] for o in opps)
    assert newest_created < "2024-06-28" and sf_report["as_of"] == "2024-06-28"
    deals = sf_report["deals"]
    closed, won = closed_in_window([
        ("won" if o["IsWon"] == "true" else "lost" if o["IsClosed"] == "true" else "open",
         dt.date.fromisoformat(o["CloseDate"])) for o in opps])
    assert (deals["in_window"], deals["won_in_window"]) == (closed, won)
    assert deals["in_export"] == len(opps) == (deals["in_window"] + deals["open"]
                                               + deals["before_window"] + deals["after_as_of"]
                                               + sum(deals["excluded"].values()))
    assert deals["closed"] == sum(o["IsClosed"] == "true" for o in opps)


@pytest.fixture(scope="module")
def sf_site(tmp_path_factory):
    return build(SF, tmp_path_factory.mktemp("sf") / "site")


def test_data_export_site_shows_the_counted_deals_and_no_zeros(sf_site, sf_report):
    home = page_text(sf_site, "")
    counts = [int(n) for n in re.findall(
        r"(?:None|Ineffective|Moderate|Grade-A) (\d+) (?:\d+%|not enough data)", home)]
    assert sum(counts) == sf_report["deals"]["in_window"]
    assert "Covers 1 Jul 2023 to 28 Jun 2024" in home
    trust = page_text(sf_site, "trust")
    assert "We can't measure this from the export: no field history of deals" in trust
    quality = page_text(sf_site, "data-quality")
    assert f"The export holds {sf_report['deals']['in_export']} deals" in quality


# ---- HubSpot deals without Create Date, and without Deal owner (XLSX) ----------------------
HS = DATA / "real_hubspot_no_create_date"
HS_XLSX = DATA / "real_hubspot_no_owner"


def hubspot_outcomes() -> list[tuple[str, dt.date]]:
    found = rows(next(HS.glob("*.csv")))
    return [("won" if d["Is Closed Won"] == "true" else
             "lost" if d["Is closed lost"] == "true" else "open",
             dt.date.fromisoformat(d["Close Date"][:10])) for d in found]


def test_hubspot_explicit_flags_beat_the_stage_name():
    """A custom pipeline's "Closed lost" stage with `Is closed lost = false` is open."""
    report = validate_json(HS)
    outcomes = hubspot_outcomes()
    stage_says_closed = sum(d["Deal Stage"].startswith("Closed")
                            for d in rows(next(HS.glob("*.csv"))))
    closed = sum(o != "open" for o, _ in outcomes)
    assert stage_says_closed > closed  # the fallback alone would overcount
    assert report["deals"]["closed"] == closed
    assert report["deals"]["won"] == sum(o == "won" for o, _ in outcomes)


def test_hubspot_without_create_date_or_creators_says_what_it_lacks(tmp_path):
    report = validate_json(HS)
    caps = report["capabilities"]
    assert not caps["sales_cycle"] and not caps["proxy_share"] and not caps["logging_lag"]
    assert not caps["tiers"] and not caps["win_rate"]  # no record says when it was entered
    assert "no created date on deals" in report["capability_reasons"]["tiers"]
    site = build(HS, tmp_path / "site")
    home = page_text(site, "")
    assert "Win rate by adoption tier. Not in this export: no record says when it was " \
           "entered" in home
    adoption = page_text(site, "adoption")
    assert "100%" not in adoption and "None 4" not in adoption
    assert "Not in this export: no record says when it was entered" in adoption
    evidence = page_text(site, "evidence")
    assert "0%" not in evidence and "Not in this export" in evidence
    cost = page_text(site, "cost")
    assert "Not in this export: no activity is linked to a deal" in cost
    dark = cost.split("Pipeline gone dark", 1)[1].split("Deals closed")[0]
    assert not re.search(r"\d+%", dark)


def test_hubspot_xlsx_without_deal_owner_builds_and_counts_every_deal(tmp_path):
    """The same deals as an XLSX workbook (dates as cells, some as Excel serial numbers)
    and no owner column: every deal is read, none is tied to a rep, and the site says so."""
    report = validate_json(HS_XLSX)
    outcomes = hubspot_outcomes()
    assert report["rows"]["deals"] == len(outcomes)
    assert report["deals"]["closed"] == sum(o != "open" for o, _ in outcomes)
    assert report["deals"]["excluded"] == {"no_owner": sum(o != "open" for o, _ in outcomes)}
    assert report["data_from"] is not None  # the Create Date cells, serials included
    assert not report["capabilities"]["win_rate"]
    site = build(HS_XLSX, tmp_path / "site")
    assert "no deal says who owns it" in page_text(site, "")
    assert "left out: no owner" in page_text(site, "data-quality")


def test_a_story_on_an_export_without_tiers_says_not_in_this_export(tmp_path):
    from generator.build import open_project
    from generator.stories import StoryData, read_story, resolve

    project = open_project(data=HS, work=tmp_path, today=dt.date(2024, 6, 30))
    data = StoryData(project.con, project.config, project.params)
    rep = sorted(data.reps)[0]
    path = tmp_path / "story.md"
    path.write_text(f"---\ntitle: A rep\ndate: 2024-06-01\nrep: {rep}\nconsent: false\n---\n"
                    "Tier [[metric tier period=all]], win rate [[metric win_rate period=all]], "
                    "deals [[metric closed_deals period=all]].\n", encoding="utf-8")
    body = str(resolve(read_story(path, "story.md"), data).body)
    assert body.count("not in this export") == 3
