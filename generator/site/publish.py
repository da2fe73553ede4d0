"""Publishing: the freshly built site put in place of the output folder, with no moment at
which readers find no site or half of one.

- No site yet (or an empty folder): one rename.
- A site already there: the new folder and the old one are exchanged in one system call
  (Linux `renameat2(RENAME_EXCHANGE)`, macOS `renamex_np(RENAME_SWAP)`); `site/` stays a
  plain folder, so every deploy step keeps working. Files whose bytes did not change are
  hard links to the old ones first, so they keep their inode and mtime.
- A mount point (a container volume), or a system or file system without that exchange:
  updated in place, file by file, each file replaced by a rename; new assets before the
  pages that use them, the home page last, files the new site dropped removed at the end.

Each built site holds a marker (`.crmproof-site.json`) saying which audience it was built
for: a later build replaces only a folder holding one (see `build.output`), and the manager's
copy is never built into, inside or around the reps' site (`check_output`).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
from pathlib import Path

from ..errors import BuildError

# Sites built before the marker existed are recognised by files only crmproof writes.
_LEGACY = ("index.html", "sitemap.xml", "assets/vega-bundle.js", "assets/crmproof.css")
_EXCHANGE_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV, errno.EBUSY,
                         errno.EPERM}


MARKER = ".crmproof-site.json"
REP_DEFAULT_OUT = "site"  # `crmproof build`'s default output for the reps' site


def site_audience(folder: Path) -> str | None:
    """The audience a crmproof site in `folder` was built for; None when it holds none."""
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8")).get("audience")
    except (OSError, ValueError, AttributeError):
        return None


def check_output(out: Path, audience: str, cwd: Path | None = None) -> None:
    """Refuse an output folder that would mix the manager's copy with the reps' site."""
    out = out.resolve()
    other = "manager" if audience == "rep" else "rep"
    holders = [folder for folder in (out, *out.parents) if site_audience(folder) == other]
    if audience == "manager" and out.is_dir():
        holders += [child for child in out.iterdir()
                    if child.is_dir() and site_audience(child) == "rep"]
    if holders:
        names = {"manager": "the manager's copy", "rep": "the reps' site"}
        raise BuildError(f"{holders[0]} holds {names[other]}; build {names[audience]} into "
                         f"a folder of its own (--out)")
    default = ((cwd or Path.cwd()) / REP_DEFAULT_OUT).resolve()
    if audience == "manager" and out == default and site_audience(out) != "manager":
        raise BuildError(f"{out} is the reps' site's default folder; build the manager's "
                         f"copy elsewhere, e.g. --out manager-site")


def is_crmproof_site(folder: Path) -> bool:
    return site_audience(folder) is not None or all((folder / p).is_file() for p in _LEGACY)


def publish(built: Path, out: Path, audience: str = "rep") -> str:
    """Put `built` in place of `out`; returns how: 'renamed', 'exchanged' or 'in place'."""
    (built / MARKER).write_text(json.dumps({"audience": audience, "generator": "crmproof"},
                                           sort_keys=True) + "\n", encoding="utf-8")
    if not os.path.lexists(out) or (out.is_dir() and not any(out.iterdir())
                                    and not os.path.ismount(out)):
        os.rename(built, out)  # onto nothing, or onto an empty folder: atomic
        return "renamed"
    if not os.path.ismount(out):
        _keep_unchanged(out, built)
        try:
            exchange(built, out)
        except OSError as exc:
            if exc.errno not in _EXCHANGE_UNSUPPORTED:
                raise
        else:
            shutil.rmtree(built, ignore_errors=True)  # now the old site
            return "exchanged"
    _sync_into(built, out)
    return "in place"


# ---- one-call exchange ---------------------------------------------------------------
_AT_FDCWD, _RENAME_EXCHANGE, _RENAME_SWAP = -100, 2, 2


def exchange(first: Path, second: Path) -> None:
    """Swap two paths atomically; OSError(ENOSYS) where the system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    a, b = os.fsencode(first), os.fsencode(second)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(a, b, _RENAME_SWAP)
    else:
        raise OSError(errno.ENOSYS, "no atomic exchange on this system", str(second))
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(second))


# ---- keeping unchanged files ---------------------------------------------------------
def _same_bytes(a: Path, b: Path) -> bool:
    return a.is_file() and not a.is_symlink() and a.stat().st_size == b.stat().st_size \
        and a.read_bytes() == b.read_bytes()


def _keep_unchanged(old: Path, new: Path) -> None:
    for path in new.rglob("*"):
        if path.is_file() and _same_bytes(previous := old / path.relative_to(new), path):
            keep = path.with_name(path.name + ".keep")
            os.link(previous, keep)
            os.replace(keep, path)


# ---- in place, file by file ----------------------------------------------------------
def _publish_order(relative: Path) -> tuple:
    """The marker first, then assets, then pages, the home page last."""
    name = relative.as_posix()
    return (name != MARKER, name == "index.html", relative.suffix == ".html", name)


def _sync_into(built: Path, out: Path) -> None:
    """Update `out` (a mount point) to `built` one atomic file replacement at a time."""
    files = sorted((p.relative_to(built) for p in built.rglob("*") if p.is_file()),
                   key=_publish_order)
    for relative in files:
        source, target = built / relative, out / relative
        if _same_bytes(target, source):
            continue
        for parent in reversed(relative.parents[:-1]):
            folder = out / parent
            if folder.exists() and not folder.is_dir() or folder.is_symlink():
                folder.unlink()
            folder.mkdir(exist_ok=True)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        temp = target.with_name(f".{target.name}.crmproof-new")
        shutil.copyfile(source, temp)
        os.replace(temp, target)
    wanted = {out / p for p in files} | {out / d for p in files for d in p.parents}
    for path in sorted(out.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path not in wanted:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
