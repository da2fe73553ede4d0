"""Nightly rebuilds: an unchanged build is short-circuited, a changed page rewrites only
what depends on it, unchanged exports are not ingested again, failures keep the old site."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from generator import site as site_module
from generator.build import CACHE_NAME, BuildOptions, BuildResult, build
from generator.build import project as project_module
from generator.errors import BuildError

from .conftest import ENGINES, engine_settings, run_cli

# Files every rebuild may legitimately rewrite when any page's text changes (MkDocs's
# search index and sitemaps, Zensical's search index).
SITE_WIDE = {"search/search_index.json", "sitemap.xml", "sitemap.xml.gz", "search.json"}


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_ino)
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def export(tmp_path_factory, sample) -> Path:
    """A private copy of the demo export, so tests may touch its files."""
    folder = tmp_path_factory.mktemp("export") / "exports"
    shutil.copytree(sample.folder, folder)
    return folder


@pytest.fixture
def project(tmp_path, export) -> Path:
    """A project with its own content/ (two pages) reading the export copy."""
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    (root / "crmproof.yml").write_text(f"data:\n  folder: {export}\n", encoding="utf-8")
    (root / "content" / "about.md").write_text("# About\n\nFirst version.\n", encoding="utf-8")
    (root / "content" / "faq.md").write_text("# FAQ\n\nQuestions.\n", encoding="utf-8")
    return root


def _build(project: Path, **extra) -> BuildResult:
    return build(BuildOptions(config_path=project / "crmproof.yml", out=project / "site",
                              **extra))


def test_second_build_without_changes_is_fast_pathed_and_rewrites_nothing(project):
    first = _build(project)
    assert not first.unchanged and first.timings.keys() >= {"ingest", "mkdocs", "publish"}
    before = stamps(project / "site")
    second = _build(project)
    assert second.unchanged
    assert second.timings == {}  # no stage ran
    assert second.as_of == first.as_of and second.pages == first.pages
    assert stamps(project / "site") == before


def test_cli_says_nothing_changed(project):
    args = ("build", "--config", str(project / "crmproof.yml"), "--out", str(project / "site"))
    assert run_cli(*args, "--quiet").exit_code == 0
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert "Nothing changed since the last build" in result.output
    assert "crmproof: ingest" not in result.output


@pytest.mark.parametrize("engine", ENGINES)
def test_changed_content_page_rewrites_only_that_page(project, monkeypatch, engine):
    config = project / "crmproof.yml"
    config.write_text(config.read_text("utf-8") + engine_settings(engine), encoding="utf-8")
    _build(project)
    before = stamps(project / "site")

    def no_ingest(*args, **kwargs):
        raise AssertionError("the unchanged export was ingested again")

    monkeypatch.setattr(project_module, "ingest_folder", no_ingest)
    about = project / "content" / "about.md"
    about.write_text("# About\n\nSecond version.\n", encoding="utf-8")
    result = _build(project)
    assert not result.unchanged
    after = stamps(project / "site")
    changed = {path for path in after if after[path] != before.get(path)}
    assert "about/index.html" in changed
    assert "Second version." in (project / "site" / "about" / "index.html").read_text("utf-8")
    assert changed - {"about/index.html"} <= SITE_WIDE, changed
    assert set(after) == set(before)


def test_touched_but_identical_export_is_still_unchanged(project, export):
    _build(project)
    for path in export.iterdir():
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert _build(project).unchanged


def test_changed_export_is_ingested_again(project, export, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(export, data)
    first = _build(project, data=data)
    # DuckDB spills to a folder beside its database: a build killed while spilling left one
    (old,) = (project / CACHE_NAME).glob("ingest-*.duckdb")
    spill = old.with_name(old.name + ".tmp")
    spill.mkdir()
    (spill / "duckdb_temp_storage_DEFAULT-0.tmp").write_bytes(b"spilled")
    logins = data / "LoginHistory.csv"
    logins.write_text("\n".join(logins.read_text("utf-8").splitlines()[:-50]) + "\n", "utf-8")
    result = _build(project, data=data)
    assert not result.unchanged and "ingest" in result.timings
    assert result.summary["rows"]["logins"] == first.summary["rows"]["logins"] - 50
    cached = list((project / CACHE_NAME).glob("ingest-*.duckdb"))
    assert len(cached) == 1  # the previous export's database was dropped
    assert not spill.exists()  # and what DuckDB spilled of it


def test_edited_site_is_rebuilt_even_without_changes(project):
    _build(project)
    (project / "site" / "faq" / "index.html").unlink()
    result = _build(project)
    assert not result.unchanged
    assert (project / "site" / "faq" / "index.html").is_file()


@pytest.mark.parametrize("edit", ["added deep", "rewritten", "folder added"])
def test_any_change_under_site_is_seen(project, edit):
    """The site manifest covers files at every depth, their bytes and new empty folders'
    files alike: a no-change rebuild never keeps a site someone altered."""
    _build(project)
    charts = project / "site" / "assets" / "charts"
    chart = sorted(charts.glob("*.svg"))[0]
    if edit == "added deep":
        (charts / "extra.svg").write_text("<svg/>", encoding="utf-8")
    elif edit == "rewritten":
        chart.write_text(chart.read_text(encoding="utf-8") + " ", encoding="utf-8")
    else:
        (project / "site" / "new" / "deeper").mkdir(parents=True)
        (project / "site" / "new" / "deeper" / "page.html").write_text("x", encoding="utf-8")
    assert not _build(project).unchanged


def test_failure_in_a_late_stage_keeps_the_previous_site_and_cache_honest(project,
                                                                         monkeypatch):
    _build(project)
    before = stamps(project / "site")
    (project / "content" / "faq.md").write_text("# FAQ\n\nChanged.\n", encoding="utf-8")

    def killed(*args, **kwargs):
        raise BuildError("simulated crash while publishing")

    monkeypatch.setattr(site_module, "publish", killed)
    with pytest.raises(BuildError, match="simulated crash"):
        _build(project)
    assert stamps(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".crmproof-build-")]
    monkeypatch.undo()
    result = _build(project)  # the failed build must not have been recorded as done
    assert not result.unchanged
    assert "Changed." in (project / "site" / "faq" / "index.html").read_text("utf-8")


def test_no_cache_writes_no_cache_folder(tmp_path, export):
    result = run_cli("build", "--data", str(export), "--out", str(tmp_path / "site"),
                     "--no-cache", "--quiet")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / CACHE_NAME).exists()
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_ingest_cache_key_covers_every_module_ingest_runs():
    """A cached ingest is reused only while the code that made it is unchanged: every
    module the ingest runs (transitively, from the ingest package and the module that
    opens an export) is in its fingerprint."""
    import ast

    import generator
    from generator.build import cache

    package = Path(generator.__file__).parent
    covered = [package / name for name in cache.INGEST_MODULES]

    def fingerprinted(path: Path) -> bool:
        return any(path == item or item in path.parents for item in covered)

    def imported(path: Path) -> list[Path]:
        found = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = path.parent
                for _ in range(node.level - 1):
                    base = base.parent
                target = base.joinpath(*(node.module or "").split("."))
                found += [p for p in (target.with_suffix(".py"), target / "__init__.py")
                          if p.is_file()]
        return found

    todo = [*sorted((package / "ingest").glob("*.py")), package / "build" / "project.py"]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen or path == package / "__init__.py":
            continue
        seen.add(path)
        todo += imported(path)
    missing = sorted(str(p.relative_to(package)) for p in seen if not fingerprinted(p))
    assert not missing, missing


def test_the_chart_bundle_is_kept_in_the_cache_and_shipped_as_made(tmp_path):
    from generator.build import BuildOptions, build
    from generator.charts.render import bundle_file_name

    first = build(BuildOptions(out=tmp_path / "site"))
    kept = tmp_path / ".crmproof-cache" / bundle_file_name()
    shipped = tmp_path / "site" / "assets" / "vega-bundle.js"
    assert not first.unchanged and kept.is_file()
    assert kept.read_bytes() == shipped.read_bytes()
    assert b"vega-embed" in kept.read_bytes() and b"https://vega.github.io/schema" not in (
        kept.read_bytes())
    build(BuildOptions(out=tmp_path / "other", cache=False))
    assert (tmp_path / "other" / "assets" / "vega-bundle.js").read_bytes() == kept.read_bytes()


def test_prefetching_the_bundle_also_starts_the_chart_engine(tmp_path, monkeypatch):
    """The first chart drawn in a process starts vl_convert's JavaScript engine; the
    prefetch thread draws an empty one first, so a build with its bundle cached still pays
    that start during the ingest rather than in the charts step."""
    import importlib

    render = importlib.import_module("generator.charts.render")  # the package's render()
    drawn = []
    monkeypatch.setattr(render, "_BUNDLES", {})
    monkeypatch.setattr(render.vlc, "vegalite_to_svg",
                        lambda spec: drawn.append(spec) or "<svg/>")
    (tmp_path / render.bundle_file_name()).write_text("cached bundle", encoding="utf-8")
    render.prefetch_vega_bundle(tmp_path)
    assert render.vega_bundle() == "cached bundle"
    render._POOL.submit(lambda: None).result()  # its one thread has done what came before
    assert drawn == [{"mark": "point"}]
    render.prefetch_vega_bundle(tmp_path / "elsewhere")  # once per process is enough
    render._POOL.submit(lambda: None).result()
    assert drawn == [{"mark": "point"}]


def test_the_bundle_is_made_in_a_child_process_that_imports_the_real_vl_convert(
        tmp_path, monkeypatch):
    """vl_convert's engine keeps the memory it made the bundle with (about 75 MB) to the end
    of its process: a child makes it, with the current directory off its module path, so
    a `vl_convert.py` where the build runs is not what it imports."""
    import importlib

    render = importlib.import_module("generator.charts.render")

    def in_this_process():
        raise AssertionError("the bundle was made in the build's own process")

    monkeypatch.setattr(render.vlc, "javascript_bundle", in_this_process)
    (tmp_path / "vl_convert.py").write_text(
        "import sys\nsys.stdout.write('shadowed')\nraise SystemExit(0)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    bundle = render._javascript_bundle()
    assert "vega-embed" in bundle and len(bundle) > 100_000 and "shadowed" not in bundle


def test_the_bundle_is_made_in_this_process_when_no_child_can_run(monkeypatch):
    import importlib

    render = importlib.import_module("generator.charts.render")
    python = sys.executable
    monkeypatch.setattr(render.sys, "executable", "/nonexistent/python")
    monkeypatch.setattr(render.vlc, "javascript_bundle", lambda: "made here")
    assert render._javascript_bundle() == "made here"
    failing = "import sys\nsys.exit(3)\n"  # a child that runs and fails: made here too
    monkeypatch.setattr(render.sys, "executable", python)
    monkeypatch.setattr(render, "_BUNDLE_SCRIPT", failing)
    assert render._javascript_bundle() == "made here"
