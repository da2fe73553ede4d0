"""Publishing: the freshly built site swapped into the output folder.

Each site carries a marker (`.crmproof-site.json`) saying which audience it was built for,
so the manager's copy is never built into, inside or around the reps' site.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ..errors import BuildError

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


def publish(built: Path, out: Path, audience: str = "rep") -> None:
    """Swap the new site into place; unchanged files keep their old bytes, inode and mtime."""
    (built / MARKER).write_text(json.dumps({"audience": audience, "generator": "crmproof"},
                                           sort_keys=True) + "\n", encoding="utf-8")
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
