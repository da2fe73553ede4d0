"""Untrusted CRM text and customer contact details, end to end through a real build.

A small Salesforce export gets hostile rep, team, account, deal and stage names and
canary customer emails and phone numbers; the site is built with `privacy: named`
(so names are shown) and every built file is searched, the search index included.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest

from generator.sample import generate_sample
from generator.site import people

from .conftest import ENGINES, engine_settings, run_cli, search_index_path
from .fixtures_canonical import make_db, rep

pytestmark = pytest.mark.slow

HOSTILE = ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "{{ 7*7 }}",
           "<script>alert(1)</script>", "../../etc/passwd"]
RAW_MARKUP = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<b>Team</b>"]
CANARY_EMAIL = "canary.customer@example.org"
CANARY_PHONE = "+1 555 0199"
CANARIES = [CANARY_EMAIL, "555 0199", "5550199", "555-0199"]


def _patch(folder: Path, name: str, change) -> None:
    path = folder / f"{name}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for index, row in enumerate(rows):
        change(index, row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


def _hostile_user(index: int, row: dict) -> None:
    if row["Title"] == "Account Executive":
        row["Name"] = row["LastName"] = HOSTILE[index % len(HOSTILE)]
        if index % 2:
            row["Department"] = "<b>Team</b>{{ 7*7 }}"


def write_hostile_export(folder: Path) -> None:
    generate_sample(folder, seed=7, reps=6, months=3)
    _patch(folder, "User", _hostile_user)
    _patch(folder, "Account", lambda i, r: r.update(
        Name=HOSTILE[i % 5], Phone=CANARY_PHONE, Website=CANARY_EMAIL))
    _patch(folder, "Opportunity", lambda i, r: r.update(
        Name=HOSTILE[i % 5], NextStep=f"call {CANARY_EMAIL}" if r["NextStep"] else "",
        StageName=HOSTILE[i % 5] if r["IsClosed"] == "false" else r["StageName"]))
    _patch(folder, "Task", lambda i, r: r.update(
        Description=f"Spoke to {CANARY_EMAIL}, {CANARY_PHONE}", Subject=HOSTILE[i % 5]))


def build_project(project: Path, settings: str, data: bool = True) -> Path:
    """Build a project folder (own content/, so no demo stories) and return its site."""
    (project / "content" / "stories").mkdir(parents=True, exist_ok=True)
    (project / "content" / "about.md").write_text("# About\n\nA test site.\n", "utf-8")
    folder = "data:\n  folder: export\n" if data else ""
    (project / "crmproof.yml").write_text(settings + folder, encoding="utf-8")
    out = project / "site"
    result = run_cli("build", "--config", str(project / "crmproof.yml"), "--out", str(out),
                     "--quiet")
    assert result.exit_code == 0, result.output
    return out


def site_texts(root: Path) -> dict[str, str]:
    """Every text file of a site; JSON (the search index) also decoded, so escapes like
    \\u003c cannot hide a string. Not the charts' specs: their strings are data that Vega
    draws as SVG text, never parsed as HTML (`test_chart_specs_hold_names_as_data`)."""
    texts = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix in (".png", ".ico", ".gz", ".woff", ".woff2"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json" and path.parent != root / "assets" / "charts":
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
        texts[path.relative_to(root).as_posix()] = text
    return texts


@pytest.fixture(scope="module", params=ENGINES)
def hostile_site(tmp_path_factory, request) -> Path:
    """The hostile export built with privacy: named by each site engine."""
    project = tmp_path_factory.mktemp("hostile")
    write_hostile_export(project / "export")
    return build_project(project, "privacy: named\nmin_n: 5\n" + engine_settings(request.param))


def test_hostile_markup_is_never_written_unescaped(hostile_site):
    texts = site_texts(hostile_site)
    assert search_index_path(hostile_site).relative_to(hostile_site).as_posix() in texts
    for name, text in texts.items():
        for markup in RAW_MARKUP:
            assert markup not in text, f"{name} holds {markup!r} unescaped"
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", text, re.I), name
        assert "onerror=alert(1)>" not in text.replace("&gt;", ""), name


def test_chart_specs_hold_names_as_data(hostile_site):
    """A chart's spec file holds a hostile name as a JSON string whose markup characters are
    escapes (nothing in the file reads as a tag), and decoded it is the literal name."""
    specs = sorted((hostile_site / "assets" / "charts").glob("*.json"))
    assert specs
    decoded = ""
    for path in specs:
        raw = path.read_text(encoding="utf-8")
        assert "<" not in raw and ">" not in raw and "&" not in raw, path.name
        decoded += json.dumps(json.loads(raw), ensure_ascii=False)
    assert "<img src=x onerror=alert(1)>" in decoded  # a rep's name on the board chart


def test_hostile_names_show_as_literal_text(hostile_site):
    index = html.unescape((hostile_site / "reps" / "index.html").read_text("utf-8"))
    for name in HOSTILE:
        assert name in index, f"{name!r} is not shown as text"
    pages = "".join(p.read_text("utf-8") for p in (hostile_site / "reps").rglob("index.html"))
    titles = [html.unescape(re.sub(r"<a [^>]*>.*?</a>|<[^>]+>", "", heading)).strip()
              for heading in re.findall(r"<h1[^>]*>(.*?)</h1>", pages)]
    assert "{{ 7*7 }}" in titles
    assert "49" not in titles


def test_customer_contacts_appear_nowhere(hostile_site):
    for name, text in site_texts(hostile_site).items():
        for canary in CANARIES:
            assert canary not in text, f"{name} leaks {canary!r}"


def test_rep_pages_stay_inside_the_site(hostile_site):
    root = hostile_site.resolve()
    for path in root.rglob("*"):
        assert path.resolve().is_relative_to(root)
        assert "passwd" not in path.name and ".." not in path.name
    folders = [p.name for p in (root / "reps").iterdir() if p.is_dir()]
    assert folders and all(re.fullmatch(r"rep-[a-z]-\d+", name) for name in folders)


# ---- privacy modes -------------------------------------------------------------------------
def sample_names() -> list[str]:
    """Everyone in the demo export's user table, reps and non-reps."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        generate_sample(Path(folder))
        with (Path(folder) / "User.csv").open(encoding="utf-8") as handle:
            return [row["Name"] for row in csv.DictReader(handle)]


def leaks(root: Path, names: list[str]) -> list[tuple[str, str]]:
    found = []
    for file, text in site_texts(root).items():
        plain = html.unescape(text)
        found += [(file, name) for name in names if name in text or name in plain]
    return found


def test_anonymous_site_names_nobody(any_demo_site, sample):
    """Every file of the reps' site (by each engine): pages, search index, SVGs, JSON, the
    feed."""
    demo_site = any_demo_site
    assert (demo_site / "reps" / "index.html").is_file()
    scanned = site_texts(demo_site)
    index = search_index_path(demo_site).relative_to(demo_site).as_posix()
    assert {"feed.xml", index, ".crmproof-site.json"} <= set(scanned)
    assert any(name.endswith(".svg") for name in scanned)
    assert "<entry>" in scanned["feed.xml"]
    assert leaks(demo_site, sample_names()) == []
    with (sample.folder / "User.csv").open(encoding="utf-8") as handle:
        emails = [row["Email"] for row in csv.DictReader(handle)]
    assert leaks(demo_site, emails) == []
    rep_pages = [p for p in (demo_site / "reps").iterdir() if p.is_dir()]
    assert len(rep_pages) == len(sample.personas)
    for page in rep_pages:
        title = re.search(r"<title>(.*?)</title>", (page / "index.html").read_text("utf-8"))
        assert re.fullmatch(r"Rep [A-Z]-\d+ - .*", title.group(1)), title.group(1)


def test_privacy_off_has_no_rep_pages(tmp_path):
    site = build_project(tmp_path, "privacy: 'off'\n", data=False)
    assert not (site / "reps").exists()
    assert "Your numbers" not in (site / "index.html").read_text("utf-8")
    assert leaks(site, sample_names()) == []
    assert "Rep W-1" not in (site / "habit" / "index.html").read_text("utf-8")


def test_named_site_shows_rep_names(tmp_path):
    site = build_project(tmp_path, "privacy: named\n", data=False)
    index = html.unescape((site / "reps" / "index.html").read_text("utf-8"))
    assert "Ava Okafor" in index and "Maya O'Brien" in index
    assert "Sam Helper" not in index  # the assistant is not a rep


def test_pseudonyms_come_from_ids_not_names():
    con = make_db(reps=[{**rep("r1"), "name": "Ann"}, {**rep("r2"), "name": "Bob"},
                        {**rep("r3"), "name": "Cid", "team": "East"},
                        {**rep("a1", is_rep=False), "name": "Helper"}])
    first = people(con, "anonymous")
    con.execute("update reps set name = 'Zed ' || name")
    assert people(con, "anonymous") == first
    assert sorted(p.code for p in first.values()) == ["E-1", "W-1", "W-2"]
    assert {p.label for p in first.values()} == {"Rep E-1", "Rep W-1", "Rep W-2"}
    assert "a1" not in first
    named = people(con, "named")
    assert {p.label for p in named.values()} == {"Zed Ann", "Zed Bob", "Zed Cid"}
    assert [p.slug for p in named.values()] == [p.slug for p in first.values()]
