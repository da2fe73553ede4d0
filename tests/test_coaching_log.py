"""The coaching log: read from CSV or YAML, checked like an export, and its follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.coaching import CoachingLog, RepRef, find_log, next_follow_up, read_log
from generator.config import load_config
from generator.errors import DataError

from .conftest import run_cli

REPS = [RepRef("005A", "Ann Lee", "ann@x.example"), RepRef("005B", "Bo  Ström", None),
        RepRef("005C", "Cy Twin", None), RepRef("005D", "Cy Twin", "cy2@x.example")]
HEADER = "date,rep,kind,window,format,result,level,follow_up,notes\n"


def _read(tmp_path, text: str, name: str = "log.csv") -> CoachingLog:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_log(path, REPS, levels=3)


def test_a_csv_log_is_read_with_reps_by_id_email_or_name(tmp_path):
    log = _read(tmp_path, HEADER +
                "2026-09-02,ANN@x.example,One-on-one,16:30-16:45,,,,,\"Asked why, listened\"\n"
                "2026-09-09,bo ström,follow up,,,,,,\n"
                "2026-09-10,005A,training,,one-to-one at the desk,,,2026-09-20,\n"
                "2026-09-11,005A,demonstration,,,could not,,,\n"
                "2026-09-12,cy2@x.example,consequence,,,,2,,Leads only via the CRM\n"
                ",,,,,,,,\n")
    assert [(e.rep_id, e.kind) for e in log.entries] == [
        ("005A", "one-on-one"), ("005B", "follow-up"), ("005A", "training"),
        ("005A", "demonstration"), ("005D", "consequence")]
    first = log.entries[0]
    assert first.window.text == "16:30-16:45" and first.notes == "Asked why, listened"
    assert log.entries[3].could is False and log.entries[4].level == 2
    assert [e.row for e in log.of("005A")] == [2, 4, 5]


def test_a_yaml_log_reads_the_same(tmp_path):
    log = _read(tmp_path, "- {date: 2026-09-02, rep: Ann Lee, kind: one-on-one, "
                          "window: '07:30-07:45'}\n- date: 2026-09-03\n  rep: 005B\n"
                          "  kind: demonstration\n  result: could\n", "log.yml")
    assert [(e.day, e.kind) for e in log.entries] == [(dt.date(2026, 9, 2), "one-on-one"),
                                                      (dt.date(2026, 9, 3), "demonstration")]
    assert log.entries[1].could is True


@pytest.mark.parametrize(("row", "column", "says"), [
    ("2026-13-02,005A,one-on-one,,,,,,", "date", "expected a date YYYY-MM-DD"),
    ("02.09.2026,005A,one-on-one,,,,,,", "date", "expected a date"),
    ("2026-09-02,Nobody,one-on-one,,,,,,", "rep", "no rep 'Nobody' in the export"),
    ("2026-09-02,Cy Twin,one-on-one,,,,,,", "rep", "2 reps are called 'Cy Twin'"),
    ("2026-09-02,005A,one on one-ish,,,,,,", "kind", "unknown kind"),
    ("2026-09-02,005A,,,,,,,", "kind", "empty"),
    ("2026-09-02,005A,one-on-one,16:45-16:30,,,,,", "window", "expected HH:MM-HH:MM"),
    ("2026-09-02,005A,training,,,,,,", "format", "a training needs its format"),
    ("2026-09-02,005A,demonstration,,,maybe,,,", "result", "expected could or could not"),
    ("2026-09-02,005A,consequence,,,,7,,", "level", "the ladder has levels 1 to 3"),
    ("2026-09-02,005A,consequence,,,,,,", "level", "a consequence needs its level"),
    ("2026-09-02,005A,one-on-one,,,could,,,", "result", "'result' is for demonstration"),
    ("2026-09-02,005A,one-on-one,,,,,2026-09-01,", "follow_up", "before the entry's date"),
])
def test_a_bad_row_is_one_line_with_file_row_and_column(tmp_path, row, column, says):
    with pytest.raises(DataError) as caught:
        _read(tmp_path, HEADER + "2026-09-01,005A,one-on-one,,,,,,\n" + row + "\n")
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'log.csv'}, row 3, column '{column}': ")
    assert says in message and "\n" not in message


def test_a_bad_header_is_named(tmp_path):
    with pytest.raises(DataError, match="row 1, column 'notez': unknown column; did you mean "
                                        "'notes'"):
        _read(tmp_path, "date,rep,kind,notez\n")
    with pytest.raises(DataError, match="needs a 'kind' column"):
        _read(tmp_path, "date,rep\n")


def test_the_log_is_found_next_to_the_config_then_beside_the_export(tmp_path):
    (tmp_path / "crmproof.yml").write_text("", encoding="utf-8")
    export = tmp_path / "exports"
    (export / "coaching").mkdir(parents=True)
    (export / "coaching" / "log.yml").write_text("[]\n", encoding="utf-8")
    config = load_config(tmp_path / "crmproof.yml")
    assert find_log(config, export) == export / "coaching" / "log.yml"
    (tmp_path / "coaching").mkdir()
    (tmp_path / "coaching" / "log.csv").write_text(HEADER, encoding="utf-8")
    assert find_log(config, export) == tmp_path / "coaching" / "log.csv"
    (tmp_path / "crmproof.yml").write_text("coaching:\n  log: notes/mine.csv\n", "utf-8")
    assert find_log(load_config(tmp_path / "crmproof.yml"), export) == (
        tmp_path / "notes" / "mine.csv").resolve()


def test_follow_ups_come_a_week_after_a_meeting_and_close_with_a_follow_up(tmp_path):
    log = _read(tmp_path, HEADER + "2026-09-01,005A,one-on-one,,,,,,\n"
                                   "2026-09-08,005A,follow-up,,,,,,\n"
                                   "2026-09-10,005A,training,,video,,,,\n"
                                   "2026-09-11,005B,one-on-one,,,,,2026-10-30,\n")
    due = next_follow_up(log.of("005A"), dt.date(2026, 9, 15), 7)
    assert (due.day, due.status) == (dt.date(2026, 9, 17), "due")
    late = next_follow_up(log.of("005A"), dt.date(2026, 9, 20), 7)
    assert late.status == "overdue"
    assert next_follow_up(log.of("005A"), dt.date(2026, 9, 9), 7) is None  # closed on 9/8
    later = next_follow_up(log.of("005B"), dt.date(2026, 9, 15), 7)
    assert (later.day, later.status) == (dt.date(2026, 10, 30), "scheduled")
    assert next_follow_up(log.of("005B"), dt.date(2026, 9, 10), 7) is None  # not yet written


def test_init_writes_an_empty_log_and_never_replaces_one(tmp_path):
    assert run_cli("init", str(tmp_path)).exit_code == 0
    log = tmp_path / "coaching" / "log.csv"
    assert log.read_text(encoding="utf-8") == HEADER
    log.write_text(HEADER + "2026-09-01,x,one-on-one,,,,,,\n", encoding="utf-8")
    assert run_cli("init", str(tmp_path), "--force").exit_code == 0
    assert "2026-09-01" in log.read_text(encoding="utf-8")


def test_a_bad_log_stops_the_manager_build_with_one_line(tmp_path):
    (tmp_path / "coaching").mkdir()
    (tmp_path / "coaching" / "log.csv").write_text(HEADER + "2026-09-01,Nobody,one-on-one,,,,,,\n",
                                                   encoding="utf-8")
    (tmp_path / "crmproof.yml").write_text("", encoding="utf-8")
    result = run_cli("build", "--audience", "manager", "--out", str(tmp_path / "mgr"),
                     "--quiet", cwd=tmp_path)
    assert result.exit_code == 3
    assert result.output == ("Error: coaching/log.csv, row 2, column 'rep': no rep 'Nobody' in "
                             "the export; use the rep's ID, e-mail or name as exported\n")
    assert not (tmp_path / "mgr").exists()


def test_validate_checks_the_coaching_log_too(tmp_path, sample):
    (tmp_path / "crmproof.yml").write_text(f"data:\n  folder: {sample.folder}\n", "utf-8")
    result = run_cli("validate", cwd=tmp_path)  # the sample's own log, beside the export
    assert result.exit_code == 0, result.output
    # the report's table wraps the log's path where the folder's length puts it
    cells = " ".join(result.output.replace("│", " ").split())
    assert "coaching log" in cells and "16 entries for 6 reps" in cells
    (tmp_path / "coaching").mkdir()
    (tmp_path / "coaching" / "log.csv").write_text(HEADER + "2026-09-01,Nobody,one-on-one,,,,,,\n",
                                                   encoding="utf-8")
    result = run_cli("validate", cwd=tmp_path)
    assert result.exit_code == 3
    assert "coaching/log.csv, row 2, column 'rep': no rep 'Nobody'" in " ".join(
        result.output.split())
