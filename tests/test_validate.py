"""crmproof validate: findings with severities, what the export can support, exit codes."""

from __future__ import annotations

import datetime as dt

from generator.build import validate_project as validate
from generator.cli.report import render_text
from generator.config import load_config
from generator.db import connect
from generator.ingest import IngestReport, insert_rows
from generator.validate import check, page_context

from .conftest import DATA, run_cli

AS_OF = dt.date(2024, 6, 30)


def seeded(deals=(), activities=(), reps=(), accounts=(), logins=(), history=()):
    con = connect()
    insert_rows(con, "reps", reps)
    insert_rows(con, "accounts", accounts)
    insert_rows(con, "deals", deals)
    insert_rows(con, "activities", activities)
    insert_rows(con, "logins", logins)
    insert_rows(con, "field_history", history)
    insert_rows(con, "planned_activities", [])
    return con


def run(con, as_of=AS_OF, **config):
    cfg = load_config()
    cfg.values.update(config)
    return check(con, cfg, as_of, IngestReport(DATA, "generic"))


def ts(text):
    return dt.datetime.fromisoformat(text)


REPS = [{"rep_id": "r1", "name": "Ava", "is_rep": True}]
DEAL = {"deal_id": "d1", "owner_rep_id": "r1", "created_at": ts("2024-01-02 10:00"),
        "close_date": dt.date(2024, 2, 1), "is_closed": True, "is_won": True, "amount": 10.0,
        "stage": "Won"}


def checks(report):
    return {(f.severity, f.check, f.table): f.rows for f in report.findings}


def test_clean_data_has_no_findings():
    report = run(seeded([DEAL], reps=REPS))
    assert report.findings == []
    assert report.ok


def test_orphans_are_warnings():
    activities = [{"activity_id": "a1", "owner_rep_id": "r1", "deal_id": "d9",
                   "occurred_at": ts("2024-01-03 10:00"), "created_at": ts("2024-01-03 11:00")},
                  {"activity_id": "a2", "owner_rep_id": "ghost", "deal_id": "d1",
                   "occurred_at": ts("2024-01-03 10:00"), "created_at": ts("2024-01-03 11:00")}]
    deals = [DEAL, {**DEAL, "deal_id": "d2", "owner_rep_id": "nobody", "account_id": "x"}]
    report = run(seeded(deals, activities, REPS, accounts=[{"account_id": "acc"}]))
    assert checks(report) == {
        ("warning", "activity_unknown_deal", "activities"): 1,
        ("warning", "activity_unknown_owner", "activities"): 1,
        ("warning", "deal_unknown_account", "deals"): 1,
        ("warning", "deal_unknown_owner", "deals"): 1,
    }
    assert report.ok
    message = next(f.message for f in report.findings if f.check == "activity_unknown_deal")
    assert message == ("1 activities point at a deal that is not in the export (e.g. d9); "
                       "export all deals for the same period")


def test_impossible_timestamps_are_errors_and_lag_is_not():
    deals = [DEAL, {**DEAL, "deal_id": "d2", "created_at": ts("1999-12-31 10:00")},
             {**DEAL, "deal_id": "d3", "created_at": ts("2024-07-02 10:00"),
              "close_date": dt.date(2024, 8, 1)},
             {**DEAL, "deal_id": "d4", "is_closed": False, "is_won": True}]
    activities = [{"activity_id": "late", "owner_rep_id": "r1", "deal_id": "d1",
                   "occurred_at": ts("2024-01-03 10:00"), "created_at": ts("2024-01-20 11:00")},
                  {"activity_id": "ahead", "owner_rep_id": "r1", "deal_id": "d1",
                   "occurred_at": ts("2024-07-05 10:00"), "created_at": ts("2024-06-01 11:00")}]
    report = run(seeded(deals, activities, REPS))
    assert checks(report) == {
        ("error", "created_after_as_of", "deals"): 1,
        ("error", "created_before_2000", "deals"): 1,
        ("error", "won_not_closed", "deals"): 1,
        ("info", "activity_after_as_of", "activities"): 1,
        ("info", "entered_before_it_happened", "activities"): 1,
    }
    assert not report.ok
    assert [f.severity for f in report.findings] == ["error"] * 3 + ["info"] * 2


def test_capabilities_say_what_is_unavailable_and_why():
    report = run(seeded([DEAL], reps=REPS))
    caps = {c.name: c for c in report.capabilities}
    assert not caps["logins"].available
    assert caps["logins"].reason == "not in this export: no login history"
    assert not caps["edits_by_others"].available and not caps["owner_changes"].available
    assert caps["logging_lag"].reason == ("not in this export: activities carry no entry time "
                                          "apart from when they happened")
    assert not caps["proxy_share"].available  # DEAL names no creator
    assert caps["active_days"].available
    assert "the export does not say who entered records" in caps["active_days"].reason
    assert caps["win_rate"].available and caps["win_rate"].reason.endswith(
        "only 1 closed deals (minimum 10): 'not enough data'")
    assert not caps["stale_pipeline"].available  # no activity is linked to a deal


def test_logins_and_history_make_signals_available():
    report = run(seeded([DEAL], reps=REPS, logins=[("r1", ts("2024-01-02 08:00"))],
                        history=[("deal", "d1", "StageName", "a", "b", "r1",
                                  ts("2024-01-05 10:00"))]))
    caps = {c.name: c.available for c in report.capabilities}
    assert caps["logins"] and caps["edits_by_others"] and not caps["owner_changes"]


def test_missing_fields_by_rep():
    open_deal = {**DEAL, "deal_id": "d2", "is_closed": False, "is_won": False, "amount": None,
                 "next_step": None}
    report = run(seeded([DEAL, open_deal], reps=REPS))
    assert report.missing_by_rep == [{"rep_name": "Ava", "open_deals": 1, "missing_amount": 1,
                                      "missing_close_date": 0, "missing_stage": 0,
                                      "missing_next_step": 1}]
    assert "Open deals missing required fields" in render_text(report)


def test_site_context_holds_no_examples():
    deals = [DEAL, {**DEAL, "deal_id": "d2", "owner_rep_id": "Secret Person"}]
    con = seeded(deals, reps=REPS)
    context = page_context(con, load_config(), AS_OF, IngestReport(DATA, "generic"))
    text = repr(context)
    assert "Secret Person" not in text
    assert context["quality"]["findings"] == [{
        "severity": "warning",
        "message": "1 deals are owned by someone not in the user list; export all users, or "
                   "check reps.only/exclude"}]


def test_vendor_export_validates_clean():
    report = validate(load_config(), DATA / "salesforce_small")
    assert report.ok and report.mapping == "salesforce"
    assert {t.table: t.rows for t in report.tables}["deals"] == 10
    assert report.date_range[0] == dt.datetime(2024, 1, 8, 9, 0)


def test_cli_prints_tables_and_exits_zero_without_errors():
    result = run_cli("validate", "--data", str(DATA / "pipedrive_small"))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # lines wrap where the checkout's path ends
    # the latest timestamp: a planned follow-up entered on 30 Mar (a deal was won on 28 Mar,
    # after the newest logged activity, 16 Mar)
    assert "(pipedrive format), as of 2024-03-30" in text
    assert "Login-based signals" in text
    assert "1 open or planned activities (tasks not completed) are next steps" in text
    assert text.endswith("0 error(s), 0 warning(s), 1 note(s)")


def test_cli_exits_3_when_there_are_errors():
    result = run_cli("validate", "--data", str(DATA / "hubspot_small"), "--as-of", "2024-03-01")
    assert result.exit_code == 3
    assert "were entered after the as-of date 2024-03-01" in result.output
    assert "Traceback" not in result.output


def test_cli_validates_the_demo_by_default(tmp_path):
    result = run_cli("validate", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Data quality of the demo export (salesforce format)")
