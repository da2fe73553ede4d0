"""Any crmproof.yml and any command-line options: the build either succeeds or stops with one
line and a project exit code, never a traceback or an "unexpected" error.

Through the real CLI on a small export; the ingest is cached across examples and the
MkDocs step is replaced by a stub that only checks the pages were written (every stage
before it, where config values meet data, runs for real).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator import site as site_module
from generator.config import SCHEMA, Option, iter_options

from .conftest import run_cli
from .unattended import copy_project

pytestmark = pytest.mark.slow
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
NUMBERS = st.one_of(st.integers(-10, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, 1, 7, 366, 520, 2**32, -1]))
DATES = st.one_of(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
                  st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))).map(dt.date.isoformat)
ZONES = st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
                         "Mars/Base", "", "utc"])


def _value(key: str, option: Option) -> st.SearchStrategy:
    """Mostly plausible values for the key, some of the wrong type or out of range."""
    if option.choices:
        plausible = st.sampled_from([*option.choices, False, "public"])
    elif key == "timezone":
        plausible = ZONES
    elif key in ("as_of", "program.start_date"):
        plausible = st.one_of(DATES, st.none())
    elif option.kind in (int, (int, float)):
        low, high = option.minimum or 0, option.maximum or 1000
        plausible = st.one_of(st.integers(int(low), int(high)), NUMBERS)
    elif option.kind is list:
        plausible = st.lists(st.one_of(TEXT, DATES, st.sampled_from(["mon", "sun"])),
                             max_size=4)
    elif option.kind is dict:
        plausible = st.dictionaries(st.sampled_from(["USD", "EUR", "x"]), NUMBERS, max_size=2)
    else:
        plausible = st.one_of(TEXT, st.none())
    return st.one_of(plausible, plausible, plausible, plausible, st.none(), TEXT, NUMBERS)


SETTABLE = [(k, o) for k, o in iter_options() if k not in ("data.folder", "data.format",
                                                            "site.logo")]


@st.composite
def configs(draw) -> dict:
    keys = draw(st.lists(st.sampled_from(SETTABLE), max_size=4, unique_by=lambda ko: ko[0]))
    config: dict = {"data": {"folder": "exports"}}
    for key, option in keys:
        node = config
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = draw(_value(key, option))
    return config


OPTIONS = st.fixed_dictionaries({}, optional={
    "--as-of": DATES, "--today": DATES, "--strict": st.just(None),
    "--format": st.sampled_from(["auto", "salesforce", "hubspot", "nosuch"]),
    "--out": st.sampled_from(["site", "site", "site", "deep/er/site", ".", "exports", "/",
                              "content"]),
})


@pytest.fixture(scope="module")
def project(built_project, tmp_path_factory) -> Path:
    return copy_project(built_project, tmp_path_factory.mktemp("fuzz") / "project")


def _stub_mkdocs(config, docs: Path, built: Path, *args) -> None:
    assert (docs / "index.md").is_file()
    built.mkdir(parents=True)
    (built / "index.html").write_text("<html></html>\n", encoding="utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(config=configs(), options=OPTIONS)
def test_any_config_and_options_build_or_fail_in_one_line(project, config, options):
    assert set(SCHEMA)  # the schema drives the strategies
    (project / "crmproof.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                          encoding="utf-8")
    args = [item for key, value in options.items()
            for item in ([key] if value is None else [key, value])]
    if "--out" not in options:
        args += ["--out", "site"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_module, "build_html", _stub_mkdocs)
        result = run_cli("build", "--quiet", "--config", str(project / "crmproof.yml"),
                         *args, cwd=project)
    event(f"exit {result.exit_code}")
    assert "Traceback" not in result.output and "unexpected" not in result.output, (
        config, args, result.output)
    if result.exit_code:
        assert result.exit_code in (2, 3, 4, 5, 6), (config, args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (config, args, lines)
    assert (project / "exports" / "Opportunity.csv").is_file()
    assert (project / "content" / "about.md").is_file()
