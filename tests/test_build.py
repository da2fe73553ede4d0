"""End-to-end: the real site is built from the demo export through the CLI."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from generator import site as site_module
from generator.build.lock import LOCK_NAME
from generator.errors import BuildError

from .conftest import chart_specs, run_cli


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_demo_build_has_headline_with_n_interval_and_as_of(demo_site):
    html = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "Grade-A deals were won" in html
    assert re.search(r"95% interval [+−]\d+\.\d to [+−]\d+\.\d points; [\d,]+ deals from \d+ "
                     r"reps against [\d,]+ deals from \d+ reps", html)
    assert "as of 30 Sep 2026." in html
    assert 'class="crmproof-chart"' in html
    assert (demo_site / "assets" / "vega-bundle.js").stat().st_size > 500_000
    assert (demo_site / "assets" / "charts" / "win_rate_by_tier.svg").read_text().startswith(
        "<svg")


def test_site_references_no_external_assets(demo_site):
    pattern = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
    for page in demo_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = [m.group(0) for m in pattern.finditer(text)]
        assert not found, f"{page}: {found[:3]}"
    for css in demo_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css.read_text("utf-8")), css


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run_cli("build", "--out", str(out), "--quiet")
        assert result.exit_code == 0, result.output
    assert tree_digest(first) == tree_digest(second)


def test_failed_build_leaves_previous_site_untouched(tmp_path, monkeypatch):
    out = tmp_path / "site"
    assert run_cli("build", "--out", str(out), "--quiet").exit_code == 0
    before = tree_digest(out)

    def broken_mkdocs(*args, **kwargs):
        raise BuildError("simulated failure in the mkdocs stage")

    monkeypatch.setattr(site_module, "build_html", broken_mkdocs)
    result = run_cli("build", "--out", str(out), "--no-cache")  # no "nothing changed" path
    assert result.exit_code == BuildError.exit_code
    assert "Error: simulated failure in the mkdocs stage" in result.output
    assert tree_digest(out) == before
    assert not [p for p in tmp_path.iterdir()
                if p.name.startswith(".") and p.name not in (".crmproof-cache", LOCK_NAME)]


def test_unchanged_rebuild_rewrites_no_file(tmp_path):
    out = tmp_path / "site"
    assert run_cli("build", "--out", str(out), "--quiet").exit_code == 0
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert run_cli("build", "--out", str(out), "--quiet").exit_code == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["sample", "--help"]])
def test_help_explains_itself(args):
    result = run_cli(*args)
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 5


def test_build_in_empty_folder_writes_site_there(tmp_path):
    result = run_cli("build", "--quiet", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_team_too_large_for_a_row_per_rep_gets_the_board_as_counts(tmp_path):
    """Past BOARD_CHART_MAX_REPS reps the board chart counts reps per week and number of
    active days (a row per rep is unreadable, and at a few thousand Vega cannot draw it);
    the table and its CSV keep every rep."""
    from generator.build import BuildOptions, build
    from generator.sample import generate_sample
    from generator.site.team_charts import BOARD_CHART_MAX_REPS

    sample = generate_sample(tmp_path / "export", reps=BOARD_CHART_MAX_REPS + 5, months=3)
    build(BuildOptions(data=sample.folder, out=tmp_path / "site", cache=False))
    page_file = tmp_path / "site" / "habit" / "index.html"
    page = page_file.read_text(encoding="utf-8")
    spec = chart_specs(page_file)["program_board"]
    rows = spec["data"]["values"]
    assert rows and set(rows[0]) == {"week", "active_days", "reps"}
    by_week: dict[int, int] = {}
    for row in rows:
        by_week[row["week"]] = by_week.get(row["week"], 0) + row["reps"]
    assert min(by_week.values()) > BOARD_CHART_MAX_REPS  # every rep counted in each week
    assert "How many reps had each number of active workdays" in page


def test_the_pages_and_engine_run_with_duckdbs_cache_handed_back(tmp_path, monkeypatch):
    """After the metric queries DuckDB's cap drops (its cached blocks were 350 MB of a
    1,000-rep build's peak); a lower cap set by the user is never raised."""
    seen = []

    def recording(write):
        def pages_step(state, *args):
            seen.append(state.con.execute("select current_setting('memory_limit')").fetchall())
            return write(state, *args)
        return pages_step

    for step in ("write_docs", "write_manager_docs"):
        monkeypatch.setattr(site_module, step, recording(getattr(site_module, step)))
    assert run_cli("build", "--out", str(tmp_path / "site"), "--quiet",
                   "--no-cache").exit_code == 0
    assert run_cli("build", "--audience", "manager", "--out", str(tmp_path / "manager"),
                   "--quiet", "--no-cache").exit_code == 0
    assert seen == [[("244.1 MiB",)]] * 2


def test_a_lower_duckdb_cap_is_never_raised(tmp_path, monkeypatch):
    from generator.db import connect_db, release_cached_blocks

    monkeypatch.setenv("CRMPROOF_MEMORY_LIMIT", "100MB")
    con = connect_db(tmp_path / "x.duckdb")
    release_cached_blocks(con)
    assert con.execute("select current_setting('memory_limit')").fetchall() == [("95.3 MiB",)]


def test_pages_are_made_one_at_a_time(tmp_path, monkeypatch):
    """Each rep page's context is made when the page is written and let go after it: the
    5,000 contexts of an xlarge build held at once were 500 MB of its peak."""
    import weakref

    from generator.site import rep_pages, steps

    alive, seen = [0], []
    make, render = rep_pages._rep_page, steps.render_page

    def counted(*args):
        page = make(*args)
        alive[0] += 1
        weakref.finalize(page, lambda: alive.__setitem__(0, alive[0] - 1))
        return page

    def rendering(env, template, context):
        seen.append(alive[0])
        return render(env, template, context)

    monkeypatch.setattr(rep_pages, "_rep_page", counted)
    monkeypatch.setattr(steps, "render_page", rendering)
    assert run_cli("build", "--out", str(tmp_path / "site"), "--quiet",
                   "--no-cache").exit_code == 0
    assert max(seen) == 1 and seen.count(1) > 10  # one rep page at a time, of many
