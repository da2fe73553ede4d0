"""One build at a time per folder, and what killed builds leave behind.

A lock file beside the output (`.crmproof.lock`, held with flock, so a killed build never
leaves it locked) covers the output folder, the cache beside it and the work folders of
builds; the next build, holding it, removes what killed ones left.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuildError, CrmproofError

try:
    import fcntl
except ImportError:  # Windows: no flock; builds are not locked there
    fcntl = None

LOCK_NAME = ".crmproof.lock"
WORK_PREFIX = ".crmproof-build-"


class BusyError(CrmproofError):
    """Another crmproof process is building into the same folder."""


@contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold `folder/.crmproof.lock` for one build; re-entrant within a process."""
    path = (folder / LOCK_NAME).resolve()
    if fcntl is None or path in _HELD:
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise BuildError(f"cannot write into {folder} ({exc.strerror}); choose another "
                         "--out, or fix the folder's permissions") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise BusyError(f"another build is running (pid {pid}) in {folder}; wait for it "
                            "to finish, or build into another folder") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        _HELD.add(path)
        try:
            yield
        finally:
            _HELD.discard(path)
    finally:
        os.close(fd)  # closing releases the flock


_HELD: set[Path] = set()


def clear_leftovers(folder: Path) -> None:
    """Remove what killed builds left in `folder` (their work folders, retired sites);
    only ever called with the folder's lock held, so no running build owns them."""
    for path in folder.iterdir():
        leftover = path.name.startswith(WORK_PREFIX) or re.fullmatch(r"\..+-old-\d+",
                                                                     path.name)
        if leftover and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return "No space left on device" in str(exc) or "disk is full" in str(exc).lower()


@contextmanager
def disk_full_reported(out: Path) -> Iterator[None]:
    """A full disk as one line, raised after the partial build was removed (the work
    folder and a half-written cache database are cleaned up on the way out)."""
    try:
        yield
    except CrmproofError:
        raise
    except Exception as exc:
        if not _disk_full(exc):
            raise
        raise BuildError(f"no space left on the disk of {out.parent}: the partial build was "
                         f"removed and {out} was left as it was; free some space and build "
                         "again") from exc
