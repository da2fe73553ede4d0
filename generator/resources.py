"""Where the project's bundled files live: next to the package in a checkout,
under `generator/_bundled/` in an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def bundled(name: str) -> Path:
    """Path of a bundled file or folder: 'queries', 'templates', 'content' or 'mkdocs.yml'."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"crmproof is installed without its '{name}'; reinstall it")
