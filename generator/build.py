"""Build: the whole pipeline as a short sequence of named steps.

load_config -> ingest -> run_queries -> evidence -> charts -> pages -> mkdocs -> publish

Everything is written into a temporary directory next to the output; `site/` is
replaced only after `mkdocs build --strict` succeeded, and files whose bytes did not
change keep their old inode and mtime, so a rebuild with no changes rewrites nothing.

Nightly CI rebuilds mostly unchanged data, so `.crmproof-cache/` (next to the output)
keeps the ingested database keyed by the exports' content hashes, and a stamp of the
whole build: when neither data, config, content nor crmproof itself changed, the build
stops after hashing and leaves `site/` alone.
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
from .cache import BuildCache, code_fingerprint, digest, tree_hashes
from .canonical import TABLES
from .charts import vega_bundle
from .config import Config, load_config
from .errors import BuildError, CrmproofError, StaleDataError
from .ingest import IngestReport
from .project import Project, export_folder, format_fingerprint, latest_record, open_project
from .resources import bundled

STAGES = ("ingest", "queries", "evidence", "charts", "pages", "mkdocs", "publish")
REQUIRED_TABLES = ("deals", "activities")


@dataclass
class BuildOptions:
    config_path: Path | None = None
    data: Path | None = None
    out: Path = Path("site")
    as_of: dt.date | None = None
    fmt: str | None = None
    strict: bool = False
    today: dt.date | None = None  # --strict compares the data's age to this (default: today)
    cache: bool = True
    progress: Callable[[str], None] = lambda step: None
    finished: Callable[[str, float], None] = lambda step, seconds: None


@dataclass
class BuildResult:
    out: Path
    as_of: dt.date
    pages: int
    ingest: IngestReport | None
    timings: dict[str, float] = field(default_factory=dict)
    demo: bool = False
    unchanged: bool = False  # nothing changed since the last build: site/ left untouched
    summary: dict = field(default_factory=dict)


class _Timer:
    def __init__(self, options: BuildOptions) -> None:
        self.timings: dict[str, float] = {}
        self.options = options

    def __call__(self, name: str, func, *args, **kwargs):
        self.options.progress(name)
        start = time.perf_counter()
        result = func(*args, **kwargs)
        self.timings[name] = round(time.perf_counter() - start, 3)
        self.options.finished(name, self.timings[name])
        return result


def build(options: BuildOptions) -> BuildResult:
    """Build the site into `options.out`; raise a CrmproofError subclass on any problem."""
    timer = _Timer(options)
    config = load_config(options.config_path)
    out = Path(options.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    cache = BuildCache(out)
    inputs = cache.inputs_fingerprint(export_folder(config, options.data))
    key = _build_key(options, config, inputs)
    summary = cache.unchanged(key) if options.cache else None
    if summary is not None:
        if options.strict:
            _check_strict(summary, config, options.today)
        return BuildResult(out, dt.date.fromisoformat(summary["as_of"]), summary["pages"], None,
                           timer.timings, summary["demo"], unchanged=True, summary=summary)
    with tempfile.TemporaryDirectory(prefix=".crmproof-build-", dir=out.parent) as work:
        work_dir = Path(work)
        project = timer("ingest", open_project, config=config, data=options.data,
                        fmt=_format(options, config), as_of=options.as_of,
                        cache=cache if options.cache else None, work=work_dir,
                        strict=options.strict)
        try:
            summary = _summary(project)
            if options.strict:
                summary["validation_errors"] = _validation_errors(project)
                _check_strict(summary, config, options.today)
            count = _build_site(project, timer, work_dir, out)
        finally:
            project.con.close()
    summary["pages"] = count
    if options.cache:
        cache.save_stamp(key, summary)
    return BuildResult(out, project.as_of, count, project.ingest, timer.timings, project.demo,
                       summary=summary)


def _build_site(project: Project, timer: _Timer, work_dir: Path, out: Path) -> int:
    """queries -> evidence -> charts -> pages -> mkdocs -> publish; returns the page count."""
    docs = work_dir / "docs"
    site = report.Site(project.con, project.config, project.params, project.ingest,
                       demo=project.demo)
    timer("queries", site.run_queries)
    timer("evidence", site.compute_evidence)
    timer("charts", site.render_charts)
    count = timer("pages", site.write_pages, docs)
    _write_assets(docs)
    built = work_dir / "site"
    timer("mkdocs", _mkdocs_build, project.config, docs, built, work_dir, project.as_of)
    timer("publish", publish, built, out)
    return count


# ---- inputs and the cache -------------------------------------------------------------
def _format(options: BuildOptions, config: Config) -> str:
    return options.fmt or config["data"]["format"]


def _build_key(options: BuildOptions, config: Config, inputs: list) -> str:
    """Everything the site's bytes depend on: data, config, project files, crmproof itself."""
    project_files = []
    if config.path:
        project_files = [tree_hashes(config.root / name) for name in ("content", "templates")]
        if config["site"]["logo"]:
            project_files.append(tree_hashes(config.resolve(config["site"]["logo"])))
    return digest(inputs, config.values, format_fingerprint(_format(options, config)),
                  options.as_of, options.strict, project_files, code_fingerprint())


# ---- what the data holds, and --strict ------------------------------------------------
def _summary(project: Project) -> dict:
    """As-of date, newest record and row counts per table: shown on the site, used by --strict."""
    latest = latest_record(project.con)
    rows = {table: project.con.execute(f'select count(*) from "{table}"').fetchall()[0][0]
            for table in TABLES}
    return {"as_of": project.as_of.isoformat(), "latest": latest and latest.isoformat(),
            "rows": rows, "missing_tables": list(project.ingest.missing_tables),
            "demo": project.demo, "pages": 0}


def _validation_errors(project: Project) -> list[str]:
    """Messages of the data-quality checks of severity 'error' (see `crmproof validate`)."""
    from . import validate

    found = validate.check(project.con, project.config, project.as_of, project.ingest,
                           project.demo)
    return [f.message for f in found.findings if f.severity == "error"]


def _check_strict(summary: dict, config: Config, today: dt.date | None) -> None:
    """--strict: required tables present and non-empty, the newest record recent enough,
    no validation errors."""
    for table in REQUIRED_TABLES:
        if table in summary["missing_tables"] or not summary["rows"].get(table):
            raise StaleDataError(f"--strict: the export holds no {table}; export them too, "
                                 f"or build without --strict")
    today = today or dt.date.today()
    latest = dt.date.fromisoformat(summary["latest"]) if summary["latest"] else None
    allowed = config["strict"]["max_data_age_days"]
    if latest is None or (today - latest).days > allowed:
        age = "no dated records" if latest is None else (
            f"the newest record is from {latest}, {(today - latest).days} days before {today}")
        raise StaleDataError(f"--strict: stale data: {age} (strict.max_data_age_days is "
                             f"{allowed}); check that the export job ran")
    errors = summary.get("validation_errors") or []
    if errors:
        raise StaleDataError(f"--strict: validation found {len(errors)} error(s), first: "
                             f"{errors[0]}; run crmproof validate for all of them")


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
