"""Input robustness: encodings, delimiters, quoting, date/amount/boolean spellings, Parquet,
untidy headers and HubSpot-style owners, all through the real ingest."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.config import load_config
from generator.db import connect
from generator.errors import DataError
from generator.ingest import ingest_folder

HEADER = ["deal_id", "owner_rep_id", "name", "amount", "created_at", "close_date", "is_closed",
          "is_won"]
ROW = ["D1", "Jonas Müller", "Café € deal", "1234.50", "2024-03-05", "2024-04-30", "true",
       "false"]


def ingest(folder, fmt="auto", **data):
    con = connect()
    config = load_config()
    config.values["data"].update(data)
    report = ingest_folder(con, folder, config, fmt)
    return con, report


def write(folder, text: str, *, encoding="utf-8", name="deals.csv"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))
    return folder


def csv_text(rows, sep=",", header=HEADER):
    return "\r\n".join(sep.join(r) for r in [header, *rows]) + "\r\n"


def deal(con, column, deal_id="D1"):
    return con.execute(f"select {column} from deals where deal_id = ?", [deal_id]).fetchall()[0][0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_encodings(tmp_path, encoding):
    con, _ = ingest(write(tmp_path / "x", csv_text([ROW]), encoding=encoding))
    assert deal(con, "owner_rep_id") == "Jonas Müller"
    assert deal(con, "name") == "Café € deal"


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters(tmp_path, sep):
    row = [*ROW[:3], "1.234,50" if sep == ";" else "1234.50", *ROW[4:]]
    con, _ = ingest(write(tmp_path / "x", csv_text([row], sep), name="deals.tsv"))
    assert deal(con, "amount") == 1234.5


def test_quoted_newlines_and_quotes(tmp_path):
    text = csv_text([["D1", "ava", '"Line one\r\nline ""two"""', "1", "2024-03-05", "", "0",
                      "0"], ["D2", "ava", "plain", "2", "2024-03-06", "", "0", "0"]])
    con, _ = ingest(write(tmp_path / "x", text))
    assert deal(con, "name") == 'Line one\r\nline "two"'
    assert deal(con, "amount", "D2") == 2


@pytest.mark.parametrize("text, expected", [
    ("2024-03-05", dt.datetime(2024, 3, 5)),
    ("2024-03-05T14:22:10.000+0000", dt.datetime(2024, 3, 5, 14, 22, 10)),
    ("2024-03-05T16:22:10.000+0200", dt.datetime(2024, 3, 5, 14, 22, 10)),
    ("2024-01-22T16:14:25Z", dt.datetime(2024, 1, 22, 16, 14, 25)),
    ("2023-05-11 14:02:11", dt.datetime(2023, 5, 11, 14, 2, 11)),
    ("03/25/2024", dt.datetime(2024, 3, 25)),
    ("8/27/2024 11:15", dt.datetime(2024, 8, 27, 11, 15)),
    ("25.03.2024", dt.datetime(2024, 3, 25)),
    ("25.03.2024 09:30", dt.datetime(2024, 3, 25, 9, 30)),
])
def test_timestamp_spellings(tmp_path, text, expected):
    con, _ = ingest(write(tmp_path / "x", csv_text([[*ROW[:4], text, *ROW[5:]]])))
    assert deal(con, "created_at") == expected


@pytest.mark.parametrize("order, expected", [("mdy", dt.date(2024, 4, 3)),
                                             ("dmy", dt.date(2024, 3, 4))])
def test_date_order_decides_ambiguous_dates(tmp_path, order, expected):
    con, _ = ingest(write(tmp_path / "x", csv_text([[*ROW[:5], "04/03/2024", *ROW[6:]]])),
                    date_order=order)
    assert deal(con, "close_date") == expected


def test_day_first_dates_are_detected_and_ambiguity_is_warned(tmp_path):
    rows = [[f"D{i}", *ROW[1:5], day, *ROW[6:]] for i, day in
            enumerate(["25/03/2024", "04/03/2024"])]
    con, report = ingest(write(tmp_path / "x", csv_text(rows)))
    assert deal(con, "close_date", "D1") == dt.date(2024, 3, 4)
    con, report = ingest(write(tmp_path / "y", csv_text([[*ROW[:5], "04/03/2024", *ROW[6:]]])))
    assert report.warnings and "ambiguous" in report.warnings[0]


def test_a_day_first_date_deep_in_an_iso_file_decides_its_order(tmp_path):
    """The typed insert assumes ISO dates and starts over once it meets a slash date."""
    rows = [[f"D{i}", *ROW[1:]] for i in range(20_000)]
    rows[-1][5] = "13/02/2024"
    rows[-2][5] = "04/03/2024"
    con, report = ingest(write(tmp_path / "x", csv_text(rows)))
    assert deal(con, "close_date", "D19999") == dt.date(2024, 2, 13)
    assert deal(con, "close_date", "D19998") == dt.date(2024, 3, 4)
    assert deal(con, "close_date", "D0") == dt.date(2024, 4, 30)
    assert con.execute("select count(*) from deals").fetchall() == [(20_000,)]
    assert report.files[0].date_order == "dmy" and not report.warnings


def test_a_bad_value_late_in_a_file_with_slash_dates_names_its_row(tmp_path):
    rows = [[f"D{i}", *ROW[1:5], "04/03/2024", *ROW[6:]] for i in range(5_000)]
    rows[4_321][3] = "12k"
    with pytest.raises(DataError) as error:
        ingest(write(tmp_path / "x", csv_text(rows)))
    assert str(error.value).startswith("deals.csv, row 4323, column 'amount': cannot read '12k'")


@pytest.mark.parametrize("text, expected", [
    ("$1,234.50", 1234.5), ("1.234,50 €", 1234.5), ("1234.5", 1234.5), ("EUR 1 234,50", 1234.5),
    ("(12.00)", -12.0), ("", None), ("1.234.567", 1234567.0),
])
def test_amount_spellings(tmp_path, text, expected):
    sep = ";" if "," in text else ","
    con, _ = ingest(write(tmp_path / "x", csv_text([[*ROW[:3], text, *ROW[4:]]], sep)))
    assert deal(con, "amount") == expected


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("false", False), ("1", True), ("0", False), ("Yes", True), ("No", False),
    ("", False), ("TRUE", True),
])
def test_boolean_spellings(tmp_path, text, expected):
    con, _ = ingest(write(tmp_path / "x", csv_text([[*ROW[:6], "true", text]])))
    assert deal(con, "is_won") is expected


def test_unreadable_boolean_names_the_value(tmp_path):
    with pytest.raises(DataError, match=r"row 2, column 'is_won': cannot read 'maybe'"):
        ingest(write(tmp_path / "x", csv_text([[*ROW[:7], "maybe"]])))


def test_parquet_and_csv_together(tmp_path):
    folder = write(tmp_path / "x", csv_text([ROW]), name="deals.csv")
    con = connect()
    con.execute("create table p as select 'D2' as deal_id, 'ava' as owner_rep_id, "
                "1500.25 as amount, timestamp '2024-02-01 10:00' as created_at, "
                "true as is_closed, true as is_won")
    con.execute(f"copy p to '{folder / 'more_deals.parquet'}' (format parquet)")
    con, report = ingest(folder)
    assert {f.path.name for f in report.files} == {"deals.csv", "more_deals.parquet"}
    assert deal(con, "amount", "D2") == 1500.25
    assert deal(con, "is_won", "D2") is True
    assert deal(con, "created_at", "D2") == dt.datetime(2024, 2, 1, 10)


def test_headers_with_trailing_and_non_breaking_spaces(tmp_path):
    header = [f"{h} " if i % 2 else f"\xa0{h}" for i, h in enumerate(HEADER)]
    con, _ = ingest(write(tmp_path / "x", csv_text([ROW], header=header)))
    assert deal(con, "amount") == 1234.5


def test_hubspot_owners_as_names_emails_and_deactivated(tmp_path):
    header = ["Record ID", "Deal Name", "Deal Stage", "Create Date", "Deal owner",
              "Is Closed Won", "Is closed lost", "Amount"]
    rows = [["1", "A", "Closed won ", "2024-01-02 10:00", "Ava Okafor", "true", "false", ""],
            ["2", "B", "Closed lost", "2024-01-03 10:00", "ava@example.com", "false", "true",
             ""],
            ["3", "C", "Qualified", "2024-01-04 10:00", "Ava Okafor (Deactivated User)",
             "false", "false", "100"]]
    users = csv_text([["Ava", "Okafor", "ava@example.com", "11", "West"]],
                     header=["First Name", "Last Name", "Email", "User ID", "Teams"])
    folder = write(tmp_path / "x", csv_text(rows, header=header), name="deals.csv")
    write(folder, users, name="users.csv")
    con, report = ingest(folder)
    assert report.mapping == "hubspot"
    assert con.execute("select distinct owner_rep_id from deals").fetchall() == [("11",)]
    assert con.execute("select deal_id, is_closed, is_won from deals order by 1").fetchall() == [
        ("1", True, True), ("2", True, False), ("3", False, False)]


def test_hubspot_owners_without_a_user_file_become_reps(tmp_path):
    header = ["Record ID", "Deal Name", "Deal Stage", "Create Date", "Deal owner",
              "Is Closed Won"]
    rows = [["1", "A", "x", "2024-01-02", "Ava Okafor", "false"],
            ["2", "B", "x", "2024-01-02", "Ava Okafor (Deactivated User)", "false"]]
    con, _ = ingest(write(tmp_path / "x", csv_text(rows, header=header)))
    assert con.execute("select rep_id, active from reps").fetchall() == [("Ava Okafor", False)]
    assert con.execute("select distinct owner_rep_id from deals").fetchall() == [("Ava Okafor",)]


def test_large_file_streams_without_python_rows(tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    con = connect()
    con.execute(f"""copy (select 'D' || i as deal_id, 'rep' || (i % 50) as owner_rep_id,
                          (i % 1000) || '.50' as amount, '2024-01-02 10:00:00' as created_at,
                          'true' as is_closed, case when i % 3 = 0 then 'Yes' else 'No' end
                          as is_won from range(200000) t(i))
                    to '{folder / "deals.csv"}' (header, delimiter ';')""")
    con, report = ingest(folder)
    assert report.files[0].rows == 200_000
    assert con.execute("select count(*), sum(is_won::int) from deals").fetchall() == [
        (200_000, 66_667)]
