"""`crmproof query`: list metrics, print one as table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from generator.errors import QueryError
from generator.metrics import load_queries

from .conftest import run_cli


def test_list_shows_every_query_with_its_description():
    result = run_cli("query", "--list")
    assert result.exit_code == 0, result.output
    for name, query in load_queries().items():
        assert f"{name}" in result.output
        assert query.description in result.output


def test_json_and_csv_agree_and_match_the_win_rate_definition(sample):
    as_json = run_cli("query", "win_rate_by_tier", "--data", str(sample.folder),
                      "--output", "json")
    as_csv = run_cli("query", "win_rate_by_tier", "--data", str(sample.folder),
                     "--output", "csv")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.output)
    table = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert [r["tier"] for r in rows] == [r["tier"] for r in table]
    for row in rows:
        assert row["win_rate"] == row["won_deals"] / row["closed_deals"]
    assert {r["tier"] for r in rows} <= {"none", "ineffective", "moderate", "grade_a"}


def test_table_output_has_header_and_rule(sample):
    result = run_cli("query", "tier_mix", "--data", str(sample.folder))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["period_index", "period_start"]
    assert set(lines[1].replace(" ", "")) == {"-"}


def test_unknown_query_is_one_line_error():
    result = run_cli("query", "win_rat")
    assert result.exit_code == QueryError.exit_code
    assert result.output == ("Error: unknown query 'win_rat'; 'crmproof query --list' shows "
                             f"the {len(load_queries())} available\n")


def test_query_and_validate_reuse_the_builds_ingested_export(sample, tmp_path, monkeypatch):
    """After `crmproof build` (default --out), the commands open its cached database: the
    export is not read again, and the database is on disk under the memory cap."""
    from generator.build import project as project_module

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CRMPROOF_MEMORY_LIMIT", "256MB")
    built = run_cli("build", "--data", str(sample.folder), "--quiet")
    assert built.exit_code == 0, built.output
    assert list((tmp_path / ".crmproof-cache").glob("ingest-*.duckdb"))

    def no_ingest(*args, **kwargs):
        raise AssertionError("the export was ingested again")

    monkeypatch.setattr(project_module, "ingest_folder", no_ingest)
    result = run_cli("query", "tier_mix", "--data", str(sample.folder), "--output", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)
    checked = run_cli("validate", "--data", str(sample.folder))
    assert checked.exit_code == 0, checked.output
    opened = project_module.open_project(data=sample.folder)
    assert opened.con.execute("select current_setting('memory_limit')").fetchall() == [
        ("244.1 MiB",)]


def test_query_on_a_new_export_ingests_it_into_the_cache(sample, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = run_cli("query", "win_rate_by_tier", "--data", str(sample.folder), "--output", "csv")
    assert first.exit_code == 0, first.output
    assert len(list((tmp_path / ".crmproof-cache").glob("ingest-*.duckdb"))) == 1
    again = run_cli("query", "win_rate_by_tier", "--data", str(sample.folder), "--output", "csv")
    assert again.output == first.output


def test_csv_prints_exact_numbers_and_tables_stay_short():
    from generator.cli.data_commands import render_rows

    rows = [(325020.0, 0.1234567, None, True)]
    assert render_rows(("a", "b", "c", "d"), rows, "csv") == "a,b,c,d\n325020,0.1234567,,true"
    assert render_rows(("a", "b", "c", "d"), rows, "table").splitlines()[2].split() == [
        "325020", "0.1235", "true"]


def test_query_takes_the_export_format_and_a_mapping(sample, tmp_path):
    """--format means the export's format, as everywhere; --output how to print."""
    result = run_cli("query", "win_rate_by_tier", "--data", str(sample.folder), "--format",
                     "salesforce", "--output", "csv", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("tier,tier_rank,closed_deals")
    wrong = run_cli("query", "win_rate_by_tier", "--data", str(sample.folder), "--format",
                    "hubspot", cwd=tmp_path)
    assert wrong.exit_code == 3 and "matches the hubspot mapping" in wrong.output


def test_a_query_past_the_memory_cap_says_what_to_do(tmp_path, monkeypatch):
    import duckdb
    import pytest

    from generator.errors import QueryError
    from generator.metrics import run
    from generator.metrics.queries import Query

    heavy = Query("heavy", "", "", "select list(range) as l from range(100000000)",
                  tmp_path / "heavy.sql")
    monkeypatch.setattr(run, "get_query", lambda name: heavy)
    con = duckdb.connect()
    con.execute("set memory_limit = '32MB'; set threads = 1")
    with pytest.raises(QueryError) as error:
        run.run_query(con, "heavy", {})
    text = str(error.value)
    assert "heavy.sql" in text and "MiB)" in text and "CRMPROOF_MEMORY_LIMIT" in text
    assert "\n" not in text


def test_window_board_reads_the_agreed_windows_of_the_coaching_log():
    """As on the manager's copy: the demo log agrees 17:30-17:45 with one rep (and the
    team default with another), so their weeks show those windows as agreed."""
    from generator.sample import demo_coaching_log

    result = run_cli("query", "window_board", "--output", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    logged = {row["window"] for row in csv.DictReader(io.StringIO(demo_coaching_log()))
              if row["window"]}
    agreed = [row for row in rows if row["window_agreed"]]
    assert agreed and {row["window_text"] for row in agreed} == logged
    assert {row["window_text"] for row in rows if not row["window_agreed"]} == {"16:30-16:45"}
