"""Config, mappings, stories and options are text typed by people: every bad value is one
line naming its key or file with a project exit code, checked before anything runs, and
nothing from them executes in a browser.

The corpus of bad crmproof.yml files is tests/data/bad_config/ (one case per file).
"""

from __future__ import annotations

import csv
import html
import re
import struct
import time
import zlib
from pathlib import Path

import duckdb
import pytest

from generator import site as site_module
from generator.config import load_config

from .conftest import DATA, engine_settings, run_cli
from .unattended import assert_one_line, build, copy_project, digest

BAD_CONFIG = DATA / "bad_config"
CONFIG_CASES = {  # file -> what its one line must say (after "Error: <file>: ")
    "seed_negative": "Config value 'seed': must be at least 0, got -1",
    "weeks_huge": "Config value 'program.weeks': must be at most 520, got 1000000000",
    "timezone_typo": "Config value 'timezone': unknown time zone 'Europe/Berln'; did you "
                     "mean 'Europe/Berlin'?",
    "history_overflow": "Config value 'history_periods': history_periods × period_days "
                        "covers 366,000 days",
    "threshold_nan": "Config value 'tiers.grade_a_min_active_share': expected a finite "
                     "number, got nan",
    "lag_inf": "Config value 'tiers.moderate_max_lag_days': expected a finite number",
    "rate_inf": "Config value 'data.currency_rates.USD': expected a positive number",
    "alias_bomb": "not valid YAML (it expands to more than 100,000 values through aliases",
    "deep_nesting": "not valid YAML (nested too deeply)",
    "not_utf8": "line 2: not UTF-8 text (byte 0xe9); save it as UTF-8",
    "url_quote": "Config value 'site.url': expected an http:// or https:// address",
    "url_javascript": "Config value 'site.url': expected an http:// or https:// address",
    "logo_outside": "Config value 'site.logo': '/etc/hostname' is outside the project folder",
    "logo_not_image": "is not a PNG, JPEG, GIF, WebP or ICO image",
    "name_newline": "Config value 'site.name': must be one line of printable text",
    "as_of_impossible": "Config value 'as_of': expected a date YYYY-MM-DD, got '2026-13-45'",
    "as_of_far": "Config value 'as_of': expected a date from 1970-01-01 to 2099-12-31",
    "start_date_year1": "Config value 'program.start_date': expected a date from 1970-01-01",
    "daily_window_bad": "Config value 'program.daily_window': expected HH:MM-HH:MM",
    "workdays_empty": "Config value 'workdays': expected distinct days",
    "privacy_unknown": "Config value 'privacy': expected one of off, anonymous, named",
    "engine_unknown": "Config value 'site.engine': expected one of mkdocs, zensical, got 'hugo'",
    "zensical_name_markup": "Config value 'site.name': site.engine zensical writes it into the "
                            "page unescaped, so it cannot hold '<'",
    "zensical_name_entity": "so it cannot hold a character reference (&name;); reword it or "
                            "use site.engine: mkdocs",
}


@pytest.fixture
def project(built_project, tmp_path) -> Path:
    return copy_project(built_project, tmp_path / "project")


def test_every_corpus_file_has_a_case():
    assert sorted(p.stem for p in BAD_CONFIG.glob("*.yml")) == sorted(CONFIG_CASES)


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_bad_config_is_one_line_naming_the_key_before_anything_runs(case, project):
    config = BAD_CONFIG / f"{case}.yml"
    before, corpus = digest(project), digest(BAD_CONFIG)
    start = time.perf_counter()
    result = run_cli("build", "--quiet", "--config", str(config), "--data",
                     str(project / "exports"), "--out", str(project / "site"))
    assert time.perf_counter() - start < 5  # an alias bomb fails fast, no ingest ran
    assert_one_line(result, 2, f"{config}", CONFIG_CASES[case])
    assert digest(project) == before and digest(BAD_CONFIG) == corpus


def test_privacy_off_needs_no_quotes(tmp_path):
    (tmp_path / "crmproof.yml").write_text("privacy: off\n", encoding="utf-8")
    assert load_config(tmp_path / "crmproof.yml")["privacy"] == "off"


@pytest.mark.parametrize("value", ["seed: 4294967295", "min_n: 1", "period_days: 366",
                                   "history_periods: 99\nperiod_days: 366",
                                   "timezone: America/Los_Angeles", "as_of: 2026-09-30",
                                   "site:\n  url: https://intranet.example/crm/"])
def test_values_at_the_edges_of_their_range_are_accepted(tmp_path, value):
    (tmp_path / "crmproof.yml").write_text(value + "\n", encoding="utf-8")
    load_config(tmp_path / "crmproof.yml")


@pytest.mark.parametrize("option", ["--as-of", "--today"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30"])
def test_dates_on_the_command_line_are_range_checked(project, option, day):
    before = digest(project)
    assert_one_line(build(project, option, day, "--out", "site"), 2, f"'{option}'")
    assert digest(project) == before


def test_a_record_dated_in_year_9999_never_makes_a_traceback(project):
    tasks = project / "exports" / "Task.csv"
    lines = tasks.read_text("utf-8").splitlines()
    lines[1] = re.sub(r"\d{4}-\d\d-\d\dT", "9999-12-31T", lines[1])
    tasks.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(project, "--out", "site")
    if result.exit_code:
        assert_one_line(result, 3, "9999-12-31")
    else:
        assert "Data as of 9999" not in (project / "site" / "index.html").read_text("utf-8")
    assert build(project, "--out", "site", "--as-of", "2026-09-30").exit_code == 0


@pytest.mark.parametrize("amount", ["1e308", "inf", "-1e16", "nan"])
def test_an_amount_no_deal_can_have_is_one_line(project, amount):
    deals = project / "exports" / "Opportunity.csv"
    with deals.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["Amount"] = amount
    with deals.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    before = digest(project / "site")
    assert_one_line(build(project, "--out", "site"), 3, "Opportunity.csv", amount)
    assert digest(project / "site") == before


# ---- site.name, site.url, site.logo --------------------------------------------------
def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b""))


def test_config_strings_never_reach_a_page_as_markup(project):
    (project / "logo.img").write_bytes(_png())
    (project / "crmproof.yml").write_text(
        "data:\n  folder: exports\nsite:\n"
        "  name: '<script>alert(1)</script> & \"Co\"'\n"
        "  team_name: '<img src=x onerror=alert(2)>'\n"
        "  url: https://intranet.example/crm/\n"
        "  logo: logo.img\n", encoding="utf-8")
    result = build(project, "--out", "site")
    assert result.exit_code == 0, result.output
    site = project / "site"
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page
    home = (site / "index.html").read_text("utf-8")
    title = re.search(r"<title>(.*?)</title>", home).group(1)
    assert html.unescape(title) == 'Home - <script>alert(1)</script> & "Co"'
    assert '<link rel="canonical" href="https://intranet.example/crm/">' in home
    assert (site / "assets" / "logo.png").read_bytes() == _png()  # named by its content


def test_config_strings_on_zensical_show_as_typed_and_never_as_markup(project):
    """Zensical writes site_name unescaped (a config check keeps markup out of it); every
    other config string and the logo behave as on MkDocs."""
    engine_settings("zensical")  # skips where Zensical is not installed
    (project / "logo.img").write_bytes(_png())
    (project / "crmproof.yml").write_text(
        "data:\n  folder: exports\nsite:\n  engine: zensical\n"
        "  name: \"R&D's team & Co. > the rest\"\n"
        "  team_name: '<img src=x onerror=alert(2)>'\n"
        "  url: https://intranet.example/crm/\n"
        "  logo: logo.img\n", encoding="utf-8")
    result = build(project, "--out", "site")
    assert result.exit_code == 0, result.output
    site = project / "site"
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "<img src=x" not in text and "onerror=alert(2)>" not in text, page
    home = (site / "index.html").read_text("utf-8")
    name = "R&D's team & Co. > the rest"
    assert html.unescape(re.search(r"<title>(.*?)</title>", home).group(1)) == f"Home - {name}"
    labels = {html.unescape(m) for m in re.findall(r'class="md-header__button md-logo" '
                                                   r'aria-label="([^"]*)"', home)}
    assert labels == {name}
    assert '<link rel="canonical" href="https://intranet.example/crm/">' in home
    assert (site / "assets" / "logo.png").read_bytes() == _png()


def test_a_logo_linked_from_outside_the_project_is_refused(project):
    (project / "logo.png").symlink_to("/etc/hostname")
    (project / "crmproof.yml").write_text("data:\n  folder: exports\nsite:\n  logo: logo.png\n",
                                          encoding="utf-8")
    assert_one_line(build(project, "--out", "site"), 2, "is outside the project folder")


# ---- mappings, stories, content pages ------------------------------------------------
@pytest.mark.parametrize(("text", "needle"), [
    (b"sources:\n  - table: deals\n    columns:\n      deal_id: {column: Id, prefix: 6}\n",
     "columns.deal_id.prefix: expected text, got 6; quote it"),
    (b"name: caf\xe9\nsources: []\n", "not UTF-8 text (byte 0xe9)"),
    (b"a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
     b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
     b"e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n", "expands to more than 100,000 values"),
])
def test_a_bad_mapping_is_one_line(project, text, needle):
    (project / "mine.yml").write_bytes(text)
    before = digest(project)
    assert_one_line(build(project, "--out", "site", "--mapping", str(project / "mine.yml")),
                    2, "mine.yml", needle)
    assert digest(project) == before


@pytest.mark.parametrize(("text", "needle"), [
    (b"---\ntitle: A story\ndate: 2026-13-45\nrep: x\nconsent: false\n---\nText\n",
     "stories/bad.md:3: 'date' must be YYYY-MM-DD, got '2026-13-45'"),
    (b"---\ntitle: Caf\xe9\ndate: 2026-01-01\nrep: x\nconsent: false\n---\n",
     "stories/bad.md: line 2: not UTF-8 text"),
    (b"---\na: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
     b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
     b"e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\n", "front matter is not valid YAML"),
])
def test_a_bad_story_is_one_line_naming_the_file(project, text, needle):
    (project / "content" / "stories" / "bad.md").write_bytes(text)
    before = digest(project)
    assert_one_line(build(project, "--out", "site"), 5, needle)
    assert digest(project) == before


def test_folders_named_like_pages_are_skipped(project):
    (project / "content" / "stories" / "x.md").mkdir()
    (project / "content" / "folder.md").mkdir()
    (project / "content" / "about.md").write_text("# About\n\nNew.\n", encoding="utf-8")
    result = build(project, "--out", "site")
    assert result.exit_code == 0, result.output
    assert not (project / "site" / "folder").exists()


def test_a_content_page_that_is_not_utf8_is_one_line(project):
    (project / "content" / "about.md").write_bytes(b"# Caf\xe9\n")
    assert_one_line(build(project, "--out", "site"), 5, "content/about.md: line 1: not UTF-8")


# ---- the error boundary --------------------------------------------------------------
@pytest.mark.parametrize(("error", "needle"), [
    (MemoryError(), "out of memory"),
    (OSError(5, "Input/output error", "/data/x.csv"), "Input/output error: /data/x.csv"),
    (duckdb.IOException("IO Error: could not read \x1b[31mblock"), "unexpected IOException"),
    (KeyError("period_end"), "unexpected KeyError: 'period_end'"),
])
def test_unexpected_errors_are_one_line_and_debug_keeps_the_exit_code(project, monkeypatch,
                                                                      error, needle):
    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(site_module, "compute_evidence", broken)
    before = digest(project / "site")
    (project / "content" / "about.md").write_text("# About\n\nNew.\n", encoding="utf-8")
    line = assert_one_line(build(project, "--out", "site"), 1, needle)
    assert "\x1b" not in line
    debug = run_cli("--debug", "build", "--quiet", "--config",
                    str(project / "crmproof.yml"), "--out", str(project / "site"))
    assert debug.exit_code == 1 and "Traceback (most recent call last)" in debug.output
    assert digest(project / "site") == before
