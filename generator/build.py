"""Build: the whole pipeline as a short sequence of named steps.

load_config -> ingest -> run_queries -> evidence -> charts -> pages -> mkdocs -> publish

Everything is written into a temporary directory next to the output; `site/` is
replaced only after `mkdocs build --strict` succeeded, and files whose bytes did not
change keep their old inode and mtime, so a rebuild with no changes rewrites nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import report
from .charts import vega_bundle
from .config import Config, load_config
from .errors import BuildError, CrmproofError
from .ingest import IngestReport
from .project import open_project
from .resources import bundled


@dataclass
class BuildOptions:
    config_path: Path | None = None
    data: Path | None = None
    out: Path = Path("site")
    as_of: dt.date | None = None
    fmt: str | None = None
    strict: bool = False
    progress: Callable[[str], None] = lambda step: None


@dataclass
class BuildResult:
    out: Path
    as_of: dt.date
    pages: int
    ingest: IngestReport
    timings: dict[str, float] = field(default_factory=dict)
    demo: bool = False


class _Timer:
    def __init__(self, progress: Callable[[str], None]) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress

    def __call__(self, name: str, func, *args, **kwargs):
        self.progress(name)
        start = time.perf_counter()
        result = func(*args, **kwargs)
        self.timings[name] = round(time.perf_counter() - start, 3)
        return result


def build(options: BuildOptions) -> BuildResult:
    """Build the site into `options.out`; raise a CrmproofError subclass on any problem."""
    timer = _Timer(options.progress)
    config = load_config(options.config_path)
    out = Path(options.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".crmproof-build-", dir=out.parent) as work:
        work_dir = Path(work)
        project = timer("ingest", open_project, data=options.data, fmt=options.fmt,
                        as_of=options.as_of, config=config)
        as_of, ingested, demo = project.as_of, project.ingest, project.demo
        docs = work_dir / "docs"
        site = report.Site(project.con, config, project.params, ingested, demo=demo)
        timer("queries", site.run_queries)
        timer("evidence", site.compute_evidence)
        timer("charts", site.render_charts)
        count = timer("pages", site.write_pages, docs)
        _write_assets(docs)
        built = work_dir / "site"
        timer("mkdocs", _mkdocs_build, config, docs, built, work_dir, as_of)
        timer("publish", publish, built, out)
    return BuildResult(out, as_of, count, ingested, timer.timings, demo)


def _write_assets(docs: Path) -> None:
    assets = docs / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "vega-bundle.js").write_text(vega_bundle(), encoding="utf-8")
    for name in ("charts.js", "crmproof.css"):
        shutil.copyfile(bundled("templates") / "assets" / name, assets / name)


def _mkdocs_config(config: Config, docs: Path, built: Path, nav: list) -> dict:
    base = yaml.safe_load(bundled("mkdocs.yml").read_text(encoding="utf-8"))
    base.update(site_name=config["site"]["name"], docs_dir=str(docs), site_dir=str(built),
                nav=nav)
    if config["site"]["url"]:
        base["site_url"] = config["site"]["url"]
    logo = config["site"]["logo"]
    if logo:
        source = config.resolve(logo)
        if not source.is_file():
            raise BuildError(f"site.logo: {source} not found; fix the path in crmproof.yml")
        target = docs / "assets" / f"logo{source.suffix.lower()}"
        shutil.copyfile(source, target)
        base.setdefault("theme", {})["logo"] = f"assets/{target.name}"
        base["theme"]["favicon"] = f"assets/{target.name}"
    return base


class _CountWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _mkdocs_build(config: Config, docs: Path, built: Path, work: Path, as_of: dt.date) -> None:
    """mkdocs build --strict, in-process; any warning fails the build.

    SOURCE_DATE_EPOCH pins the sitemap's dates to the data's as-of date, so the same
    input gives a byte-identical site whatever the wall clock says.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_load_config
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    epoch = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc).timestamp()
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    nav = yaml.safe_load((docs / "nav.yml").read_text(encoding="utf-8"))
    (docs / "nav.yml").unlink()
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(_mkdocs_config(config, docs, built, nav),
                                          sort_keys=False), encoding="utf-8")
    counter = _CountWarnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        mkdocs_config = mkdocs_load_config(config_file=str(config_file), strict=True)
        mkdocs_build(mkdocs_config)
    except (MkDocsException, SystemExit) as exc:
        detail = counter.messages[0] if counter.messages else str(exc)
        raise BuildError(f"mkdocs build --strict failed: {detail}") from exc
    finally:
        logger.removeHandler(counter)
    if counter.messages:
        raise BuildError(f"mkdocs build --strict: {len(counter.messages)} warning(s), first: "
                         f"{counter.messages[0]}")


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


__all__ = ["BuildOptions", "BuildResult", "CrmproofError", "build", "publish"]
