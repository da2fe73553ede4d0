"""A user-written mapping for a made-up CRM works end to end, with no Python."""

from __future__ import annotations

import pytest

from generator.config import load_config
from generator.db import connect
from generator.errors import ConfigError
from generator.ingest import ingest_folder, load_mapping

from .conftest import run_cli

MAPPING = """\
name: tinycrm
description: TinyCRM pipeline export
null_values: ["n/a"]
sources:
  - table: reps
    columns:
      rep_id: Login
      name: {join: [Given, Family]}
      email: Login
  - table: deals
    match: [Ref, Seller, Result]
    columns:
      deal_id: Ref
      owner_rep_id: Seller
      created_by_rep_id: Typed by
      name: Title
      amount: Worth
      created_at: Opened
      close_date: Decided
      is_closed: {column: Result, in: [won, lost]}
      is_won: {column: Result, in: [won]}
  - table: activities
    match: [Touch, Seller, When]
    keep: {column: Status, in: [done]}
    columns:
      activity_id: Touch
      owner_rep_id: Seller
      deal_id: Ref
      type: Kind
      occurred_at: When
      created_at: Typed at
"""
PEOPLE = "Login,Given,Family\nava@tiny.example,Ava,Okafor\nben@tiny.example,Ben,Lindqvist\n"
DEALS = """\
Ref;Seller;Typed by;Title;Worth;Opened;Decided;Result
T-1;ava@tiny.example;ava@tiny.example;Kiosk;1.200,00 €;02.01.2024;15.02.2024;won
T-2;Ben Lindqvist;ava@tiny.example;Cafeteria;n/a;03.01.2024;n/a;open
T-3;ben@tiny.example;ben@tiny.example;Depot;900;04.01.2024;20.02.2024;lost
"""
TOUCHES = """\
Touch,Seller,Ref,Kind,When,Typed at,Status
1,ava@tiny.example,T-1,Call,2024-01-03 10:00,2024-01-03 11:00,done
2,Ben Lindqvist,T-2,Visit,2024-01-04 10:00,2024-01-06 09:00,done
3,Ben Lindqvist,T-2,Call,2024-03-01 10:00,2024-01-06 09:00,planned
"""


@pytest.fixture
def project(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (exports / "pipeline.csv").write_text(DEALS, encoding="utf-8")
    (exports / "touches.csv").write_text(TOUCHES, encoding="utf-8")
    (tmp_path / "tinycrm.yml").write_text(MAPPING, encoding="utf-8")
    return tmp_path


def test_user_mapping_fills_the_canonical_tables(project):
    con = connect()
    report = ingest_folder(con, project / "exports", load_config(), str(project / "tinycrm.yml"))
    assert report.mapping == "tinycrm"
    assert con.execute("select rep_id, name, is_rep from reps order by 1").fetchall() == [
        ("ava@tiny.example", "Ava Okafor", True), ("ben@tiny.example", "Ben Lindqvist", True)]
    assert con.execute("""select deal_id, owner_rep_id, amount, created_at::date, close_date,
                          is_closed, is_won from deals order by 1""").fetchall() == [
        ("T-1", "ava@tiny.example", 1200.0, *_d("2024-01-02", "2024-02-15"), True, True),
        ("T-2", "ben@tiny.example", None, _d("2024-01-03")[0], None, False, False),
        ("T-3", "ben@tiny.example", 900.0, *_d("2024-01-04", "2024-02-20"), True, False)]
    assert con.execute("select activity_id, owner_rep_id, type from activities order by 1"
                       ).fetchall() == [("1", "ava@tiny.example", "Call"),
                                        ("2", "ben@tiny.example", "Visit")]


def _d(*days):
    import datetime as dt
    return tuple(dt.date.fromisoformat(d) for d in days)


def test_user_mapping_through_the_cli_validate_and_config(project):
    result = run_cli("validate", "--data", "exports", "--mapping", "tinycrm.yml", cwd=project)
    assert result.exit_code == 0, result.output
    assert "(tinycrm format)" in result.output
    (project / "crmproof.yml").write_text("data:\n  folder: exports\n  format: tinycrm.yml\n",
                                          encoding="utf-8")
    result = run_cli("validate", cwd=project)
    assert result.exit_code == 0, result.output
    assert "deals" in result.output


@pytest.mark.slow
def test_user_mapping_builds_a_site(project):
    assert run_cli("init", "--data", "exports", cwd=project).exit_code == 0
    for story in (project / "content" / "stories").glob("*.md"):
        story.unlink()  # the bundled stories name demo reps
    result = run_cli("build", "--mapping", "tinycrm.yml", "--quiet", cwd=project)
    assert result.exit_code == 0, result.output
    assert (project / "site" / "data-quality" / "index.html").is_file()


@pytest.mark.parametrize("text, message", [
    ("name: x\nsource: []\n", "unknown key 'source'; did you mean 'sources'?"),
    ("sources:\n  - table: deal\n    columns: {deal_id: Ref}\n",
     "sources[0]: unknown table 'deal'; did you mean 'deals'?"),
    ("sources:\n  - table: deals\n    columns: {deal_idd: Ref}\n",
     "unknown column 'deal_idd' for table deals; did you mean 'deal_id'?"),
    ("sources:\n  - table: deals\n    columns: {deal_id: {colum: Ref, in: [x]}}\n",
     "expected a header, a list of headers, or one of"),
    ("sources:\n  - table: deals\n    keep: Done\n    columns: {deal_id: Ref}\n",
     "keep: expected {column, in} or {any_of}"),
])
def test_mapping_mistakes_are_named(tmp_path, text, message):
    path = tmp_path / "m.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("{", r"\{").replace("}", r"\}")
                       .replace("[", r"\[").replace("]", r"\]").replace("?", r"\?")):
        load_mapping(path)


def test_readme_mapping_example_works(project):
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# tinycrm.yml\n.*?)```", readme, re.S).group(1)
    (project / "readme.yml").write_text(example, encoding="utf-8")
    con = connect()
    ingest_folder(con, project / "exports", load_config(), str(project / "readme.yml"))
    assert con.execute("select count(*), count(deal_id) from activities").fetchall() == [(2, 2)]
    assert con.execute("select count(*) from deals where is_won").fetchall() == [(1,)]
