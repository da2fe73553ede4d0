"""The same input and --as-of give the same bytes whatever the environment: time zone,
locale and working directory (real subprocess builds), and the charts drawn in a browser
in another time zone say the same dates as the SVGs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .unattended import digest

ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENTS = {  # (environment, working directory); three builds cover every variable
    "utc": ({"TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}, "a"),
    "los_angeles": ({"TZ": "America/Los_Angeles"}, "a"),
    "kolkata_german_locale_elsewhere": ({"TZ": "Asia/Kolkata", "LANG": "de_DE.UTF-8",
                                         "LC_ALL": "de_DE.UTF-8", "LC_TIME": "de_DE.UTF-8"},
                                        "b"),
}


def _build(project: Path, out: Path, cwd: Path, env: dict[str, str]) -> None:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
                   "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   **env}
    for key in ("LANG", "LC_ALL", "LC_TIME", "TZ"):
        if key not in env:
            environment.pop(key, None)
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--quiet", "--no-cache",
         "--config", str(project / "crmproof.yml"), "--out", str(out),
         "--as-of", "2026-09-30"], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def sites(built_project, tmp_path_factory) -> dict[str, Path]:
    """The small project built in each environment (working directories a or b)."""
    root = tmp_path_factory.mktemp("determinism")
    found = {}
    for name, (env, cwd) in ENVIRONMENTS.items():
        (root / cwd).mkdir(exist_ok=True)
        found[name] = root / f"site-{name}"
        _build(built_project, found[name], root / cwd, env)
    return found


@pytest.mark.parametrize("name", [n for n in ENVIRONMENTS if n != "utc"])
def test_the_site_is_byte_identical_in_any_environment(sites, name):
    reference, other = digest(sites["utc"]), digest(sites[name])
    assert set(other) == set(reference)
    changed = sorted(path for path in reference if reference[path] != other[path])
    assert changed == []


def test_rep_charts_name_the_monday_each_program_week_starts(sites):
    """Vega formats dates in local time unless told otherwise: a 'Week starting' west of
    UTC used to fall on the Sunday before."""
    import datetime as dt

    svgs = list((sites["los_angeles"] / "assets" / "charts").glob("rep-*-weeks.svg"))
    assert svgs
    days = {day for svg in svgs
            for day in re.findall(r"Week starting: (\d{1,2} \w{3} \d{4})", svg.read_text("utf-8"))}
    assert days
    assert {dt.datetime.strptime(day, "%d %b %Y").weekday() for day in days} == {0}


@pytest.mark.browser
def test_charts_drawn_in_a_browser_west_of_utc_show_the_same_days(sites, browser):
    from .browser import serve

    site = sites["utc"]
    page_dir = next((site / "reps").glob("rep-*/"))
    svg = (site / "assets" / "charts" / f"{page_dir.name}-weeks.svg").read_text("utf-8")
    expected = sorted(set(re.findall(r"Week starting: (\d{1,2} \w{3} \d{4})", svg)))
    with serve(site) as base:
        context = browser.new_context(timezone_id="America/Los_Angeles")
        page = context.new_page()
        page.goto(f"{base}reps/{page_dir.name}/", wait_until="load")
        page.wait_for_selector("figure.crmproof-drawn .crmproof-vega svg", timeout=20_000)
        drawn = page.eval_on_selector_all(
            "figure.crmproof-drawn .crmproof-vega svg [aria-label]",
            "nodes => nodes.map(n => n.getAttribute('aria-label'))")
        context.close()
    shown = sorted(set(re.findall(r"Week starting: (\d{1,2} \w{3} \d{4})", " ".join(drawn))))
    assert shown and shown == expected
