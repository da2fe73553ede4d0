"""Running crmproof unattended: --strict failure modes, exit codes, progress output, serve."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.cli.progress import Progress
from generator.errors import StaleDataError

from .conftest import run_cli

LATEST = "2026-09-30"  # the demo export's newest record (generator.sample.END_DATE)


@pytest.fixture(scope="module")
def export(tmp_path_factory, sample) -> Path:
    folder = tmp_path_factory.mktemp("ops") / "exports"
    shutil.copytree(sample.folder, folder)
    return folder


def _without(export: Path, tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "partial"
    shutil.copytree(export, folder)
    for name in names:
        (folder / name).unlink()
    return folder


def _strict(tmp_path: Path, data: Path, *extra: str):
    return run_cli("build", "--strict", "--quiet", "--data", str(data),
                   "--out", str(tmp_path / "site"), *extra)


def _error_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def test_strict_fails_on_stale_data(tmp_path, export):
    result = _strict(tmp_path, export, "--today", "2026-10-30")
    assert result.exit_code == StaleDataError.exit_code == 6
    assert _error_line(result) == (
        f"Error: --strict: stale data: the newest record is from {LATEST}, 30 days before "
        "2026-10-30 (strict.max_data_age_days is 3); check that the export job ran")
    assert not (tmp_path / "site").exists()


def test_strict_passes_fresh_data_and_without_strict_stale_data_builds(tmp_path, export):
    result = _strict(tmp_path, export, "--today", "2026-10-02")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()
    loose = run_cli("build", "--quiet", "--data", str(export), "--out", str(tmp_path / "b"),
                    "--today", "2030-01-01")
    assert loose.exit_code == 0, loose.output


def test_strict_max_age_comes_from_config(tmp_path, export):
    config = tmp_path / "crmproof.yml"
    config.write_text("strict:\n  max_data_age_days: 60\n", encoding="utf-8")
    result = _strict(tmp_path, export, "--today", "2026-10-30", "--config", str(config))
    assert result.exit_code == 0, result.output


def test_strict_fails_without_activities(tmp_path, export):
    data = _without(export, tmp_path, "Task.csv", "Event.csv")
    result = _strict(tmp_path, data, "--today", "2026-10-01")
    assert result.exit_code == 6
    assert _error_line(result) == ("Error: --strict: the export holds no activities; export "
                                   "them too, or build without --strict")


def test_strict_fails_without_deals(tmp_path, export):
    data = _without(export, tmp_path, "Opportunity.csv", "OpportunityFieldHistory.csv")
    result = _strict(tmp_path, data, "--today", "2026-10-01")
    assert result.exit_code == 6
    assert _error_line(result).startswith(
        f"Error: --strict: no deals/opportunities file found in {data} ")


def test_strict_fails_on_validation_errors(tmp_path, export):
    # records entered after the as-of date are impossible data for that as-of
    result = _strict(tmp_path, export, "--today", "2026-10-01", "--as-of", "2026-09-01")
    assert result.exit_code == 6
    line = _error_line(result)
    assert line.startswith("Error: --strict: validation found ")
    assert "entered after the as-of date 2026-09-01" in line
    assert line.endswith("; run crmproof validate for all of them")


def test_strict_check_still_runs_when_nothing_changed(tmp_path, export):
    assert _strict(tmp_path, export, "--today", "2026-10-01").exit_code == 0
    result = _strict(tmp_path, export, "--today", "2026-12-01")
    assert result.exit_code == 6
    assert "stale data" in result.output


def test_build_help_documents_exit_codes_and_ci_options():
    text = run_cli("build", "--help").output
    for needle in ("--strict", "--today", "--quiet", "--no-cache", "--as-of", "--data",
                   "--config", "--out", "6 --strict check failed", "5 build error"):
        assert needle in " ".join(text.split()), needle


def test_progress_is_plain_lines_when_not_a_tty(tmp_path, export):
    result = run_cli("build", "--data", str(export), "--out", str(tmp_path / "site"),
                     "--no-cache")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for stage in ("ingest", "queries", "evidence", "charts", "pages", "mkdocs", "publish"):
        assert f"crmproof: {stage}…" in lines
        assert any(line.startswith(f"crmproof: {stage} done in ") for line in lines)
    assert "\x1b[" not in result.output  # no terminal control codes in CI logs
    assert lines[-1].startswith("Built ")


def test_quiet_prints_nothing(tmp_path, export):
    result = run_cli("build", "--quiet", "--data", str(export), "--out",
                     str(tmp_path / "site"))
    assert result.exit_code == 0
    assert result.output == ""


def test_progress_on_a_terminal_uses_rich():
    stream = io.StringIO()
    progress = Progress(stream=stream, tty=True)
    progress.start("ingest")
    progress.done("ingest", 1.25)
    progress.say("Built 3 pages")
    text = stream.getvalue()
    assert "✓ ingest" in text and "1.2s" in text and "Built 3 pages" in text
    assert "crmproof: ingest…" not in text.splitlines()


def test_site_says_which_data_it_was_built_from(demo_site):
    quality = (demo_site / "data-quality" / "index.html").read_text(encoding="utf-8")
    assert f"the site is as of {LATEST}" in quality
    for table in ("deals", "activities", "logins"):
        assert f"<td>{table}</td>" in quality
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    day = dt.date.fromisoformat(LATEST)
    assert f"as of {day.day} {day:%b %Y}." in home


# ---- serve -----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, needle: str, seconds: float) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and needle in page:
            return page
        time.sleep(0.5)
    return None


def test_serve_rebuilds_when_content_changes(tmp_path, export):
    (tmp_path / "content").mkdir()
    about = tmp_path / "content" / "about.md"
    about.write_text("# About\n\nFirst words.\n", encoding="utf-8")
    (tmp_path / "crmproof.yml").write_text(f"data:\n  folder: {export}\n", encoding="utf-8")
    port = _free_port()
    log = open(tmp_path / "serve.log", "w", encoding="utf-8")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--port", str(port),
         "--exit-after", "240"], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
        env=_env())
    try:
        url = f"http://127.0.0.1:{port}/about/"
        page = _wait_for(url, "First words.", 150)
        assert page is not None, (tmp_path / "serve.log").read_text(encoding="utf-8")
        assert "/__crmproof/version" in page  # the reload script, added while serving only
        assert "/__crmproof/version" not in (tmp_path / "site" / "about" / "index.html"
                                             ).read_text(encoding="utf-8")
        version = _fetch(f"http://127.0.0.1:{port}/__crmproof/version")
        about.write_text("# About\n\nSecond words.\n", encoding="utf-8")
        assert _wait_for(url, "Second words.", 80) is not None, "no rebuild seen"
        deadline = time.monotonic() + 20  # the version moves just after the site swap
        while _fetch(f"http://127.0.0.1:{port}/__crmproof/version") == version:
            assert time.monotonic() < deadline, "the reload version never changed"
            time.sleep(0.2)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _env() -> dict[str, str]:
    import os

    root = str(Path(__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
            "NO_MKDOCS_2_WARNING": "1"}


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_ci_examples_are_valid_and_build_strictly(name):
    import yaml

    path = Path(__file__).resolve().parents[1] / "examples" / name
    text = path.read_text(encoding="utf-8")
    assert isinstance(yaml.safe_load(text), dict)
    assert "crmproof build --strict --data exports/" in text
    assert "pip install crmproof" in text


def _crmproof_lines(text: str) -> list[list[str]]:
    """Every `crmproof ...` command in a CI file, as words (continuations joined)."""
    import shlex

    joined = text.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        start = line.find("crmproof ")
        if start < 0 or "pip install" in line or line.lstrip().startswith("#"):
            continue
        words = shlex.split(line[start:].split(">")[0].split("#")[0].split(";")[0])
        if len(words) > 1 and not words[1].startswith(("nightly", "<", "-")):
            found.append(words)
    return found


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml", "nightly-digest.yml"])
def test_every_crmproof_command_in_the_examples_exists(name):
    """The examples are meant to be copied: each command and option they use is real."""
    import yaml

    from generator.cli import cli

    text = (Path(__file__).resolve().parents[1] / "examples" / name).read_text("utf-8")
    assert isinstance(yaml.safe_load(text), dict)
    commands = _crmproof_lines(text)
    assert commands, name
    for words in commands:
        command = cli.commands[words[1]]
        flags = {opt for param in command.params for opt in param.opts}
        used = [w for w in words[2:] if w.startswith("--")]
        assert set(used) <= flags, (name, words)
    if name != "github-actions.yml":
        used = {" ".join(words[:2]) for words in commands}
        assert {"crmproof build", "crmproof digest"} <= used
        assert "--audience manager" in text and "--output html" in text
        assert "WEBHOOK_URL" in text and "MANAGER_EMAIL" in text
