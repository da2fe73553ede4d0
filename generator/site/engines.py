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
from pathlib import Path

from ..config import Config
from ..errors import BuildError

ENGINE_PACKAGES = {"mkdocs": ("mkdocs", "mkdocs-material"), "zensical": ("zensical",)}
INSTALL_HINT = "pip install 'crmproof[zensical]'"


def build_html(config: Config, docs: Path, built: Path, work: Path, as_of: dt.date,
               audience: str = "rep", feed: bool = False) -> None:
    """Build the HTML site from `docs` into `built` with the configured engine."""
    if config["site"]["engine"] == "zensical":
        from .zensical_engine import zensical_build

        zensical_build(config, docs, built, work, as_of, audience, feed)
    else:
        from .mkdocs import mkdocs_build

        mkdocs_build(config, docs, built, work, as_of, audience, feed)


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
