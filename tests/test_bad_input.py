"""Bad input: one exact line naming file, row, column and the fix; the old site survives."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.site import MARKER

from .conftest import DATA, run_cli

BAD = DATA / "bad"
CASES = {
    "missing_folder": (
        ["--data", "{bad}/no_such_folder"], 3,
        "data folder {bad}/no_such_folder does not exist; pass --data with the folder "
        "holding your CRM export files"),
    "empty_file": (
        [], 3,
        "Opportunity.csv: the file is empty; export it again or remove it from the folder"),
    "missing_required_column": (
        [], 3,
        "Opportunity.csv: required column 'IsClosed' is missing (the salesforce mapping needs "
        "it for deals.is_closed); found Id, AccountId, OwnerId, Name, StageName, Amount, "
        "CloseDate, IsWon; export that column or use --mapping"),
    "unparseable_date": (
        [], 3,
        "Opportunity.csv, row 3, column 'CreatedDate': cannot read 'next Tuesday' as a "
        "date/time; use YYYY-MM-DD or set data.date_order"),
    "unparseable_amount": (
        [], 3,
        "Opportunity.csv, row 3, column 'Amount': cannot read '12k EUR' as an amount; use a "
        "plain number like 1234.50"),
    "duplicate_ids": (
        [], 3,
        "Opportunity.csv, column 'Id': ID '006A00000000001AAA' appears 2 times in deals; "
        "remove the duplicate rows or export again"),
    "wrong_format": (
        ["--format", "hubspot"], 3,
        "no file in {case} matches the hubspot mapping (Opportunity.csv: Id, AccountId, "
        "OwnerId, Name, StageName, Amount, CloseDate, IsClosed); leave --format out to detect "
        "the format, or run `crmproof mapping suggest {case} -o my.yml` and pass "
        "--mapping my.yml"),
    "binary_garbage": (
        [], 3,
        "Opportunity.csv, row 1: the file holds binary data, not text (45 control bytes in "
        "its first 406 bytes); export it again as CSV (UTF-8), XLSX or Parquet"),
    "excel_as_csv": (
        [], 3,
        "Opportunity.csv: the file is an Excel workbook or a ZIP archive, not CSV; open it "
        "and save it as 'CSV UTF-8' or .xlsx, or export CSV from the CRM"),
    "mapping_typo": (
        ["--mapping", "{case}/mapping.yml"], 2,
        "{case}/mapping.yml: sources[0]: unknown key 'colums'; did you mean 'columns'?"),
    "unknown_format": (
        ["--data", "{bad}/wrong_format", "--format", "sugarcrm"], 2,
        "unknown format 'sugarcrm'; use auto, salesforce, hubspot, pipedrive, generic or the "
        "path of a mapping .yml file"),
}


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def previous_site(tmp_path) -> Path:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<h1>yesterday's site</h1>\n", encoding="utf-8")
    (site / MARKER).write_text('{"audience": "rep", "generator": "crmproof"}\n', "utf-8")
    (site / "assets" / "app.css").write_text("body{}\n", encoding="utf-8")
    return site


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_exact_line_and_keeps_the_previous_site(case, previous_site):
    args, code, message = CASES[case]
    case_dir = BAD / case
    words = {"bad": BAD, "case": case_dir}
    args = [a.format(**words) for a in args]
    if "--data" not in args:
        args = ["--data", str(case_dir), *args]
    before = digest(previous_site)
    result = run_cli("build", "--out", str(previous_site), "--quiet", *args)
    assert result.output == f"Error: {message.format(**words)}\n"
    assert result.exit_code == code
    assert "Traceback" not in result.output
    assert digest(previous_site) == before
    leftovers = [p.name for p in previous_site.parent.iterdir()
                 if p.name.startswith(".crmproof-build") or "-old-" in p.name]
    assert leftovers == []


def test_debug_shows_the_traceback_and_keeps_the_exit_code(previous_site):
    plain = run_cli("build", "--data", str(BAD / "empty_file"), "--out", str(previous_site))
    result = run_cli("--debug", "build", "--data", str(BAD / "empty_file"),
                     "--out", str(previous_site))
    assert plain.exit_code == result.exit_code == 3
    assert "Traceback (most recent call last)" in result.output
    assert "DataError" in result.output and "Traceback" not in plain.output
    assert result.output.splitlines()[-1] == plain.output.splitlines()[-1]


@pytest.mark.parametrize("case", ["unparseable_date", "duplicate_ids"])
def test_validate_reports_the_same_line(case):
    result = run_cli("validate", "--data", str(BAD / case))
    assert result.exit_code == 3
    assert result.output == f"Error: {CASES[case][2]}\n"
