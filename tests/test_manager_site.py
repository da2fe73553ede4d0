"""The manager's copy of the demo: a 1:1 sheet per rep, each persona's pattern, the banner
and noindex everywhere, its own search index, and never mixed with the reps' site."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest

from .conftest import run_cli, search_docs

BANNER = "Manager's copy, do not publish."
PATTERNS = {"never_logs_in": "Never logs in", "logs_in_little": "Logs in but creates almost "
            "nothing", "friday_batcher": "Enters late, in batches",
            "assisted": "Others enter for them", "slipping": "A good habit slipping",
            "daily": "Keeps the habit"}


def _names(sample) -> dict[str, str]:
    with (sample.folder / "User.csv").open(encoding="utf-8") as handle:
        return {row["Id"]: row["Name"] for row in csv.DictReader(handle)}


def _pages(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): html.unescape(p.read_text(encoding="utf-8"))
            for p in sorted(root.rglob("*.html"))}


def _sheet(manager_site: Path, text_of_name: str) -> str:
    """A rep's sheet as text (tags removed)."""
    for path, text in _pages(manager_site).items():
        if path.startswith("coaching/") and f"1:1 sheet: {text_of_name}" in text:
            return re.sub(r"<[^>]+>", "", text)
    raise AssertionError(f"no sheet for {text_of_name}")


def test_every_rep_has_a_one_on_one_sheet(manager_site, sample):
    names = _names(sample)
    sheets = sorted(p.parent.name for p in (manager_site / "coaching").glob("*/index.html"))
    assert len(sheets) == len(sample.personas)
    assert "chloe-mensah" in sheets and "tara-angstrom" in sheets  # accents folded
    for rep_id in sample.personas:
        _sheet(manager_site, names[rep_id])


def test_each_persona_shows_its_pattern_with_numbers_and_questions(manager_site, sample):
    names = _names(sample)
    first = {}
    for rep_id, persona in sample.personas.items():
        first.setdefault(persona, names[rep_id])
    for persona, title in PATTERNS.items():
        text = _sheet(manager_site, first[persona])
        assert f"{title}." in text, (persona, title)
        start = text.index(f"{title}.")
        block = text[start:text.index("Worth asking first", start)]
        assert re.search(r"\d", block), f"{persona}: no numbers behind '{title}'"
        assert text.count("?") >= 2, persona  # the questions worth asking
    assert "Points to a training conversation" in _sheet(manager_site, first["logs_in_little"])
    assert "Sam Helper" in _sheet(manager_site, first["assisted"])  # who enters for them
    never = _sheet(manager_site, first["never_logs_in"])
    assert "not a training problem" in never  # the demo log's demonstration: could
    assert "they could not" in _sheet(manager_site, first["logs_in_little"])
    slipping = _sheet(manager_site, first["slipping"])
    assert "17:30-17:45, agreed on 03 Jun 2026" in slipping
    assert "One-on-one on 03 Jun 2026" in slipping and "Grade-A" in slipping


def test_every_page_carries_the_banner_and_noindex(manager_site):
    pages = _pages(manager_site)
    assert len(pages) > 20
    for path, text in pages.items():
        assert BANNER in text, path
        assert '<meta name="robots" content="noindex, nofollow, noarchive">' in text, path
    assert (manager_site / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nDisallow: /\n")
    assert json.loads((manager_site / ".crmproof-site.json").read_text())["audience"] == \
        "manager"


def test_the_manager_copy_has_its_own_search_index_with_names(manager_site, demo_site, sample):
    names = list(_names(sample)[rep] for rep in sample.personas)
    text = json.dumps(search_docs(manager_site), ensure_ascii=False)
    assert sum(name in html.unescape(text) for name in names) == len(names)
    theirs = json.dumps(search_docs(demo_site), ensure_ascii=False)
    assert not any(name in html.unescape(theirs) for name in names)


def test_the_ladder_flags_reps_treated_differently(manager_site):
    ladder = _pages(manager_site)["ladder/index.html"]
    part = ladder[ladder.index("Same level, treated differently"):]
    assert "logged for Chloé Mensah" in part and "Ben Patel" in part


def test_nothing_of_the_managers_copy_is_in_the_reps_site(demo_site):
    assert not (demo_site / "coaching").exists()
    assert not (demo_site / "assets" / "manager.css").exists()
    for path, text in _pages(demo_site).items():
        assert BANNER not in text and "noindex" not in text, path
    assert json.loads((demo_site / ".crmproof-site.json").read_text())["audience"] == "rep"


@pytest.mark.parametrize("where", ["default", "rep_site", "inside", "around"])
def test_the_manager_copy_refuses_the_reps_folder(tmp_path, demo_site, where):
    out = {"default": "site", "rep_site": str(demo_site), "inside": str(demo_site / "mgr"),
           "around": str(demo_site.parent)}[where]
    before = sorted(p.name for p in demo_site.iterdir())
    result = run_cli("build", "--audience", "manager", "--out", out, "--quiet", cwd=tmp_path)
    assert result.exit_code == 5, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "reps' site" in result.output and "--out" in result.output
    assert sorted(p.name for p in demo_site.iterdir()) == before
    assert not (tmp_path / "site").exists()


def test_the_reps_site_refuses_the_managers_folder(manager_site, tmp_path):
    result = run_cli("build", "--out", str(manager_site), "--quiet")
    assert result.exit_code == 5 and "holds the manager's copy" in result.output


def test_the_same_input_gives_the_same_managers_copy(manager_site, tmp_path):
    again = tmp_path / "manager-site"
    result = run_cli("build", "--audience", "manager", "--out", str(again), "--quiet")
    assert result.exit_code == 0, result.output
    first = {p.relative_to(manager_site): p.read_bytes() for p in manager_site.rglob("*")
             if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_patterns_without_their_inputs_say_not_in_this_export(tmp_path, sample):
    """No login history, no created-by column: nothing is read from zeros."""
    export = tmp_path / "export"
    export.mkdir()
    for path in sample.folder.glob("*.csv"):
        if path.name == "LoginHistory.csv":
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        keep = [i for i, column in enumerate(rows[0]) if column != "CreatedById"]
        with (export / path.name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([[row[i] for i in keep] for row in rows])
    out = tmp_path / "manager-site"
    result = run_cli("build", "--audience", "manager", "--data", str(export), "--out",
                     str(out), "--quiet", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    sheets = [t for p, t in _pages(out).items() if p.startswith("coaching/")]
    assert sheets
    for text in sheets:
        assert "Logins are not in this export" in text
        assert "Who created each record is not in this export" in text
        assert "Never logs in." not in text and "Others enter for them." not in text
    assert "no coaching log yet" in _pages(out)["index.html"]
