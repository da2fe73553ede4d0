"""The MkDocs step: the docs folder in, the HTML site out (`mkdocs build --strict`).

Runs MkDocs in-process with the bundled `mkdocs.yml` as the base config; any warning
fails the build, and SOURCE_DATE_EPOCH pins the sitemap's dates to the as-of date.
`site_config` is the one mkdocs.yml both site engines read (`engines`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from pathlib import Path

import yaml
from markupsafe import escape

from ..charts import prefetch_vega_bundle, vega_bundle
from ..config import Config, logo_kind
from ..errors import BuildError
from ..resources import bundled
from ..text import clean_text

AUDIENCES = ("rep", "manager")


def prefetch_assets(cache_dir: Path | None) -> None:
    """Start making the chart bundle now (read from `cache_dir` when a build left it
    there); `write_assets` waits for it."""
    prefetch_vega_bundle(cache_dir)


def write_assets(docs: Path, audience: str = "rep") -> None:
    """The site's JS and CSS; the manager's copy has no charts, and its own stylesheet."""
    assets = docs / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    names = ("crmproof.css", "manager.css") if audience == "manager" else (
        "charts.js", "crmproof.css")
    if audience != "manager":
        (assets / "vega-bundle.js").write_text(vega_bundle(), encoding="utf-8")
    for name in names:
        shutil.copyfile(bundled("templates") / "assets" / name, assets / name)


def _audience_config(base: dict, config: Config, audience: str, feed: bool) -> None:
    """The theme override (feed link, or the manager's banner and noindex) and, for the
    manager's copy, its own title, stylesheet and pages outside the navigation."""
    base.setdefault("theme", {})["custom_dir"] = str(bundled("templates") / "overrides")
    extra = base.setdefault("extra", {})
    extra["crmproof_audience"] = audience
    extra["crmproof_feed"] = feed
    if audience == "manager":
        base["site_name"] = f"{config['site']['name']} (manager's copy)"
        base["not_in_nav"] = "/coaching/*.md\n"
        base["extra_css"] = ["assets/crmproof.css", "assets/manager.css"]
        base["extra_javascript"] = []


def site_config(config: Config, docs: Path, built: Path, nav: list, audience: str = "rep",
                feed: bool = False) -> dict:
    """The build's mkdocs.yml: the bundled base with the site's name, pages and audience."""
    base = yaml.safe_load(bundled("mkdocs.yml").read_text(encoding="utf-8"))
    base.update(site_name=config["site"]["name"], docs_dir=str(docs), site_dir=str(built),
                nav=nav)
    _audience_config(base, config, audience, feed)
    if config["site"]["url"] and audience == "rep":  # the reps' address, never the manager's
        base["site_url"] = config["site"]["url"]  # an http(s) URL without quotes (checks)
    logo = config["site"]["logo"]
    if logo:  # an image inside the project folder, checked by its first bytes
        source = config.resolve(logo)
        kind = logo_kind(source) if source.is_file() else None
        if kind is None:
            raise BuildError(f"site.logo: {source} is no longer an image; fix the path in "
                             "crmproof.yml")
        target = docs / "assets" / f"logo{kind}"
        shutil.copyfile(source, target)
        base.setdefault("theme", {})["logo"] = f"assets/{target.name}"
        base["theme"]["favicon"] = f"assets/{target.name}"
    return base


def source_date_epoch(as_of: dt.date) -> str:
    """The as-of date's midnight (UTC) as SOURCE_DATE_EPOCH: the site's dates, whatever the
    wall clock says."""
    epoch = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc).timestamp()
    return str(max(0, int(epoch)))


def take_nav(docs: Path) -> list:
    """The navigation the pages step wrote (`nav.yml`), removed from the docs folder."""
    nav = yaml.safe_load((docs / "nav.yml").read_text(encoding="utf-8"))
    (docs / "nav.yml").unlink()
    return nav


class _CountWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def mkdocs_build(config: Config, docs: Path, built: Path, work: Path, as_of: dt.date,
                 audience: str = "rep", feed: bool = False, html_bodies: bool = True,
                 plain_search: bool = True, shared_frame: bool = True) -> None:
    """mkdocs build --strict, in-process; any warning fails the build.

    SOURCE_DATE_EPOCH pins the sitemap's dates to the data's as-of date, so the same
    input gives a byte-identical site whatever the wall clock says. Rep pages' HTML bodies
    skip Markdown (`html_pages`; `html_bodies=False` runs Python-Markdown on them, which
    gives the same pages, for the tests that say so); plain generated HTML is cut into search
    sections without html.parser (`search_sections`; `plain_search=False`: Material alone);
    pages of one folder outside the navigation share one rendering of the theme's frame around
    them (`shared_frame`).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_load_config
    from mkdocs.exceptions import MkDocsException

    from .html_pages import HtmlBodies
    from .search_sections import PlainSearchSections
    from .shared_frame import SharedFrame

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(as_of)
    nav = take_nav(docs)
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(site_config(config, docs, built, nav, audience,
                                                      feed), sort_keys=False),
                           encoding="utf-8")
    counter = _CountWarnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        mkdocs_config = mkdocs_load_config(config_file=str(config_file), strict=True)
        # The theme writes site_name unescaped into <title>, the header and the nav, and
        # `| e` into title attributes: escaped text as Markup shows right in both.
        mkdocs_config["site_name"] = escape(clean_text(mkdocs_config["site_name"], 140))
        if html_bodies:
            mkdocs_config.plugins["crmproof/html-bodies"] = HtmlBodies()
        if plain_search:
            mkdocs_config.plugins["crmproof/plain-search"] = PlainSearchSections()
        if shared_frame:
            mkdocs_config.plugins["crmproof/shared-frame"] = SharedFrame()
        mkdocs_build(mkdocs_config)
    except (MkDocsException, SystemExit) as exc:
        detail = counter.messages[0] if counter.messages else str(exc)
        raise BuildError(f"mkdocs build --strict failed: {detail}") from exc
    finally:
        logger.removeHandler(counter)
    if counter.messages:
        raise BuildError(f"mkdocs build --strict: {len(counter.messages)} warning(s), first: "
                         f"{counter.messages[0]}")
