"""`crmproof serve`: build, serve the site on localhost, rebuild when the project changes.

The watcher polls file stats (content/, templates/, crmproof.yml, the export folder)
once a second; no extra dependency. Pages are served with a tiny script injected on the
fly that polls `/__crmproof/version` and reloads the browser after a rebuild; the files in
`site/` themselves are never changed by serving.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..config import CONFIG_NAME, load_config
from ..errors import CrmproofError
from .pipeline import BuildOptions, build

VERSION_PATH = "/__crmproof/version"
RELOAD_SCRIPT = (
    "<script>(function(){var seen=null;setInterval(function(){"
    f"fetch('{VERSION_PATH}',{{cache:'no-store'}}).then(function(r){{return r.text();}})"
    ".then(function(v){if(seen===null){seen=v;}else if(v!==seen){location.reload();}})"
    ".catch(function(){});},1000);})();</script>"
).encode()


class _State:
    def __init__(self) -> None:
        self.version = 0


class _Handler(SimpleHTTPRequestHandler):
    state: _State

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        url_path = self.path.split("?", 1)[0]
        if url_path == VERSION_PATH:
            return self._send(str(self.state.version).encode(), "text/plain")
        path = Path(self.translate_path(self.path))
        if url_path.endswith("/"):
            path = path / "index.html"
        if url_path.endswith(("/", ".html")) and path.is_file():
            body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
            return self._send(body, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # quiet: the build reports
        pass


def watched_files(options: BuildOptions) -> dict[str, tuple[int, int, int]]:
    """(size, mtime, ctime) of every file whose change should trigger a rebuild (the ctime
    sees a `cp -p` that keeps the old mtime)."""
    config_path = options.config_path
    root = config_path.parent if config_path else Path.cwd()
    roots = [root / CONFIG_NAME, root / "content", root / "templates"]
    if config_path:
        roots.append(config_path)
    if options.data:
        roots.append(Path(options.data))
    elif config_path and config_path.is_file():
        try:
            config = load_config(config_path)
            if config["data"]["folder"]:
                roots.append(config.resolve(config["data"]["folder"]))
        except CrmproofError:
            pass  # the rebuild reports a broken config
    found = {}
    for item in roots:
        files = [item] if item.is_file() else sorted(item.rglob("*")) if item.is_dir() else []
        for path in files:
            if path.is_file():
                stat = path.stat()
                found[str(path)] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    return found


def serve(options: BuildOptions, port: int, host: str = "127.0.0.1",
          say: Callable[[str], None] = print, exit_after: float | None = None,
          poll: float = 1.0) -> None:
    """Build once (errors propagate), then serve and rebuild on change until interrupted."""
    load_config(options.config_path)  # fail fast on a broken config
    build(options)
    state = _State()
    handler = functools.partial(type("Handler", (_Handler,), {"state": state}),
                                directory=str(Path(options.out).resolve()))
    server = ThreadingHTTPServer((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    say(f"Serving {options.out} on http://{host}:{server.server_address[1]}/ "
        f"(Ctrl+C stops)")
    deadline = time.monotonic() + exit_after if exit_after else None
    seen = watched_files(options)
    try:
        while deadline is None or time.monotonic() < deadline:
            time.sleep(poll)
            now = watched_files(options)
            if now == seen:
                continue
            seen = now
            try:
                build(options)
                state.version += 1
                say("Rebuilt; the browser reloads.")
            except CrmproofError as error:
                say(f"Error: {error} (still serving the previous build)")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
