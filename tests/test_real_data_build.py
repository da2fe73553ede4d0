"""Builds on a user's own export (not the demo) never pick up the demo's stories."""

from __future__ import annotations

from .conftest import run_cli


def _story_pages(site):
    return sorted(p.parent.name for p in (site / "stories").glob("*/index.html"))


def test_build_with_data_and_no_project_has_no_demo_stories(sample, tmp_path):
    result = run_cli("build", "--data", str(sample.folder), "--quiet", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "stories" / "index.html").is_file()
    assert _story_pages(tmp_path / "site") == []


def test_init_then_build_on_real_data_works(sample, tmp_path):
    assert run_cli("init", str(tmp_path), "--data", str(sample.folder)).exit_code == 0
    assert not list((tmp_path / "content" / "stories").glob("*.md"))
    result = run_cli("build", "--quiet", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()


def test_demo_build_publishes_the_bundled_stories(demo_site):
    assert len(_story_pages(demo_site)) >= 2
