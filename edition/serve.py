"""``edition serve``: the web edition on localhost, rebuilt and reloaded as the editor works.

In: a project. Out: an HTTP server on 127.0.0.1 serving ``build/html/``, and a watcher on
``tei/``, ``rules/``, the editor's templates and ``edition.toml`` that rebuilds what changed
(``edition.build`` is incremental) and makes open pages reload.

Live reload is added by this server only, never written into the built files: every HTML
page it sends gets a small script that polls ``/__edition__/status`` and reloads when the
build's version changes. When a rebuild fails (a TEI error), the error is printed in the
terminal and shown on top of every page, while the last good build stays served.
"""

from __future__ import annotations

import html
import json
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Callable

from edition import build as builder
from edition.build.publish import drop_spare
from edition.diagnostics import EditionError
from edition.diagnostics import error as error_diagnostic
from edition.failures import as_error
from edition.httppool import IDLE_SECONDS, PooledHTTPServer
from edition.project import PROJECT_FILE, Project, load_project
from edition.review.web import ReviewPages

STATUS_PATH = "/__edition__/status"
# Outputs beside build/html/ that the pages link to (``../pdf/x.pdf`` from a page at the root).
BESIDE_SITE = ("pdf", "txt")
# The names a request may give as its Host: this computer's, never another site's.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
# What a path that leads out of the served folders is mapped to: a name that is never a file.
NOWHERE = ".edition-not-served/none"
# One build at a time: the watcher's rebuilds (the build itself also holds the project's lock).
BUILDING = threading.Lock()
# What a reader sees of an edit: built and published before the rest (``phases``).
PAGES_FIRST = ("edition.render.site:write_pages",)
# Short debounce: an editor's save is one burst of events; the goal is a reload within 2 s.
DEBOUNCE_MS = 150
RELOAD_SCRIPT = """<script>/* added by edition serve, not part of the build */
(function () {
  var version = %d;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.version !== version) { location.reload(); } else { setTimeout(poll, 400); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 400);
})();
</script>"""
ERROR_BANNER = ('<div id="edition-serve-error" role="alert" style="position:sticky;top:0;z-index:99999;'
                'margin:0;padding:1em;background:#fff0f0;color:#600;border-bottom:3px solid #c00;'
                'font:14px/1.4 monospace;white-space:pre-wrap">'
                '<strong>edition serve: the last change could not be built; the page shows the last '
                'good build.</strong>\n%s</div>')


class LiveState:
    """What the server tells pages: the build's version and the current error, if any."""

    def __init__(self):
        self.version = 0
        self.error: str | None = None
        self.lock = threading.Lock()

    def changed(self, error: str | None) -> None:
        """Record the outcome of a rebuild; open pages reload."""
        with self.lock:
            self.error = error
            self.version += 1

    def snapshot(self) -> tuple[int, str | None]:
        """(version, error) read together."""
        with self.lock:
            return self.version, self.error


class LiveHandler(SimpleHTTPRequestHandler):
    """Static files from ``build/html/``; HTML pages get the reload script and error banner.

    Hardened for a server that only this computer may use: a request naming another host is
    refused (421: a page elsewhere whose DNS name was rebound to 127.0.0.1 cannot read the
    edition), a file reached through a link that leads out of the served folders is not found,
    an idle connection is closed after ``timeout`` seconds (no thread held for ever), and a
    request that cannot be answered (``/%00``) gets 400, never a traceback.
    """

    state: LiveState
    timeout = IDLE_SECONDS  # socket timeout of each connection (StreamRequestHandler)

    def __init__(self, *args, state: LiveState, review: ReviewPages | None = None, **kwargs):
        self.state = state
        self.review = review   # the review page (/review) and its POSTed actions (edition.review.web)
        super().__init__(*args, **kwargs)

    def do_POST(self) -> None:  # noqa: N802 (the http.server API)
        """Only the review page's actions are POSTed; it checks their origin and token."""
        if not self._local_host():
            return self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "only localhost names are served")
        if self.review is None or not self.review.handles(self.path):
            return self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
        try:
            return self.review.post(self)
        except (ValueError, OSError, UnicodeError):
            return self.send_error(HTTPStatus.BAD_REQUEST)

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        """Answer a request from this computer; a bad one gets a status, never a traceback."""
        if not self._local_host():
            return self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "only localhost names are served")
        try:
            return self._answer()
        except (ValueError, OSError, UnicodeError):  # a NUL in the path, a file gone meanwhile
            return self.send_error(HTTPStatus.BAD_REQUEST)

    def do_HEAD(self) -> None:  # noqa: N802 (the http.server API)
        """As GET, without the body."""
        if not self._local_host():
            return self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "only localhost names are served")
        try:
            return super().do_HEAD()
        except (ValueError, OSError, UnicodeError):
            return self.send_error(HTTPStatus.BAD_REQUEST)

    def _local_host(self) -> bool:
        """True when the Host header (if any) names this computer: localhost, 127.0.0.1, [::1]."""
        host = (self.headers.get("Host") or "localhost").strip().lower()
        name = host.rsplit("]", 1)[0] + "]" if host.startswith("[") else host.rsplit(":", 1)[0]
        return name in LOCAL_HOSTS

    def _answer(self) -> None:
        """The status endpoint, an HTML page (with the script) or a static file."""
        version, error = self.state.snapshot()
        if self.path.split("?")[0] == STATUS_PATH:
            return self._send(json.dumps({"version": version, "error": error}).encode(), "application/json")
        if self.review is not None and self.review.handles(self.path):
            return self._send(*self.review.get(self))
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._send(self._live(path.read_bytes(), version, error), "text/html; charset=utf-8")
        if not Path(self.directory).is_dir():
            page = b"<!DOCTYPE html><html><head><title>edition serve</title></head><body><p>No build yet.</p></body></html>"
            return self._send(self._live(page, version, error), "text/html; charset=utf-8")
        return super().do_GET()

    def translate_path(self, path: str) -> str:
        """A file of the site, or of the outputs beside it that pages link to (``../pdf/x.pdf``);
        a path that leads, through a link, out of those folders names nothing (404)."""
        local = Path(super().translate_path(path))
        site = Path(self.directory)
        if not local.exists() and local.is_relative_to(site):
            rel = local.relative_to(site)
            if rel.parts and rel.parts[0] in BESIDE_SITE:
                local = site.parent / rel
        real = local.resolve()
        served = [site.resolve(), *((site.parent / name).resolve() for name in BESIDE_SITE)]
        if not any(real == folder or real.is_relative_to(folder) for folder in served):
            return str(site / NOWHERE)
        return str(local)

    def end_headers(self) -> None:
        """Never let the browser cache: every reload must show the newest build."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args) -> None:  # noqa: A002 (the http.server API)
        """Keep the terminal for build messages."""

    def _live(self, page: bytes, version: int, error: str | None) -> bytes:
        script = (RELOAD_SCRIPT % (version, STATUS_PATH)).encode("utf-8")
        banner = (ERROR_BANNER % html.escape(error)).encode("utf-8") if error else b""
        lower = page.lower()
        end = lower.rfind(b"</body>")
        if end < 0:
            return banner + page + script
        body = lower.find(b"<body")
        # The banner goes first in <body>, where it is seen; the script goes last.
        start = page.find(b">", body) + 1 if 0 <= body < end else end
        return page[:start] + banner + page[start:end] + script + page[end:]

    def _send(self, data: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def phases(project: Project) -> list[list[str]]:
    """The project's renderers (``RENDERERS`` targets) in builds one after the other: the
    pages of the web edition first, so the page reloads before the search index and the PDF
    are done."""
    order = [target for name, target in builder.RENDERERS if name in project.outputs]
    first = [target for target in order if target in PAGES_FIRST]
    rest = [target for target in order if target not in PAGES_FIRST]
    return [p for p in (first, rest) if p]


def rebuild(root: Path, state: LiveState, echo: Callable[[str], None]) -> bool:
    """Build what changed; on an error print it and show it on the pages. True on success."""
    with BUILDING:
        return _rebuild(root, state, echo)


def _rebuild(root: Path, state: LiveState, echo: Callable[[str], None]) -> bool:
    try:
        project = load_project(root)
        for steps in phases(project):
            # keep: the next rebuild's staging folder is made from this one's previous build
            result = builder.build(project, None, steps=steps, keep=True)
            if result.ran:
                names = ", ".join(dict.fromkeys(name for name, _ in result.ran))
                echo(f"rebuilt {names}: {len(result.written)} file(s) written")
                state.changed(None)
        if state.snapshot()[1]:
            state.changed(None)
        return True
    except Exception as exc:  # noqa: BLE001 (whatever failed must not stop the server; show it)
        message = "\n".join(d.format() for d in as_error(exc).diagnostics) or str(exc)
    echo(message)
    echo("the last good build is still served; fix the error and save again.")
    state.changed(message)
    return False


def watched_paths(project: Project) -> list[Path]:
    """The inputs to watch: the TEI, rules, the editor's templates and the project file."""
    paths = [project.tei_dir, project.rules_dir, project.user_templates, project.root / PROJECT_FILE]
    return [p for p in paths if p.exists()]


def start_server(project: Project, state: LiveState, port: int,
                 changed: Callable[[], None] | None = None) -> PooledHTTPServer:
    """An HTTP server on 127.0.0.1 (never another interface), running in a daemon thread;
    ``changed`` is called when a review action is done."""
    handler = partial(LiveHandler, state=state, review=ReviewPages(project.root, BUILDING, changed),
                      directory=str(project.build_dir / "html"))
    server = PooledHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name="edition-serve", daemon=True).start()
    return server


def serve(root: Path, port: int = 8000, echo: Callable[[str], None] = print,
          stop: threading.Event | None = None) -> None:
    """Build, serve ``build/html/`` on 127.0.0.1:``port`` and rebuild on every change until stopped."""
    from watchfiles import watch

    project = load_project(root)
    root = project.root
    state = LiveState()

    def rebuild_now() -> None:      # after a review action: its files are built at once
        threading.Thread(target=rebuild, args=(root, state, echo), name="edition-review-rebuild",
                         daemon=True).start()
    try:
        server = start_server(project, state, port, rebuild_now)
    except OSError as exc:
        raise EditionError(error_diagnostic("E120", f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                                            hint="choose another port with --port")) from None
    # Serve at once (the last build, if any); open pages reload when this build is done.
    echo(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    echo("building …")
    rebuild(root, state, echo)
    stop = stop or threading.Event()
    announced = False
    try:
        while not stop.is_set():
            paths = watched_paths(load_project_or(project, root))
            # A timeout every half second tells that the watcher runs, so "ready" is true.
            for changes in watch(*paths, debounce=DEBOUNCE_MS, step=50, stop_event=stop,
                                 rust_timeout=500, yield_on_timeout=True):
                if not announced:
                    announced = True
                    echo("ready: watching tei/, rules/, templates/ and edition.toml")
                if not changes:
                    continue
                # An editor's temporary files come and go; name the files that are there.
                names = sorted({Path(p).name for _, p in changes if Path(p).exists()}) or ["(deleted files)"]
                echo(f"changed: {', '.join(names)}")
                rebuild(root, state, echo)
                if any(Path(p).name == PROJECT_FILE for _, p in changes):
                    break  # watch again: the project file may have moved folders or been replaced
    except KeyboardInterrupt:
        echo("stopped.")
    finally:
        server.shutdown()
        server.server_close()
        with BUILDING:
            drop_spare(project.build_dir)     # the previous build kept for the next rebuild


def load_project_or(fallback: Project, root: Path) -> Project:
    """The project as it is now, or the last one that loaded (while edition.toml has an error)."""
    try:
        return load_project(root)
    except Exception:  # noqa: BLE001 (a project file being saved, or saved wrong: keep watching)
        return fallback
