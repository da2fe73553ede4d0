"""`crmproof mapping suggest` then `build` with the unedited suggestion, on exports in
layouts nobody shipped a mapping for: a sales-analytics CSV set (snake_case headers,
won/lost only in the stage, no created-by data, no activities) and a custom-header CRM
(an activity log mixing calls, emails, meetings, notes and open and done tasks). The
tiers, win rates and deal counts the site shows equal an independent count."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import statistics
from pathlib import Path

import pytest
import yaml

from .conftest import DATA, run_cli
from .test_real_exports import AS_OF, TODAY, WINDOW_START, page_text

PERIOD = 28


def read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def day(text: str) -> dt.date | None:
    if not text:
        return None
    if re.match(r"\d{2}\.\d{2}\.\d{4}", text):
        return dt.datetime.strptime(text[:10], "%d.%m.%Y").date()
    return dt.date.fromisoformat(text[:10])


# ---- the tier rule, written out again -----------------------------------------------------
def tier_of(rep: str, index: int, deals: list[dict], activities: list[dict],
            planned: list[dict], deal_creators: bool) -> str:
    """The adoption tier of `rep` in period `index` by the README's definitions (default
    thresholds, Mon-Fri, UTC), from plain dicts: deals (owner, creator, created, close,
    closed, amount, stage, next_step), activities/planned (owner, creator, deal, occurred,
    entered)."""
    end = AS_OF - dt.timedelta(days=index * PERIOD)
    start = end - dt.timedelta(days=PERIOD - 1)
    days = [start + dt.timedelta(days=i) for i in range(PERIOD)]
    workdays = [d for d in days if d.weekday() < 5]
    entries = {d["created"] for d in deals
               if (d["creator"] if deal_creators else d["owner"]) == rep and d["created"]}
    entries |= {a["entered"] for a in activities if a["creator"] == rep}
    active = sum(d in entries for d in workdays) / len(workdays)
    lags = [(a["entered"] - a["occurred"]).days for a in activities
            if a["owner"] == rep and start <= a["entered"] <= end
            and a["occurred"] <= a["entered"]]
    lag = statistics.median(lags) if lags else None
    horizon = AS_OF - dt.timedelta(days=12 * PERIOD)
    touched = {a["deal"] for a in activities + planned
               if a["deal"] and a["entered"] <= AS_OF and a["occurred"] > end
               and a["occurred"] > horizon}
    open_deals = [d for d in deals if d["owner"] == rep and d["created"]
                  and d["created"] <= end and (not d["closed"] or d["close"] > end)]
    complete = [d["amount"] is not None and d["close"] is not None and bool(d["stage"])
                and (bool(d["next_step"]) or d["id"] in touched) for d in open_deals]
    done = sum(complete) / len(complete) if complete else None
    owned = [d["creator"] for d in deals
             if deal_creators and d["owner"] == rep and d["created"]
             and start <= d["created"] <= end]
    owned += [a["creator"] for a in activities if a["owner"] == rep and start <= a["entered"]
              <= end]
    proxy = (sum(c is not None and c != rep for c in owned) / len(owned)
             if owned and (deal_creators or activities) else None)

    def holds(share, max_lag, min_done, max_proxy):
        return (active >= share and (lag is None or lag <= max_lag)
                and (done is None or done >= min_done) and (proxy is None or proxy <= max_proxy))

    if active <= 0.05:
        return "none"
    if holds(0.7, 1, 0.85, 0.1):
        return "grade_a"
    if holds(0.4, 3, 0.6, 0.3):
        return "moderate"
    return "ineffective"


# ---- the two exports as plain dicts ---------------------------------------------------------
def analytics() -> tuple[list[dict], list[dict], list[dict], bool]:
    found = read(DATA / "real_analytics" / "sales_pipeline.csv")
    deals = [{"id": d["opportunity_id"], "owner": d["sales_agent"], "creator": None,
              "created": day(d["engage_date"]), "close": day(d["close_date"]),
              "closed": d["deal_stage"] in ("Won", "Lost"), "won": d["deal_stage"] == "Won",
              "amount": d["close_value"] or None, "stage": d["deal_stage"], "next_step": ""}
             for d in found]
    return deals, [], [], False


def custom_crm() -> tuple[list[dict], list[dict], list[dict], bool]:
    folder = DATA / "real_custom_crm"
    deals = [{"id": d["Opportunity Ref"], "owner": d["Account Manager"], "creator": None,
              "created": day(d["Opened On"]), "close": day(d["Decided On"]),
              "closed": d["Outcome"] in ("Won", "Lost"), "won": d["Outcome"] == "Won",
              "amount": d["Value (EUR)"] or None, "stage": d["Phase"],
              "next_step": d["Next Action"]}
             for d in read(folder / "opportunities.csv", ";")]
    logged = [{"owner": a["Account Manager"], "creator": a["Logged By"],
               "deal": a["Opportunity Ref"], "occurred": day(a["Happened At"]),
               "entered": day(a["Logged At"]), "open": a["Task State"] == "Open"}
              for a in read(folder / "activity_log.csv", ";")]
    return ([d for d in deals], [a for a in logged if not a["open"]],
            [a for a in logged if a["open"]], False)


EXPORTS = {"real_analytics": analytics, "real_custom_crm": custom_crm}


@pytest.fixture(scope="module", params=sorted(EXPORTS))
def suggested(request, tmp_path_factory):
    """The export, its suggested mapping (unedited) and the site built with it."""
    folder = DATA / request.param
    work = tmp_path_factory.mktemp(request.param)
    mapping = work / "suggested.yml"
    result = run_cli("mapping", "suggest", str(folder), "-o", str(mapping))
    assert result.exit_code == 0, result.output
    site = work / "site"
    built = run_cli("build", "--data", str(folder), "--mapping", str(mapping), "--out",
                    str(site), "--today", TODAY, "--quiet", "--no-cache")
    assert built.exit_code == 0, built.output
    return request.param, folder, mapping, site


def test_the_suggestion_is_commented_yaml_that_names_its_choices(suggested):
    name, _, mapping, _ = suggested
    text = mapping.read_text(encoding="utf-8")
    parsed = yaml.safe_load(text)
    tables = [s["table"] for s in parsed["sources"]]
    assert tables[0] == "deals"
    assert ("activities" in tables) == (name == "real_custom_crm")
    deals = parsed["sources"][0]["columns"]
    assert deals["is_won"]["in"] == ["won"] and sorted(deals["is_closed"]["in"]) == [
        "lost", "won"]
    assert "values read as won:" in text


def test_suggested_build_counts_the_deals_and_win_rates_independently(suggested):
    name, folder, mapping, site = suggested
    deals, *_ = EXPORTS[name]()
    inside = [d for d in deals if d["closed"] and d["close"]
              and WINDOW_START <= d["close"] <= AS_OF]
    home = page_text(site, "")
    counts = [int(n) for n in re.findall(
        r"(?:None|Ineffective|Moderate|Grade-A) (\d+) (?:\d+%|not enough data)", home)]
    assert sum(counts) == len(inside)
    result = run_cli("query", "win_rate_by_tier", "--data", str(folder), "--mapping",
                     str(mapping), "--as-of", AS_OF.isoformat(), "--output", "json")
    rates = json.loads(result.output)
    assert sum(r["won_deals"] for r in rates) == sum(d["won"] for d in inside)
    quality = page_text(site, "data-quality")
    assert f"The export holds {len(deals)} deals ({sum(d['closed'] for d in deals)} closed, " \
           f"{sum(d['won'] for d in deals)} won)" in quality


def test_suggested_build_tiers_equal_an_independent_count(suggested):
    name, _, _, site = suggested
    deals, activities, planned, deal_creators = EXPORTS[name]()
    reps = sorted({d["owner"] for d in deals})
    tiers = [tier_of(rep, 0, deals, activities, planned, deal_creators) for rep in reps]
    adoption = page_text(site, "adoption")
    shown = dict(re.findall(r"(None|Ineffective|Moderate|Grade-A) (\d+) \d+%", adoption))
    labels = {"none": "None", "ineffective": "Ineffective", "moderate": "Moderate",
              "grade_a": "Grade-A"}
    assert {label: int(shown[label]) for label in labels.values()} == {
        labels[t]: tiers.count(t) for t in labels}
    assert f"{len(reps)} reps were measured" in adoption


def test_what_each_export_lacks_reads_not_in_this_export(suggested):
    name, _, _, site = suggested
    adoption, methods = page_text(site, "adoption"), page_text(site, "methods")
    if name == "real_analytics":  # no created-by data, no activities
        assert "Not in this export: the export does not say who entered each record" in adoption
        assert "had at least one deal or activity they own entered" in adoption
        assert "Not in this export: activities carry no entry time" in adoption
        assert "proxy entry no not in this export: the export does not say who" in methods.lower()
        trust = page_text(site, "trust")
        assert "0 activities" not in trust and "We can't measure this" in trust
    else:  # the activity log names who logged each activity and when
        assert "Not in this export" not in adoption.split("Completeness of open deals")[0]
        assert "The typical rep's median lag" in adoption


def test_the_mixed_activity_log_splits_logged_work_from_planned_tasks(tmp_path):
    folder, mapping = DATA / "real_custom_crm", tmp_path / "suggested.yml"
    assert run_cli("mapping", "suggest", str(folder), "-o", str(mapping)).exit_code == 0
    log = read(folder / "activity_log.csv", ";")
    assert {a["Kind"] for a in log} == {"Call", "Email", "Meeting", "Note", "Task"}
    result = run_cli("validate", "--data", str(folder), "--mapping", str(mapping), "--today",
                     TODAY, "--output", "json")
    found = json.loads(result.output)
    assert found["rows"]["activities"] == sum(a["Task State"] != "Open" for a in log)
    assert found["rows"]["planned_activities"] == sum(a["Task State"] == "Open" for a in log)
    assert found["capabilities"]["logging_lag"] and found["capabilities"]["proxy_share"]


def test_suggest_never_overwrites_a_file_unless_told(tmp_path):
    target = tmp_path / "mine.yml"
    target.write_text("# my own edits\n", encoding="utf-8")
    result = run_cli("mapping", "suggest", str(DATA / "real_analytics"), "-o", str(target))
    assert result.exit_code == 2 and result.output == (
        f"Error: {target} exists; pass --force to replace it, or choose another -o file\n")
    assert target.read_text(encoding="utf-8") == "# my own edits\n"
    forced = run_cli("mapping", "suggest", str(DATA / "real_analytics"), "-o", str(target),
                     "--force")
    assert forced.exit_code == 0 and "table: deals" in target.read_text(encoding="utf-8")
    printed = run_cli("mapping", "suggest", "--data", str(DATA / "real_analytics"))
    assert printed.output == target.read_text(encoding="utf-8")
