"""Content-hash caching for nightly rebuilds, in `.crmproof-cache/` next to the output.

Two levels:

- the ingested DuckDB database, keyed by the export files' content hashes, the format,
  the config sections ingest reads and the ingest code itself; an unchanged export is not
  read again, and the database lives on disk so DuckDB can page it instead of holding it
  all in memory;
- a stamp of the whole build (inputs, config, content/, templates, queries, package
  version and the published site's file list); when nothing changed at all, the build
  stops there and leaves `site/` untouched.

File content hashes are remembered by (size, mtime, ctime, inode), so an unchanged 2 GB
export is only re-hashed when its stat changes, and a re-downloaded but identical export
still hits. The ctime catches what the mtime alone misses: `cp -p` and `rsync -t` copy a
same-size edit with the old mtime, but no program can set a file's ctime.

The folder holds a CACHEDIR.TAG; a build uses an existing `.crmproof-cache/` only when it
has one (or holds nothing but what crmproof writes there), never a user's folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import blake3

from .. import __version__
from ..errors import ConfigError
from ..ingest import IngestReport, LoadedFile, data_files
from ..resources import bundled

CACHE_NAME = ".crmproof-cache"
CACHE_TAG = "CACHEDIR.TAG"
_TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
             "# crmproof's build cache (https://bford.info/cachedir/); safe to delete.\n")
# What crmproof has ever written into the cache folder (caches from before the tag).
_OWN_FILE = re.compile(r"(file-hashes\.json|(ingest|site)-[0-9a-f]+\..*|\..*\.partial|"
                       r"vega-bundle-[0-9a-z.]+\.js)")
_PACKAGE = Path(__file__).resolve().parent.parent  # generator/
_CHUNK = 1 << 24  # bytes per read of a large export file


def output_path(out: Path) -> Path:
    """`--out` as an absolute path: its parent's links resolved, never its own name's."""
    lexical = Path(os.path.abspath(out))
    return lexical if lexical.parent == lexical else lexical.parent.resolve() / lexical.name


def digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_hash(path: Path) -> str:
    # BLAKE3 hashes a 2 GB export in about 0.7 s, SHA-256 (even with CPU instructions) in 2.5.
    # A large file is read in chunks (never mapped: a file cut short while mapped kills the
    # process) and hashed on every core; a small one (crmproof's own code) in one read.
    with open(path, "rb", buffering=0) as handle:
        if os.fstat(handle.fileno()).st_size <= _CHUNK:
            return blake3.blake3(handle.readall()).hexdigest()
        hasher = blake3.blake3(max_threads=blake3.blake3.AUTO)
        buffer = bytearray(_CHUNK)
        view = memoryview(buffer)
        while size := handle.readinto(buffer):
            hasher.update(view[:size])
    return hasher.hexdigest()


def _readable_hash(path: Path) -> str | None:
    try:
        return _file_hash(path)
    except OSError:
        return None


def tree_hashes(root: Path, pattern: str = "*") -> list[tuple[str, str]]:
    """(relative path, content hash) of every file under root; small trees only."""
    if not root.exists():
        return []
    if root.is_file():
        return [(root.name, _file_hash(root))]
    return [(str(p.relative_to(root)), _file_hash(p)) for p in sorted(root.rglob(pattern))
            if p.is_file() and "__pycache__" not in p.parts]


def code_fingerprint() -> str:
    """What the site's bytes depend on besides data and config: this package's code and
    its bundled queries, templates, default content and MkDocs config."""
    return digest(__version__, tree_hashes(_PACKAGE, "*.py"),
                  tree_hashes(_PACKAGE / "ingest" / "mappings"),
                  *(tree_hashes(bundled(name)) for name in ("queries", "templates", "content",
                                                      "mkdocs.yml")))


# The code that shapes the ingested tables: packages (every module in them) and modules of
# generator/ (a test checks that ingest imports nothing else from generator/).
INGEST_MODULES = ("ingest", "sample", "config", "metrics", "db.py", "errors.py",
                  "resources.py", "text.py", "build/project.py", "build/cache.py",
                  "build/lock.py")


def ingest_code_fingerprint() -> str:
    return digest(__version__, [tree_hashes(_PACKAGE / n, "*.py") for n in INGEST_MODULES],
                  tree_hashes(_PACKAGE / "ingest" / "mappings"),
                  tree_hashes(bundled("queries"), "_*.sql"))


def site_manifest(out: Path) -> dict[str, list[int]]:
    """Every published file with its size, mtime and inode: proof nobody touched the site.
    (By `os.scandir`: a no-change rebuild of 9,000 files spends most of its time here.)"""
    found: dict[str, list[int]] = {}
    if out.is_dir():
        _scan(str(out), "", found)
    return found


def _scan(folder: str, prefix: str, found: dict[str, list[int]]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _scan(entry.path, f"{prefix}{entry.name}/", found)
            elif entry.is_file():
                info = entry.stat()
                found[prefix + entry.name] = [info.st_size, info.st_mtime_ns, info.st_ino]


class BuildCache:
    """The cache folder for one output folder; every write is atomic (temp + rename)."""

    def __init__(self, out: Path) -> None:
        self.dir = out.parent / CACHE_NAME
        self.out = out
        self._hashes: dict[str, list] | None = None

    def check(self) -> None:
        """Refuse a `.crmproof-cache` that is not crmproof's: its files would be deleted."""
        if self.dir.exists() and not self.dir.is_dir():
            raise ConfigError(f"{self.dir} exists and is not a folder; remove it or build "
                              "with --no-cache")
        if not self.dir.is_dir() or (self.dir / CACHE_TAG).is_file():
            return
        strangers = [p.name for p in self.dir.iterdir() if not _OWN_FILE.fullmatch(p.name)]
        if strangers:
            raise ConfigError(f"{self.dir} holds files crmproof did not write (e.g. "
                              f"{strangers[0]!r}) and no {CACHE_TAG}; move them, or build "
                              "with --no-cache")

    def folder(self) -> Path:
        """The cache folder, created and tagged, for files kept between builds."""
        self._claim()
        return self.dir

    def _claim(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if not (self.dir / CACHE_TAG).is_file():
            (self.dir / CACHE_TAG).write_text(_TAG_TEXT, encoding="utf-8")

    # ---- file content hashes ----------------------------------------------------------
    def _hash_index(self) -> dict[str, list]:
        if self._hashes is None:
            self._hashes = self._read_json("file-hashes.json") or {}
        return self._hashes

    def content_hash(self, path: Path) -> str | None:
        """Content hash of an input file, recomputed when its size, mtime, ctime or inode
        changed; None when it cannot be read."""
        return self._content_hashes([path])[0]

    def _content_hashes(self, paths: list[Path]) -> list[str | None]:
        """Each file's content hash (None when it cannot be read); the files whose stat
        changed are hashed in parallel (hashing releases the GIL)."""
        index = self._hash_index()
        seen: dict[Path, tuple[str, list[int]]] = {}
        for path in paths:
            try:
                stat = path.stat()
            except OSError:  # vanished or unreadable since it was listed: ingest says so
                continue
            seen[path] = (str(path.resolve()), [stat.st_size, stat.st_mtime_ns,
                                                stat.st_ctime_ns, stat.st_ino])
        stale = [path for path, (key, stat) in seen.items()
                 if not index.get(key) or index[key][:-1] != stat]
        with ThreadPoolExecutor(max_workers=min(len(stale), os.cpu_count() or 1) or 1) as pool:
            fresh = dict(zip(stale, pool.map(_readable_hash, stale), strict=True))
        for path, value in fresh.items():
            if value is not None:
                key, stat = seen[path]
                index[key] = [*stat, value]
        known = {path: index[key][-1] for path, (key, stat) in seen.items()
                 if index.get(key, [None])[:-1] == stat}
        return [known.get(path) for path in paths]

    def inputs_fingerprint(self, folder: Path | None) -> list:
        """The export folder's files as (name, content hash); the demo as its seed."""
        if folder is None:
            return ["demo"]
        paths = data_files(folder)
        return [(path.name, value) for path, value in
                zip(paths, self._content_hashes(paths), strict=True)]

    # ---- the ingested database --------------------------------------------------------
    def ingest_db(self, key: str) -> Path:
        """Where the ingested database for `key` lives (the folder is created and tagged)."""
        self._claim()
        return self.dir / f"ingest-{key[:24]}.duckdb"

    def load_ingest_report(self, key: str) -> IngestReport | None:
        if not self.ingest_db(key).is_file():
            return None
        data = self._read_json(f"ingest-{key[:24]}.json")
        if data is None:
            return None
        files = [LoadedFile(**{**f, "path": Path(f["path"])}) for f in data.pop("files")]
        return IngestReport(folder=Path(data.pop("folder")), mapping=data.pop("mapping"),
                            files=files, skipped=[Path(p) for p in data.pop("skipped")],
                            **data)

    def save_ingest_report(self, key: str, report: IngestReport) -> None:
        data = asdict(report)
        data["folder"] = str(report.folder)
        data["skipped"] = [str(p) for p in report.skipped]
        for item in data["files"]:
            item["path"] = str(item["path"])
        self._write_json(f"ingest-{key[:24]}.json", data)

    def forget_other_ingests(self, key: str) -> None:
        """Keep one ingested database: large exports make each one big. The folder DuckDB
        spills to beside a database (`<database>.tmp`, left when a build was killed while
        spilling) goes too."""
        keep = {self.ingest_db(key).name, f"ingest-{key[:24]}.json"}
        for path in self.dir.glob("ingest-*"):
            if path.name in keep or path.name.endswith(".partial"):
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)

    # ---- whole-build stamp --------------------------------------------------------------
    def stamp_name(self) -> str:
        return f"site-{hashlib.sha256(str(self.out).encode()).hexdigest()[:16]}.json"

    def load_stamp(self) -> dict[str, Any] | None:
        return self._read_json(self.stamp_name())

    def save_stamp(self, key: str, summary: dict[str, Any]) -> None:
        self._write_json(self.stamp_name(), {"key": key, "summary": summary,
                                             "manifest": site_manifest(self.out)})
        self.save_hashes()

    def save_hashes(self) -> None:
        """Remember the content hashes computed so far (by file size and mtime)."""
        if self._hashes is not None:
            self._write_json("file-hashes.json", self._hashes)

    def unchanged(self, key: str) -> dict[str, Any] | None:
        """The stored summary when the last build had this key and the site is as it left it."""
        stamp = self.load_stamp()
        if not stamp or stamp.get("key") != key:
            return None
        if stamp.get("manifest") != site_manifest(self.out) or not stamp["manifest"]:
            return None
        return stamp["summary"]

    # ---- helpers -----------------------------------------------------------------------
    def _read_json(self, name: str) -> Any:
        try:
            return json.loads((self.dir / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write_json(self, name: str, data: Any) -> None:
        self._claim()
        temp = self.dir / f".{name}.{os.getpid()}.partial"
        temp.write_text(json.dumps(data, sort_keys=True, default=str), encoding="utf-8")
        os.replace(temp, self.dir / name)
