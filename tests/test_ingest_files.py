"""The data folder as a clumsy user leaves it, and files as real tools write them: special
entries skipped unopened, encodings per value, control characters, spreadsheets, unreadable
CSV named by its real cause and row, and mapping rules (`in:`, `keep`, recognition).

CLI cases assert the exit code, one line, no traceback and that no user file changed."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from generator.config import load_config
from generator.db import connect
from generator.errors import ConfigError, DataError
from generator.ingest import ingest_folder, load_mapping

from .conftest import run_cli

DEALS = ("deal_id,owner_rep_id,name,created_at,close_date,is_closed,is_won\r\n"
         "D1,ava,First,2024-03-05,2024-04-01,true,true\r\n"
         "D2,ava,Second,2024-03-06,,false,false\r\n")


def export(tmp_path: Path, deals: str = DEALS, **files: bytes | str) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir(exist_ok=True)
    (folder / "deals.csv").write_text(deals, encoding="utf-8")
    for name, content in files.items():
        target = folder / name.replace("__", ".")
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def ingest(folder: Path, fmt: str = "auto"):
    con = connect()
    return con, ingest_folder(con, folder, load_config(), fmt)


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def one_line_error(folder: Path, code: int, *args: str) -> str:
    before = digest(folder)
    result = run_cli("validate", "--data", str(folder), *args)
    assert result.exit_code == code, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "Traceback" not in result.output
    assert digest(folder) == before
    return result.output.removeprefix("Error: ").rstrip("\n")


def skipped(report) -> dict[str, str]:
    return {p.name: report.skip_reasons.get(p.name, "") for p in report.skipped}


# ---- special entries in the data folder ----------------------------------------------------
def test_special_entries_are_skipped_with_a_note_and_never_opened(tmp_path):
    folder = export(tmp_path)
    (folder / "Extra.csv").mkdir()
    (folder / "loop.csv").symlink_to(folder / "loop.csv")
    (folder / "gone.csv").symlink_to(folder / "missing-target.csv")
    os.mkfifo(folder / "x.csv")
    opened = threading.Event()

    def writer():  # a FIFO opened for reading would block until this side opens
        try:
            fd = os.open(folder / "x.csv", os.O_WRONLY | os.O_NONBLOCK)
            opened.set()
            os.close(fd)
        except OSError:
            pass

    con, report = ingest(folder)
    writer()
    assert not opened.is_set()  # nobody had the FIFO open for reading
    notes = skipped(report)
    assert notes["Extra.csv"] == "a folder, not a file"
    assert notes["loop.csv"] == "a symbolic link that loops"
    assert notes["gone.csv"] == "a symbolic link to a file that does not exist"
    assert notes["x.csv"].startswith("not a regular file (a pipe")
    assert con.execute("select count(*) from deals").fetchall() == [(2,)]
    result = run_cli("validate", "--data", str(folder))
    assert result.exit_code == 0, result.output
    assert "x.csv was not read: not a regular file" in " ".join(result.output.split())


def test_a_file_that_vanishes_after_listing_is_skipped_or_named(tmp_path, monkeypatch):
    """Root reads mode-000 files, so unreadable is tested as a file gone mid-run."""
    from generator.ingest import files

    folder = export(tmp_path, **{"notes.csv": "a,b\n1,2\n"})
    real = files.sniff

    def vanishing(path, scratch):
        if path.name == "notes.csv":
            path.unlink()
        return real(path, scratch)

    monkeypatch.setattr("generator.ingest.load.sniff", vanishing)
    _, report = ingest(folder)
    assert skipped(report)["notes.csv"].startswith("it matches no")
    assert "cannot be read" in skipped(report)["notes.csv"]


def test_an_unrelated_huge_or_wide_file_is_skipped_unread(tmp_path):
    wide = ",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000) + "\n"
    big = "when,what\n" + "2024-01-01,x\n" * 200_000
    folder = export(tmp_path, **{"wide.csv": wide, "huge_report.csv": big})
    _, report = ingest(folder)
    notes = skipped(report)
    assert notes["huge_report.csv"].startswith("it matches no")
    assert "100,000 columns" in notes["wide.csv"]


def test_a_matching_file_with_100000_columns_names_the_cause(tmp_path):
    header = "deal_id,owner_rep_id,created_at,is_closed,is_won," + ",".join(
        f"c{i}" for i in range(100_000))
    folder = export(tmp_path, deals=header + "\nD1,ava,2024-01-01,false,false\n")
    message = one_line_error(folder, 3)
    assert message == ("deals.csv: the file has 100,005 columns; crmproof reads files with up "
                       "to 4,096; export only the columns you need, or split the file")


# ---- unreadable CSV: the real cause and the row -----------------------------------------
def test_a_10_mb_cell_is_read(tmp_path):
    rows = DEALS + f'D3,ava,"{"x" * (10 << 20)}",2024-03-07,,false,false\r\n'
    con, _ = ingest(export(tmp_path, deals=rows))
    assert con.execute("select length(name) from deals where deal_id = 'D3'").fetchall() == [
        (10 << 20,)]


def test_a_row_over_the_line_limit_names_its_row(tmp_path, monkeypatch):
    monkeypatch.setattr("generator.ingest.problems.MAX_LINE_BYTES", 1 << 20)
    monkeypatch.setattr("generator.ingest.files.MAX_LINE_BYTES", 1 << 20)
    rows = DEALS + f'D3,ava,"{"x" * (2 << 20)}",2024-03-07,,false,false\r\n'
    with pytest.raises(DataError) as error:
        ingest(export(tmp_path, deals=rows))
    assert str(error.value).startswith("deals.csv, row 4: the row is longer than 1.0 MiB")


def test_an_unterminated_quote_names_the_row_it_starts_in(tmp_path):
    rows = DEALS + 'D3,ava,"never closed,2024-03-07,,false,false\r\nD4,ava,x,2024-03-08,,0,0\r\n'
    message = one_line_error(export(tmp_path, deals=rows), 3)
    assert message.startswith("deals.csv, row 4: a quoted value starts in this row and is never "
                              "closed")
    assert "save it as UTF-8" not in message


def test_an_impossible_date_is_not_an_order_mix(tmp_path):
    rows = DEALS.replace("2024-04-01", "31/31/2024")
    message = one_line_error(export(tmp_path, deals=rows), 3)
    assert message == ("deals.csv, row 2, column 'close_date': '31/31/2024' is not a possible "
                       "date: neither 31 nor 31 can be a month; correct that date in the CRM "
                       "or the file")


def test_a_real_order_mix_names_a_row_of_each(tmp_path):
    rows = DEALS.replace("2024-04-01", "25/03/2024") + \
        "D3,ava,Third,2024-03-07,03/25/2024,true,false\r\n"
    message = one_line_error(export(tmp_path, deals=rows), 3)
    assert message.startswith("deals.csv: slash dates are written both day-first and "
                              "month-first (row 2 has '25/03/2024' and row 4 has '03/25/2024')")


# ---- encodings and control characters --------------------------------------------------
def test_utf8_and_windows_1252_in_one_file_are_read_per_value(tmp_path):
    text = (DEALS.encode() + "D3,Jonas Müller,Café,2024-03-07,,false,false\r\n".encode()
            + "D4,René,Crème brûlée €,2024-03-08,,false,false\r\n".encode("cp1252"))
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "deals.csv").write_bytes(text)
    con, report = ingest(folder)
    names = dict(con.execute("select deal_id, name from deals").fetchall())
    owners = dict(con.execute("select d.deal_id, r.name from deals d join reps r "
                              "on r.rep_id = d.owner_rep_id").fetchall())
    assert (names["D3"], names["D4"], owners["D3"], owners["D4"]) == (
        "Café", "Crème brûlée €", "Jonas Müller", "René")
    assert any("mixes UTF-8 and Windows-1252" in w for w in report.warnings)


def test_nul_bytes_inside_values_are_removed_and_counted(tmp_path):
    rows = DEALS + "D3,ava,Rich\x00text\x01,2024-03-07,,false,false\r\n"
    con, report = ingest(export(tmp_path, deals=rows))
    assert con.execute("select name from deals where deal_id = 'D3'").fetchall() == [
        ("Richtext",)]
    assert "deals.csv, column 'name': control characters (such as NUL) removed from 1 " \
           "values" in report.notes


# ---- spreadsheets ------------------------------------------------------------------------
def test_each_sheet_of_a_workbook_is_a_file_and_excel_serials_are_dates(tmp_path):
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "deals"
    sheet.append(["deal_id", "owner_rep_id", "amount", "created_at", "close_date",
                  "is_closed", "is_won"])
    sheet.append(["D1", "ava", 325020, dt.datetime(2024, 3, 5, 14, 22, 10),
                  dt.date(2024, 4, 1), True, True])
    sheet.append(["D2", "ava", 12.5, 45352, None, False, False])
    notes = book.create_sheet("notes")
    notes.append(["anything", "else"])
    folder = tmp_path / "book"
    folder.mkdir()
    book.save(folder / "export.xlsx")
    con, report = ingest(folder)
    got = con.execute("select deal_id, amount, created_at, close_date from deals order by 1"
                      ).fetchall()
    assert got == [("D1", 325020.0, dt.datetime(2024, 3, 5, 14, 22, 10), dt.date(2024, 4, 1)),
                   ("D2", 12.5, dt.datetime(2024, 3, 1), None)]
    assert [f.name for f in report.files] == ["export.xlsx, sheet 'deals'"]
    assert "sheet 'notes'" in report.skip_reasons["export.xlsx"]


# ---- mapping rules ----------------------------------------------------------------------------
def mapping_file(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "m.yml"
    path.write_text("name: m\nsources:\n" + source, encoding="utf-8")
    return path


def test_in_takes_a_list_only(tmp_path):
    path = mapping_file(tmp_path, "  - table: deals\n    columns:\n      deal_id: Ref\n"
                                  "      is_won: {column: Result, in: won}\n")
    with pytest.raises(ConfigError) as error:
        load_mapping(path)
    assert str(error.value).endswith("sources[0].columns.is_won.in: expected a list of values "
                                     "such as [won, lost] (a single value too: [won]), got 'won'")


def test_in_matches_empty_cells_and_keep_reports_what_it_dropped(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "log.csv").write_text(
        "Ref,Seller,Opened,Result,Status\nA,ava,2024-01-02,,keep\nB,ava,2024-01-03,won,keep\n"
        "C,ava,2024-01-04,lost,drop\n", encoding="utf-8")
    path = mapping_file(tmp_path, (
        "  - table: deals\n    keep: {column: Status, in: [keep]}\n    columns:\n"
        "      deal_id: Ref\n      owner_rep_id: Seller\n      created_at: Opened\n"
        "      is_closed: {column: Result, in: [\"\", won, lost]}\n"
        "      is_won: {column: Result, in: [won]}\n"))
    con, report = ingest(folder, str(path))
    assert con.execute("select deal_id, is_closed from deals order by 1").fetchall() == [
        ("A", True), ("B", True)]
    assert "log.csv: 1 of 3 rows left out by the mapping's keep rule for deals" in report.notes


def test_one_file_feeds_several_sources(tmp_path):
    folder = export(tmp_path, **{"log.csv": (
        "id,kind,rep,deal,when,entered\n1,call,ava,D1,2024-03-05,2024-03-05\n"
        "2,task,ava,D1,2024-03-20,2024-03-05\n")})
    shared = "    match: [id, kind, rep, when]\n"
    path = mapping_file(tmp_path, (
        "  - table: deals\n    match: [deal_id, is_closed]\n    columns:\n"
        "      deal_id: deal_id\n      owner_rep_id: owner_rep_id\n      created_at: created_at\n"
        "      is_closed: is_closed\n      is_won: is_won\n"
        "  - table: activities\n" + shared + "    keep: {column: kind, in: [call]}\n"
        "    columns: {activity_id: id, owner_rep_id: rep, deal_id: deal, type: kind,\n"
        "              occurred_at: when, created_at: entered}\n"
        "  - table: planned_activities\n" + shared + "    keep: {column: kind, in: [task]}\n"
        "    columns: {activity_id: id, owner_rep_id: rep, deal_id: deal, type: kind,\n"
        "              occurred_at: when, created_at: entered}\n"))
    con, _ = ingest(folder, str(path))
    assert con.execute("select activity_id from activities").fetchall() == [("1",)]
    assert con.execute("select activity_id from planned_activities").fetchall() == [("2",)]


def test_known_other_objects_are_skipped_and_a_tie_is_reported(tmp_path):
    folder = tmp_path / "sf"
    folder.mkdir()
    (folder / "Opportunity.csv").write_text(
        "Id,OwnerId,StageName,IsWon,IsClosed,CreatedDate\n006A,005A,Won,true,true,"
        "2024-01-02\n", encoding="utf-8")
    (folder / "OpportunityHistory.csv").write_text(
        "Id,OpportunityId,StageName,Amount,ExpectedRevenue,Probability,ForecastCategory\n"
        "008A,006A,Won,1,1,100,Closed\n", encoding="utf-8")
    (folder / "extract.csv").write_text(
        "Id,Company,LeadSource,Status,IsConverted,Name,OwnerId,Industry\n"
        "00QA,Acme,Web,Open,false,Lea,005A,Retail\n", encoding="utf-8")
    _, report = ingest(folder)
    notes = skipped(report)
    assert notes["OpportunityHistory.csv"].startswith("it is a salesforce OpportunityHistory "
                                                      "export, which crmproof does not use")
    assert notes["extract.csv"].startswith("it is a salesforce Lead export")


def test_a_tie_between_two_sources_is_reported_not_guessed(tmp_path):
    folder = export(tmp_path, **{"people.csv": "account_id,rep_id,name,industry,email\n"
                                               "a,r,n,i,e@x\n"})
    message = one_line_error(folder, 3, "--format", "generic")
    assert message.startswith("people.csv: the file matches accounts and reps equally well (3 "
                              "of their identifying headers each), so crmproof cannot tell")


# ---- messages that name the real cause and the fix (issue 14, point 7) -------------------
def test_no_known_format_says_so_and_offers_mapping_suggest(tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "pipeline.csv").write_text("Ref,Seller,Result\n1,ava,won\n", encoding="utf-8")
    message = one_line_error(folder, 3)
    assert message == (f"no file in {folder} looks like a Salesforce, HubSpot, Pipedrive or "
                       "crmproof generic export (pipeline.csv: Ref, Seller, Result); run "
                       f"`crmproof mapping suggest {folder} -o my.yml`, then pass --mapping "
                       "my.yml")
    assert "try --format auto" not in message


def test_a_mapping_without_an_entry_for_a_required_column_says_which_entry(tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "pipeline.csv").write_text("Ref,Seller,Result\n1,ava,won\n", encoding="utf-8")
    path = mapping_file(tmp_path, "  - table: deals\n    match: [Ref, Seller]\n    columns:\n"
                                  "      deal_id: Ref\n      owner_rep_id: Seller\n"
                                  "      is_won: {column: Result, in: [won]}\n")
    message = one_line_error(folder, 3, "--mapping", str(path))
    assert message == ("pipeline.csv: the m mapping says no column for deals.is_closed, which "
                       "crmproof needs (the file's headers: Ref, Seller, Result); add "
                       "`is_closed: <header>` under the deals source of m.yml, or run "
                       "`crmproof mapping suggest` for a mapping that does")


def test_each_rows_own_id_is_stored_uncompressed_and_other_columns_are_not(tmp_path,
                                                                             sample):
    # Compressing IDs that differ on every row cost ingest seconds and saved nothing a
    # query reads; the columns queries join on keep DuckDB's choice.
    from generator.db import connect_db

    con = connect_db(tmp_path / "cache.duckdb")
    ingest_folder(con, sample.folder, load_config())
    con.execute("checkpoint")
    stored = dict(con.execute(
        "select column_name, string_agg(distinct compression, ',') from "
        "pragma_storage_info('activities') where segment_type = 'VARCHAR' "
        "group by all").fetchall())
    assert stored["activity_id"] == "Uncompressed"
    assert "Uncompressed" not in stored["deal_id"] and "Uncompressed" not in stored[
        "owner_rep_id"]
    for table, key in (("deals", "deal_id"), ("accounts", "account_id"), ("reps", "rep_id")):
        assert con.execute(
            "select distinct compression from pragma_storage_info($t) where column_name = $k "
            "and segment_type = 'VARCHAR'", {"t": table, "k": key}).fetchall() == [
            ("Uncompressed",)]
