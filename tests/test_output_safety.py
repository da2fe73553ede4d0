"""A build never deletes what it did not build: --out and the cache beside it are checked
before anything runs, builds into one folder take turns, killed builds' leftovers go, a
mount point is updated in place, and a full disk leaves nothing half-written.

Each refused run: exit code, one line, no traceback, every user file and the previous
site untouched.
"""

from __future__ import annotations

import errno
import fcntl
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import site as site_module
from generator.build import CACHE_NAME
from generator.build.lock import LOCK_NAME
from generator.site import MARKER

from .unattended import assert_one_line, build, copy_project, digest

PUBLISH = importlib.import_module("generator.site.publish")


@pytest.fixture
def built(built_project) -> Path:
    return built_project


@pytest.fixture
def project(built, tmp_path) -> Path:
    return copy_project(built, tmp_path / "project")


def _refused(project: Path, out: str, *needles: str, code: int = 2) -> None:
    before = digest(project)
    line = assert_one_line(build(project, "--out", out), code, *needles)
    assert digest(project) == before, line
    assert (project / "site" / "index.html").is_file()


@pytest.mark.parametrize(("out", "why"), [
    (".", "holds crmproof.yml and content/"),
    ("exports", "holds the export files"),
    ("content", "holds crmproof.yml and content/"),  # not empty, no marker
    ("/", "that is the root folder"),
    ("..", "holds crmproof.yml and content/"),
])
def test_out_that_would_replace_user_files_is_refused(project, out, why):
    _refused(project, out, why if out != "content" else "crmproof did not build")


def test_out_naming_the_home_folder_is_refused(project, monkeypatch):
    monkeypatch.setenv("HOME", str(project.parent))
    _refused(project, str(project.parent), "that is your home folder")


def test_out_holding_other_files_is_refused(project):
    (project / "mine").mkdir()
    (project / "mine" / "notes.txt").write_text("keep me\n", encoding="utf-8")
    _refused(project, "mine", f"--out {project / 'mine'}: it holds files crmproof did not "
                              f"build (no {MARKER} marker)")


def test_a_site_symlink_is_never_followed(project):
    shutil.rmtree(project / "site")
    (project / "site").symlink_to(project / "content")
    _refused_keeping_link(project)


def _refused_keeping_link(project: Path) -> None:
    before = digest(project)
    assert_one_line(build(project, "--out", "site"), 2, "it is a symbolic link (to ")
    assert digest(project) == before
    assert (project / "content" / "about.md").is_file()


def test_out_that_is_a_file_or_under_a_file_is_refused(project):
    (project / "notes.txt").write_text("keep me\n", encoding="utf-8")
    _refused(project, "notes.txt", "'notes.txt' is a file")
    _refused(project, "notes.txt/site", "notes.txt is a file, not a folder", code=5)


def test_a_cache_folder_crmproof_did_not_write_is_refused(project):
    shutil.rmtree(project / CACHE_NAME)
    (project / CACHE_NAME).mkdir()
    (project / CACHE_NAME / "thesis.docx").write_text("keep me\n", encoding="utf-8")
    (project / "content" / "about.md").write_text("# About\n\nChanged.\n", encoding="utf-8")
    _refused(project, "site", f"{CACHE_NAME} holds files crmproof did not write")
    assert build(project, "--out", "site", "--no-cache").exit_code == 0


def test_unwritable_output_parent_is_one_line(project):
    if os.geteuid() != 0 or not _can_mount():
        pytest.skip("needs root to mount a read-only file system")
    target = project / "readonly"
    target.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(target)],
                   check=True)
    try:
        _refused(project, "readonly/site", f"cannot write into {target}", code=5)
    finally:
        subprocess.run(["umount", str(target)], check=True)


def test_empty_folder_or_marked_site_is_used(project):
    (project / "fresh").mkdir()
    assert build(project, "--out", "fresh").exit_code == 0
    assert (project / "fresh" / MARKER).is_file()
    assert (project / "fresh" / "index.html").is_file()


def test_a_site_from_before_the_marker_is_still_replaced(project):
    (project / "site" / MARKER).unlink()
    (project / "content" / "about.md").write_text("# About\n\nChanged.\n", encoding="utf-8")
    assert build(project, "--out", "site").exit_code == 0
    assert "Changed." in (project / "site" / "about" / "index.html").read_text("utf-8")


# ---- one build at a time, leftovers --------------------------------------------------
def test_a_second_build_into_the_same_folder_is_refused_with_the_pid(project):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         f"fd = os.open({str(project / LOCK_NAME)!r}, os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "os.ftruncate(fd, 0)\n"
         "os.write(fd, str(os.getpid()).encode())\n"
         "print('locked', flush=True)\n"
         "time.sleep(60)\n"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        (project / "content" / "about.md").write_text("# About\n\nNew.\n", encoding="utf-8")
        _refused(project, "site", f"another build is running (pid {holder.pid})", code=1)
    finally:
        holder.kill()
        holder.wait()
    assert build(project, "--out", "site").exit_code == 0  # a killed holder frees the lock


def test_the_lock_is_released_after_a_build(project):
    assert build(project, "--out", "site").exit_code == 0
    fd = os.open(project / LOCK_NAME, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if still held
    finally:
        os.close(fd)


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(project):
    work = project / ".crmproof-build-x1y2z3"
    (work / "site").mkdir(parents=True)
    (work / "site" / "index.html").write_text("half a site", encoding="utf-8")
    old = project / ".site-old-4242"
    old.mkdir()
    (project / "content" / "about.md").write_text("# About\n\nNew.\n", encoding="utf-8")
    assert build(project, "--out", "site").exit_code == 0
    assert not work.exists() and not old.exists()
    assert (project / "exports").is_dir() and (project / "content").is_dir()


# ---- publishing ----------------------------------------------------------------------
def test_republishing_swaps_in_one_call_and_keeps_unchanged_files(project, monkeypatch):
    css = project / "site" / "assets" / "crmproof.css"
    inode = css.stat().st_ino
    (project / "content" / "about.md").write_text("# About\n\nNew.\n", encoding="utf-8")
    calls = []
    original = PUBLISH.exchange

    def counting(a, b):
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(PUBLISH, "exchange", counting)
    assert build(project, "--out", "site").exit_code == 0
    assert len(calls) == 1 and calls[0][1] == project / "site"
    assert css.stat().st_ino == inode
    assert "New." in (project / "site" / "about" / "index.html").read_text("utf-8")
    assert not [p for p in project.iterdir() if p.name.startswith(".crmproof-build-")]


@pytest.mark.parametrize("code", [errno.EXDEV, errno.EBUSY, errno.ENOSYS])
def test_without_an_exchange_the_site_is_updated_in_place(project, code, monkeypatch):
    def refuse(a, b):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(PUBLISH, "exchange", refuse)
    (project / "content" / "about.md").write_text("# About\n\nNew.\n", encoding="utf-8")
    (project / "site" / "stale.html").write_text("gone after the build", encoding="utf-8")
    assert build(project, "--out", "site", "--no-cache").exit_code == 0
    _assert_complete_site(project / "site", "New.")
    assert not (project / "site" / "stale.html").exists()


def _assert_complete_site(site: Path, about: str) -> None:
    assert (site / MARKER).is_file() and (site / "assets" / "vega-bundle.js").is_file()
    assert about in (site / "about" / "index.html").read_text("utf-8")
    assert not list(site.rglob("*.crmproof-new"))


def _can_mount() -> bool:
    return shutil.which("mount") is not None and os.geteuid() == 0


@pytest.fixture
def tmpfs(tmp_path):
    """A fresh tmpfs mounted at tmp_path/mnt (skipped where mounting is not allowed)."""
    mounted = []

    def mount(size: str, where: Path) -> Path:
        where.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                               str(where)], capture_output=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(where)
        return where

    if not _can_mount():
        pytest.skip("needs root and mount")
    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_mount_point_as_output_is_updated_in_place(project, tmpfs):
    shutil.rmtree(project / "site")
    site = tmpfs("64m", project / "site")
    assert build(project, "--out", "site").exit_code == 0
    _assert_complete_site(site, "Our project.")
    (project / "content" / "about.md").write_text("# About\n\nNew.\n", encoding="utf-8")
    assert build(project, "--out", "site").exit_code == 0
    _assert_complete_site(site, "New.")
    assert os.path.ismount(site)


def test_a_full_disk_removes_the_partial_build_and_keeps_the_site(tmp_path, tmpfs, built):
    disk = tmpfs("48m", tmp_path / "disk")
    project = copy_project(built, disk / "project")
    shutil.rmtree(project / CACHE_NAME)
    before = digest(project / "site")
    with open(disk / "ballast", "wb") as ballast:  # leave about 1 MB free
        free = shutil.disk_usage(disk).free - (1 << 20)
        ballast.write(b"\0" * max(free, 0))
    (project / "content" / "about.md").write_text("# About\n\nNew.\n", encoding="utf-8")
    result = build(project, "--out", "site")
    assert_one_line(result, 5, "no space left on the disk of", "the partial build was removed")
    assert digest(project / "site") == before
    leftovers = [p.name for p in project.iterdir()
                 if p.name not in ("site", "exports", "content", "crmproof.yml", LOCK_NAME,
                                   CACHE_NAME)]
    assert leftovers == []
    assert not list((project / CACHE_NAME).glob("*.partial*"))


def test_a_full_disk_in_any_stage_is_one_line(project, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "docs/index.md")

    monkeypatch.setattr(site_module, "write_docs", full)
    before = digest(project / "site")
    (project / "content" / "about.md").write_text("# About\n\nNew.\n", encoding="utf-8")
    assert_one_line(build(project, "--out", "site"), 5, "no space left on the disk")
    assert digest(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".crmproof-build-")]
