"""The site engine (`site.engine`): the docs folder in, the HTML site out, by MkDocs with
Material for MkDocs (`mkdocs`, the default) or by Zensical, Material's successor
(`zensical_engine`). Both read the same mkdocs.yml (`mkdocs.site_config`).

Light on purpose: a build that finds nothing changed checks the engine and its version
only; an engine's module (the theme, the charts' bundle) is imported to build.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import shutil
from pathlib import Path

from ..config import Config
from ..errors import BuildError
from .links import linked_files

ENGINE_PACKAGES = {"mkdocs": ("mkdocs", "mkdocs-material"), "zensical": ("zensical",)}
INSTALL_HINT = "pip install 'crmproof[zensical]'"


# Folders of files that pages name in raw HTML (a chart's <img> and spec, a table's CSV
# link): thousands of files an engine would copy one by one, moved past it instead. A file
# a Markdown link names stays too, for the engine to check the link.
SET_ASIDE = ("assets/charts", "assets/data")


def build_html(config: Config, docs: Path, built: Path, work: Path, as_of: dt.date,
               audience: str = "rep", feed: bool = False) -> None:
    """Build the HTML site from `docs` into `built` with the configured engine."""
    aside = work / "set-aside"
    _set_aside(docs, aside)
    if config["site"]["engine"] == "zensical":
        from .zensical_engine import zensical_build

        zensical_build(config, docs, built, work, as_of, audience, feed)
    else:
        from .mkdocs import mkdocs_build

        mkdocs_build(config, docs, built, work, as_of, audience, feed)
    _put_back(aside, built)


def _set_aside(docs: Path, aside: Path) -> None:
    """Move the `SET_ASIDE` folders out of the docs folder (one rename each), leaving a copy
    of each file in them that a Markdown page links to."""
    linked = {(page.parent / target).resolve() for page, target in linked_files(docs)}
    root = docs.resolve()
    for folder in SET_ASIDE:
        if not (docs / folder).is_dir():
            continue
        (aside / folder).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(docs / folder, aside / folder)
        for path in sorted(p for p in linked if p.is_relative_to(root / folder)):
            if (aside / path.relative_to(root)).is_file():
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(aside / path.relative_to(root), path)


def _put_back(aside: Path, built: Path) -> None:
    """The set-aside folders into the built site, in place of the engine's copies."""
    for folder in SET_ASIDE:
        if (aside / folder).is_dir():
            shutil.rmtree(built / folder, ignore_errors=True)
            (built / folder).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(aside / folder, built / folder)


def check_engine(config: Config) -> None:
    """Fail before any work when the configured engine is not installed."""
    if config["site"]["engine"] == "zensical" and importlib.util.find_spec("zensical") is None:
        raise BuildError(f"site.engine is zensical, but Zensical is not installed; run "
                         f"{INSTALL_HINT} (Python 3.11 or later), or use site.engine: mkdocs")


def engine_versions(config: Config) -> list[str]:
    """The installed versions of the engine's packages: a new engine means a new site."""
    found = []
    for name in ENGINE_PACKAGES[config["site"]["engine"]]:
        try:
            found.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return found
