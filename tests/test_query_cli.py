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
                      "--format", "json")
    as_csv = run_cli("query", "win_rate_by_tier", "--data", str(sample.folder),
                     "--format", "csv")
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
