"""The review page of ``edition serve`` (``/review``): the decisions in context, accepted or overruled.

In: the project root and a request that ``edition.serve``'s handler passes on (it has already
refused a Host that is not this computer). Out:

- ``GET /review`` (``?kind=``, ``?text=``, ``?uncertain=1``): one page, uncertain decisions
  first, each with the witness lines and the edited text (read from the TEI) side by side, a
  link to its place in the text's page, and its state; keyboard-driven (``j``/``k`` move, ``a``
  accepts, ``o`` overrules with a value, ``u`` undoes). The page carries a CSRF token.
- ``GET /review/decisions.json``: the same decisions as JSON (for scripts and the bench).
- ``POST /review/action``: ``{"action": "accept"|"overrule"|"undo", "id", "value"}`` as JSON,
  with the token in ``X-Edition-Token``; refused with 403 unless the request's ``Origin`` is
  this server and the token is the page's (a page of another site cannot change the edition),
  415 unless the body is JSON. The action is ``edition.review``'s, as ``edition review`` runs it;
  the answer is the decision as it now is, or the error's messages (409).

The token is made when the server starts and lives only in its memory and its pages.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from edition import review
from edition.diagnostics import EditionError
from edition.failures import as_error
from edition.ledger import KINDS
from edition.project import load_project
from edition.review.context import Contexts

PAGE = "/review"
DATA = "/review/decisions.json"
ACTION = "/review/action"
MAX_BODY = 4096
TOKEN_HEADER = "X-Edition-Token"


class ReviewPages:
    """The review page and its actions for one project; one action at a time."""

    def __init__(self, root: Path, guard: threading.Lock | None = None, changed=None):
        self.root = root
        self.token = secrets.token_urlsafe(32)
        self.lock = threading.Lock()
        # Held while an action writes: serve passes the lock its rebuilds take, so the rules
        # file and the TEI an overrule writes are built once, together, when it is done.
        self.guard = guard or threading.Lock()
        # Told when an action is done (serve rebuilds at once, not when its watcher next looks).
        self.changed = changed

    @staticmethod
    def handles(path: str) -> bool:
        """True for the paths this module answers."""
        return urlsplit(path).path in (PAGE, DATA, ACTION)

    def get(self, handler) -> tuple[bytes, str]:
        """(body, content type) of a GET: the page or the decisions as JSON."""
        url = urlsplit(handler.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        project = load_project(self.root)
        kind = query.get("kind") if query.get("kind") in KINDS else None
        with self.lock:
            entries = review.listing(project, kind, query.get("uncertain") == "1", query.get("text") or None)
        contexts = Contexts(project.tei_dir)
        for entry in entries:
            entry["edited"] = contexts.around(entry)
        if url.path == DATA:
            return json.dumps(entries, ensure_ascii=False).encode("utf-8"), "application/json"
        from edition.review.page import render_page

        texts = [t.id for t in project.texts]
        return render_page(entries, self.token, query, texts).encode("utf-8"), "text/html; charset=utf-8"

    def post(self, handler) -> None:
        """Run an action after checking where the request comes from; answer with JSON."""
        if urlsplit(handler.path).path != ACTION:
            return handler.send_error(HTTPStatus.NOT_FOUND)
        if not self._same_origin(handler) or not self._token_ok(handler):
            return handler.send_error(HTTPStatus.FORBIDDEN, "refused: not a request of the review page")
        if (handler.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return handler.send_error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON")
        length = int(handler.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY:
            return handler.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if length else HTTPStatus.BAD_REQUEST)
        try:
            request = json.loads(handler.rfile.read(length))
            status, answer = HTTPStatus.OK, self.act(request)
        except (ValueError, TypeError, KeyError):
            status, answer = HTTPStatus.BAD_REQUEST, {"error": "a JSON object with action, id and value"}
        except EditionError as exc:
            status, answer = HTTPStatus.CONFLICT, {"error": [d.format() for d in exc.diagnostics]}
        except Exception as exc:  # noqa: BLE001 (the server goes on; the page shows what failed)
            status, answer = HTTPStatus.INTERNAL_SERVER_ERROR, {"error": [d.format() for d in as_error(exc).diagnostics]}
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def act(self, request: dict) -> dict:
        """Accept, overrule or undo, as ``edition review`` does."""
        try:
            return self._act(request)
        finally:
            if self.changed is not None:
                self.changed()

    def _act(self, request: dict) -> dict:
        action = request["action"]
        with self.lock, self.guard:
            project = load_project(self.root)
            if action == "accept":
                messages: list[str] = []
                return {"decision": review.accept(project, str(request["id"]), echo=messages.append),
                        "messages": messages}
            if action == "overrule":
                messages = []
                entry = review.overrule(project, str(request["id"]), str(request["value"]), echo=messages.append)
                return {"decision": entry, "messages": messages}
            if action == "undo":
                return {"undone": review.undo(project)}
        raise ValueError(action)

    def _same_origin(self, handler) -> bool:
        """The request's Origin is this server (the browser sets it; a page cannot forge it)."""
        origin = handler.headers.get("Origin")
        host = handler.headers.get("Host")
        return bool(origin and host) and origin in (f"http://{host}",)

    def _token_ok(self, handler) -> bool:
        return hmac.compare_digest((handler.headers.get(TOKEN_HEADER) or "").encode(), self.token.encode())
