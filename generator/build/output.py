"""Where a build may write, decided before anything runs.

`--out` is replaced by every build, so it is used only when it does not exist, is empty,
or holds a site crmproof built (its marker file); never the project's folder, the export
folder, a parent of either, `/` or the home folder, and never through a symbolic link.
The cache beside it (`.crmproof-cache/`) is used only when it is crmproof's (see
`cache.BuildCache.check`); `lock` keeps builds into one folder one at a time.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import BuildError, ConfigError
from ..site import MARKER, is_crmproof_site
from .lock import WORK_PREFIX


def _refuse(out: Path, why: str) -> ConfigError:
    return ConfigError(f"--out {out}: {why}")


def check_output(out: Path, protected: dict[str, Path | None]) -> None:
    """Refuse an output folder whose replacement could delete anything but an old site.

    `protected` names folders a build reads (the project, the export): the output may be
    neither one of them nor a folder holding them."""
    if out.parent == out:
        raise _refuse(out, "that is the root folder; build into a folder of its own, "
                           "e.g. --out site")
    if out == Path.home().resolve():
        raise _refuse(out, "that is your home folder; build into a folder of its own, "
                           "e.g. --out site")
    for name, folder in protected.items():
        if folder is not None and (folder := Path(folder).resolve()).is_relative_to(out):
            raise _refuse(out, f"that folder holds {name} ({folder}), and a build replaces "
                               "its output folder; use e.g. --out site")
    if out.is_symlink():
        raise _refuse(out, f"it is a symbolic link (to {os.readlink(out)}); a build replaces "
                           "its output folder and never follows a link: pass the real "
                           "folder as --out, or remove the link")
    if out.exists() and not out.is_dir():
        raise _refuse(out, "it exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not is_crmproof_site(out):
        raise _refuse(out, f"it holds files crmproof did not build (no {MARKER} "
                           "marker), and a build replaces the folder; empty it or choose "
                           "another --out")


def prepare_parent(out: Path) -> None:
    """The output's parent folder, created when missing; a one-line error when it cannot be."""
    blocking = next((p for p in out.parents if p.exists() or p.is_symlink()), None)
    if blocking is not None and not blocking.is_dir():
        raise BuildError(f"cannot build into {out}: {blocking} is a file, not a folder; "
                         "choose another --out")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        probe = out.parent / f"{WORK_PREFIX}probe-{os.getpid()}"
        probe.mkdir(exist_ok=True)
        probe.rmdir()
    except OSError as exc:
        raise BuildError(f"cannot write into {out.parent} ({exc.strerror}); choose another "
                         "--out, or fix the folder's permissions") from None


