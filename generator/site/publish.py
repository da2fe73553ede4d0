"""Publishing: the freshly built site swapped into the output folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import BuildError


def publish(built: Path, out: Path) -> None:
    """Swap the new site into place; unchanged files keep their old bytes, inode and mtime."""
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder; choose another --out")
    if out.exists():
        _keep_unchanged(out, built)
    retired = out.with_name(f".{out.name}-old-{os.getpid()}")
    if out.exists():
        os.replace(out, retired)
    try:
        os.replace(built, out)
    except OSError as exc:
        if retired.exists():
            os.replace(retired, out)
        raise BuildError(f"could not move the new site into {out}: {exc}") from exc
    shutil.rmtree(retired, ignore_errors=True)


def _keep_unchanged(old: Path, new: Path) -> None:
    for path in new.rglob("*"):
        if not path.is_file():
            continue
        previous = old / path.relative_to(new)
        if previous.is_file() and previous.stat().st_size == path.stat().st_size \
                and previous.read_bytes() == path.read_bytes():
            os.link(previous, path.with_suffix(path.suffix + ".keep"))
            os.replace(path.with_suffix(path.suffix + ".keep"), path)
