"""Builds killed with SIGKILL at many points, publishing steps included, while a reader
keeps loading the site: it always finds a complete site (the home page and every file it
links to), and the next build cleans up and publishes.

Real subprocesses: some killed after a delay, others by a small driver that SIGKILLs
itself at a chosen step of publishing (before and after the exchange, in the middle of
linking unchanged files, while removing the old site).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .unattended import build, copy_project

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
_LINK = re.compile(r"""(?:href|src)="([^"#?]+)""")

DRIVER = """
import os, shutil, signal, sys
import importlib
publish = importlib.import_module("generator.site.publish")

point, argv = sys.argv[1], sys.argv[2:]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

exchange, link, rmtree = publish.exchange, os.link, shutil.rmtree
count = {"link": 0}

def patched_exchange(a, b):
    if point == "before-exchange":
        die()
    exchange(a, b)
    if point == "after-exchange":
        die()

def patched_link(a, b):
    count["link"] += 1
    if point == "linking" and count["link"] == 20:
        die()
    link(a, b)

def patched_rmtree(path, *args, **kwargs):
    if point == "removing-old" and "crmproof-build" in str(path):
        for i, child in enumerate(sorted(os.listdir(path))):
            if i == 3:
                die()
            target = os.path.join(path, child)
            rmtree(target) if os.path.isdir(target) else os.unlink(target)
    rmtree(path, *args, **kwargs)

publish.exchange = patched_exchange
os.link = patched_link
publish.shutil.rmtree = patched_rmtree
from generator.cli import cli
cli.main(argv, prog_name="crmproof")
"""
POINTS = ("linking", "before-exchange", "after-exchange", "removing-old")
DELAYS = (0.7, 1.6, 2.5, 3.4)


class Reader(threading.Thread):
    """Reads site/index.html and every local file it links to, over and over."""

    def __init__(self, site: Path) -> None:
        super().__init__(daemon=True)
        self.site, self.stop, self.reads, self.problems = site, threading.Event(), 0, []

    def run(self) -> None:
        while not self.stop.is_set():
            problem = self.read_once()
            if problem:
                self.problems.append(problem)
            self.reads += 1
            time.sleep(0.005)  # leave the CPU to the builds

    def read_once(self) -> str | None:
        try:
            home = (self.site / "index.html").read_text("utf-8")
        except OSError as exc:
            return f"index.html: {exc}"
        if not home.rstrip().endswith("</html>"):
            return "index.html is incomplete"
        for link in sorted(set(_LINK.findall(home))):
            if urlsplit(link).scheme or link.startswith(("/", "data:")):
                continue
            target = self.site / link
            target = target / "index.html" if link.endswith("/") or link == "." else target
            try:
                if not target.read_bytes():
                    return f"{link}: empty"
            except OSError as exc:
                return f"{link}: {exc}"
        return None


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _args(project: Path) -> list[str]:
    return ["build", "--quiet", "--config", str(project / "crmproof.yml"), "--out",
            str(project / "site")]


def _change(project: Path, step: int) -> None:
    """A content change, so no build takes the nothing-changed path."""
    (project / "content" / "about.md").write_text(f"# About\n\nVersion {step}.\n", "utf-8")


def test_a_killed_build_always_leaves_a_complete_site_being_served(built_project, tmp_path):
    project = copy_project(built_project, tmp_path / "project")
    reader = Reader(project / "site")
    reader.start()
    kills = 0
    try:
        for step, point in enumerate(POINTS):
            _change(project, step)
            done = subprocess.run([sys.executable, "-c", DRIVER, point, *_args(project)],
                                  env=_env(), capture_output=True, timeout=300)
            assert done.returncode == -signal.SIGKILL, (point, done.stderr[-2000:])
            kills += 1
        for step, delay in enumerate(DELAYS, start=len(POINTS)):
            _change(project, step)
            proc = subprocess.Popen([sys.executable, "-m", "generator.cli", *_args(project)],
                                    env=_env(), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            kills += proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        reader.stop.set()
        reader.join(timeout=30)
    assert kills >= len(POINTS) + 2  # most delayed kills land before the build ends
    assert reader.reads > 20 and reader.problems == []
    _change(project, 99)
    assert build(project, "--out", "site").exit_code == 0
    assert "Version 99." in (project / "site" / "about" / "index.html").read_text("utf-8")
    assert [p.name for p in project.iterdir() if p.name.startswith(".crmproof-build-")] == []
