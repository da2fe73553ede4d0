"""Zensical (`site.engine: zensical`): the docs folder in, the HTML site out.

It reads the same mkdocs.yml as MkDocs and runs as `python -m zensical build` in the work
folder, because it prints its warnings (it logs nothing), panics on an absolute docs_dir
and keeps a `.cache/` beside its config. Its `--strict` would also stop on its own bundle
naming libraries it loads only for features crmproof never uses (Pyodide, Ace,
GLightbox): exactly those warnings are let through, any other warning fails the build, as
`mkdocs build --strict` does; what it does not check (navigation entries, links to files
that are not pages) is checked before it runs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from ..config import Config, raw_html_problem
from ..errors import BuildError
from ..text import clean_text
from .links import linked_files
from .mkdocs import site_config, source_date_epoch, take_nav

# The one warning let through: Zensical's own JavaScript bundle names a CDN for features
# it loads on demand only (code execution, an editor, a lightbox); the browser test proves
# no page ever requests one.
_OWN_BUNDLE = re.compile(r"\[privacy\] External file: https://\S+ in "
                         r"'assets/javascripts/bundle\.[0-9a-f]+\.min\.js'")
_LOGGED = re.compile(r"(WARNING|ERROR)\s+-\s+(.*)")
_DIAGNOSTIC = re.compile(r"(Warning|Error):\s*(.*)")
_WHERE = re.compile(r"\[\s*(\S+:\d+:\d+)\s*\]")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def zensical_build(config: Config, docs: Path, built: Path, work: Path, as_of: dt.date,
                   audience: str = "rep", feed: bool = False) -> None:
    """`zensical build` in the work folder; any warning but its own bundle's fails (the
    build checked up front that Zensical is installed: `engines.check_engine`)."""
    nav = take_nav(docs)
    _check_nav(nav, docs)
    if missing := missing_files(docs):
        raise BuildError(f"zensical build: {len(missing)} link(s) to a file that is not "
                         f"there, first: {missing[0]}")
    settings = site_config(config, docs, built, nav, audience, feed)
    name = clean_text(settings["site_name"], 140)
    if problem := raw_html_problem(name):
        raise BuildError(f"Config value 'site.name': {problem}")
    settings.update(site_name=name, docs_dir=_inside(docs, work), site_dir=_inside(built, work),
                    validation={"invalid_links": True, "invalid_link_anchors": True})
    settings["theme"]["variant"] = "classic"  # Material's look, which crmproof.css is made for
    config_file = work / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(as_of), "NO_COLOR": "1",
           "RUST_BACKTRACE": "0"}
    try:
        # -P: the work folder (the current directory) is not on the module path
        run = subprocess.run([sys.executable, "-P", "-m", "zensical", "build", "-f",
                              str(config_file)], cwd=work, env=env, capture_output=True,
                             text=True, encoding="utf-8", errors="replace", check=False)
    finally:
        shutil.rmtree(work / ".cache", ignore_errors=True)
    problems = zensical_problems(run.stdout + "\n" + run.stderr)
    if run.returncode != 0:
        raise BuildError(f"zensical build failed: {problems[0] if problems else _crash(run)}")
    if problems:
        raise BuildError(f"zensical build: {len(problems)} warning(s), first: {problems[0]}")


def zensical_problems(output: str) -> list[str]:
    """Each warning or error Zensical printed, as one line (where it is, then what)."""
    lines = [_ANSI.sub("", line).strip() for line in output.splitlines()]
    problems = []
    for index, line in enumerate(lines):
        if (logged := _LOGGED.match(line)) and not _OWN_BUNDLE.fullmatch(logged.group(2)):
            problems.append(logged.group(2))
        elif diagnostic := _DIAGNOSTIC.match(line):
            where = next((m.group(1) for m in map(_WHERE.search, lines[index + 1:index + 3])
                          if m), None)
            problems.append(f"{where}: {diagnostic.group(2)}" if where else diagnostic.group(2))
    return problems


def _crash(run: subprocess.CompletedProcess) -> str:
    """A panic's message, else the last line Zensical printed."""
    lines = [line.strip() for line in run.stderr.splitlines() if line.strip()]
    after = next((lines[i + 1] for i, line in enumerate(lines[:-1]) if "panicked at" in line),
                 None)
    return after or (lines[-1] if lines else f"exit code {run.returncode}")


def missing_files(docs: Path) -> list[str]:
    """Links and images in the Markdown pages naming a file (not a page) that is not in the
    docs folder: MkDocs fails on them; Zensical checks only links to pages and anchors."""
    return [f"{page.relative_to(docs).as_posix()} links {target}"
            for page, target in linked_files(docs)
            if not (page.parent / target).resolve().is_relative_to(docs.resolve())
            or not (page.parent / target).exists()]


def _check_nav(nav: list, docs: Path) -> None:
    """Every page the navigation names exists (Zensical would drop a missing one silently)."""
    for item in nav:
        for target in item.values():
            if isinstance(target, list):
                _check_nav(target, docs)
            elif not (docs / target).is_file():
                raise BuildError(f"zensical build: the navigation names {target}, which is "
                                 "not in the docs folder")


def _inside(path: Path, work: Path) -> str:
    """A path relative to the work folder: Zensical wants both folders inside its root."""
    try:
        return path.relative_to(work).as_posix()
    except ValueError:
        raise BuildError(f"{path} is outside the build folder {work}") from None
