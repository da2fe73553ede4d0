"""Helpers for the unattended-run tests: a small project with a built site, and the checks
every refused run must pass (exit code, one line, no traceback, nothing of the user's and
not the previous site touched)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from generator.build import CACHE_NAME
from generator.build.lock import LOCK_NAME
from generator.sample import generate_sample

from .conftest import run_cli


def digest(root: Path) -> dict[str, str]:
    """Every file under root (links not followed) with its content hash; crmproof's own
    bookkeeping (its cache folder and lock file) aside."""
    found = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if name.split("/")[0] in (CACHE_NAME, LOCK_NAME):
            continue
        if path.is_symlink():
            found[name] = f"link:{path.readlink()}"
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def make_project(root: Path, settings: str = "") -> Path:
    """crmproof.yml, content/ (a page, an empty stories folder) and a tiny export."""
    (root / "content" / "stories").mkdir(parents=True)
    (root / "content" / "about.md").write_text("# About\n\nOur project.\n", encoding="utf-8")
    generate_sample(root / "exports", seed=7, reps=4, months=2)
    (root / "crmproof.yml").write_text(f"data:\n  folder: exports\n{settings}", "utf-8")
    return root


def build(root: Path, *args: str, config: str = "crmproof.yml"):
    return run_cli("build", "--quiet", "--config", str(root / config), *args, cwd=root)


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


def assert_one_line(result, code: int, *needles: str) -> str:
    """The run failed with `code` and exactly one line `Error: ...` holding the needles."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]
