"""Names from the CRM are shown cleaned wherever they appear: pages, SVG, YAML drafts and
the terminal. No control, format or noncharacter code point, no line break, at most 80
characters, and never an email address or username as a rep's name."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from generator.build import BuildCache
from generator.text import NAME_LIMIT, clean_text, display_name, match_text, terminal_text

from .conftest import ENGINES, engine_settings, run_cli
from .unattended import build, copy_project

csv.field_size_limit(1 << 24)  # the export holds a 200,000-character name
HOSTILE_NAMES = {
    "ffe": "Nina\ufffe Noncharacter",
    "long": "Long " + "x" * 200_000,
    "newline": "Line\nBreak: oops\n---\ndraft: false",
    "escape": "Esc \x1b[31mRed\x1b[0m \x07Bell",
    "email": "someone.private@example.org",
    "bidi": "Evil\u202eReversed\u200b",
}


@pytest.mark.parametrize(("raw", "shown"), [
    ("Ann\x00 \x1b[2J Lee", "Ann [2J Lee"),
    ("A\u200bn\u00adn \ufffe\uffff\U0010fffe", "Ann"),
    ("  two\n\r\tlines  ", "two lines"),
    ("\u202eRight-to-left", "Right-to-left"),
])
def test_clean_text_keeps_one_printable_line(raw, shown):
    assert clean_text(raw) == shown


def test_names_are_capped():
    assert len(clean_text("y" * 200_000)) == NAME_LIMIT
    assert clean_text("y" * 200_000).endswith("…")


@pytest.mark.parametrize(("name", "ids", "shown"), [
    ("ann@example.org", ("r1",), None),
    ("asmith", ("r1", "asmith@example.org"), None),
    ("R1", ("r1",), None),
    ("", ("r1",), None),
    ("Ann Smith", ("r1", "asmith@example.org"), "Ann Smith"),
])
def test_an_identifier_is_never_a_name(name, ids, shown):
    assert display_name(name, *ids) == shown


def test_terminal_text_shows_escapes_instead_of_sending_them():
    assert terminal_text("a\x1b[31mb\x07\nc") == "a\\x1b[31mb\\x07\nc"


def test_match_text_folds_what_looks_alike():
    assert match_text("Оkа\u00adfor Jo\u200bsé ＡＶＡ") == match_text("okafor jose ava")


@pytest.fixture(scope="module", params=ENGINES)
def hostile(built_project, tmp_path_factory, request) -> Path:
    """The small project with hostile rep names, built with privacy: named by each engine."""
    settings = engine_settings(request.param)
    project = copy_project(built_project, tmp_path_factory.mktemp("names") / "project")
    users = project / "exports" / "User.csv"
    with users.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    reps = [row for row in rows if row["Title"] == "Account Executive"]
    for row, name in zip(reps, HOSTILE_NAMES.values(), strict=False):
        row["Name"], row["FirstName"], row["LastName"] = name, "", name
    with users.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    (project / "crmproof.yml").write_text("data:\n  folder: exports\nprivacy: named\n"
                                          + settings, encoding="utf-8")
    result = build(project, "--out", "site")
    assert result.exit_code == 0, result.output
    return project


def test_hostile_names_build_a_clean_small_site(hostile):
    site = hostile / "site"
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".svg", ".json", ".xml"):
            continue
        text = path.read_text("utf-8")
        if path.suffix == ".json":
            text += json.dumps(json.loads(text), ensure_ascii=False)
        for bad in ("\ufffe", "\x1b", "\x07", "\u202e", "x" * 200, "someone.private"):
            assert bad not in text, (path, repr(bad))
    pages = sorted((site / "reps").rglob("index.html"), key=lambda p: p.stat().st_size)
    assert pages[-1].stat().st_size < 150_000
    index = (site / "reps" / "index.html").read_text("utf-8")
    assert "Nina Noncharacter" in index and "Line Break: oops --- draft: false" in index


def test_validate_never_prints_raw_escapes(hostile):
    result = run_cli("validate", "--config", str(hostile / "crmproof.yml"), cwd=hostile)
    assert result.exit_code in (0, 3), result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_a_draft_for_a_rep_with_line_breaks_in_the_name_keeps_its_front_matter(hostile,
                                                                               tmp_path):
    rep_id = _rep_id_named(hostile, HOSTILE_NAMES["newline"])
    result = run_cli("new-story", rep_id, "--config", str(hostile / "crmproof.yml"), "--out",
                     str(tmp_path), cwd=hostile)
    assert result.exit_code == 0, result.output
    text = next(tmp_path.glob("*.md")).read_text("utf-8")
    front = text.split("---\n")[1]
    meta = yaml.safe_load(front)
    assert meta["rep"] == rep_id and meta["draft"] is True and meta["consent"] is False
    assert "# A draft for Line Break: oops --- draft: false" in front


def _rep_id_named(project: Path, name: str) -> str:
    with (project / "exports" / "User.csv").open(newline="", encoding="utf-8") as handle:
        return next(row["Id"] for row in csv.DictReader(handle) if row["Name"] == name)


# ---- unchanged-file detection ----------------------------------------------------------
def test_a_same_size_edit_with_the_old_mtime_is_seen(tmp_path):
    path = tmp_path / "Opportunity.csv"
    path.write_text("Id,Amount\n1,100\n", encoding="utf-8")
    cache = BuildCache(tmp_path / "site")
    first = cache.content_hash(path)
    stat = path.stat()
    path.write_text("Id,Amount\n1,900\n", encoding="utf-8")  # what cp -p / rsync -t do
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert cache.content_hash(path) != first


def test_a_build_sees_an_export_copied_with_cp_p(built_project, tmp_path):
    project = copy_project(built_project, tmp_path / "project")
    assert build(project, "--out", "site").exit_code == 0  # warm: nothing changed
    users = project / "exports" / "User.csv"
    edited = tmp_path / "User.csv"
    text = users.read_text("utf-8")
    edited.write_text(text.replace("West", "Wast", 1), encoding="utf-8")
    shutil.copystat(users, edited)
    shutil.copy2(edited, users)  # same size, same mtime: only the ctime tells
    result = run_cli("build", "--config", str(project / "crmproof.yml"), "--out",
                     str(project / "site"), cwd=project)
    assert result.exit_code == 0, result.output
    assert "Nothing changed" not in result.output
