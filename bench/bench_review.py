"""The review page: from an overrule to the review page and the text's page showing it (issue 19).

The project: a copy of this checkout's edition (HTML only), plus a book-length collated text made
as ``bench_collate`` makes its long witnesses (the two witnesses of Woods, ``COPIES`` chapters
each renamed and edited, about 100,000 tokens a witness). ``edition serve`` runs on it (this
checkout's code, a new process, as an editor starts it). For Woods and for the book: the review
page's POST overrules a variation unit's type (the page asked for first, as the editor has it
open); measured from sending it to (1) the review page
(``GET /review``) showing the unit as overruled with its new type, and (2) the text's HTML page,
rebuilt by serve, giving the unit its new type. Then the overrule is undone the same way. Each
overrule is sent once serve is idle (the last build's search index and DTS answers done); serve's
CPU time from the overrule to the text page is given too, for a machine busy with other work.

Goals: Woods ≤ 1 s, the book ≤ 3 s, for both.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_serve import Serve, _env  # noqa: E402  (one way to run serve, for both benches)

COPIES = 16
GOALS = {"woods-2005-bolivia": 1.0, "book": 3.0}
BOOK_RULES = '[metadata]\ntitle = "A Book of Many Chapters"\n\n[ids]\nprefix = "bk-"\n'


def _project(folder: Path) -> Path:
    """The edition copied (HTML only) with the book added as a collated text."""
    from bench_collate import _synthetic

    root = folder / "project"
    root.mkdir()
    for name in ("sources", "rules", "tei"):
        shutil.copytree(ROOT / name, root / name)
    toml = (ROOT / "edition.toml").read_text(encoding="utf-8")
    toml = re.sub(r"(?m)^outputs = .*$", 'outputs = ["html"]', toml)
    witnesses = [(root / "sources" / f"woods-2005-bolivia-{k}.txt").read_text(encoding="utf-8") for k in ("web", "print")]
    for siglum, text in zip("WP", _synthetic(witnesses, COPIES)):
        (root / "sources" / f"book-{siglum}.txt").write_text(text, encoding="utf-8")
    (root / "rules" / "book.toml").write_text(BOOK_RULES, encoding="utf-8")
    toml += ('\n[[text]]\nid = "book"\nrules = "rules/book.toml"\nbase = "W"\n\n[[text.witness]]\nsiglum = "W"\n'
             'source = "sources/book-W.txt"\n\n[[text.witness]]\nsiglum = "P"\nsource = "sources/book-P.txt"\n')
    (root / "edition.toml").write_text(toml, encoding="utf-8")
    for command in ("ingest", "collate"):
        subprocess.run([sys.executable, "-m", "edition", "-C", str(root), command], check=True,
                       capture_output=True, env=_env())
    return root


class _Serve(Serve):
    """``edition serve`` with the review page's token, to post its actions."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.url = self.url.rstrip("/")   # the paths asked for here begin with "/"
        page = self.get("/review?kind=emendation")
        self.token = re.search(r'name="edition-token" content="([^"]+)"', page).group(1)

    def post(self, body: dict) -> dict:
        request = urllib.request.Request(self.url + "/review/action", data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json", "Origin": self.url,
                                                  "X-Edition-Token": self.token})
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())

    def cpu(self) -> float | None:
        """CPU seconds serve has used (user + system; Linux ``/proc``), or None: on a loaded
        machine the wall times say more about the other processes than about serve."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _until(check, seconds: float = 60) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if check():
            return time.perf_counter()
        time.sleep(0.02)
    raise RuntimeError("the change did not show")


def _page_shows(serve: _Serve, path: str, wanted: str):
    """A check that asks for the page as an open page does: once serve's status says the build
    changed (the page's own script polls it), not by fetching a book-length page 50 times a
    second, which would take the server's time from the rebuild it waits for."""
    seen = [None]

    def check() -> bool:
        version = json.loads(serve.get("/__edition__/status"))["version"]
        if version == seen[0]:
            return False
        seen[0] = version
        return wanted in serve.get(path)
    return check


def _idle(serve: _Serve, quiet: float = 2.0, seconds: float = 300) -> None:
    """Wait until serve has built nothing for ``quiet`` seconds (the rest of the last build, the
    search index and DTS answers after a text's page, is done), as an editor's next action finds it."""
    deadline, last, since = time.monotonic() + seconds, None, time.monotonic()
    while time.monotonic() < deadline:
        version = json.loads(serve.get("/__edition__/status"))["version"]
        if version != last:
            last, since = version, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.2)


def _measure(serve: _Serve, text_id: str) -> tuple[float, float, float, float, float | None]:
    """(POST, review page, text page) seconds for an overrule, the text page for its undo, and
    serve's CPU seconds from the overrule to its text page."""
    units = json.loads(serve.get(f"/review/decisions.json?kind=variant-type&text={text_id}"))
    unit = next(u for u in units if u["value"] == "orthographic")
    marker = f'id="{unit["target"]}" class="app" data-type="%s"'
    review_path = f"/review?kind=variant-type&text={text_id}"
    serve.get(review_path)            # the page the editor overrules from, open before the action
    _idle(serve)
    cpu = serve.cpu()
    start = time.perf_counter()
    serve.post({"action": "overrule", "id": unit["id"], "value": "substantive"})
    posted = time.perf_counter()
    shown = _until(lambda: re.search(rf'id="{re.escape(unit["id"])}"[\s\S]*?review-overruled[\s\S]*?substantive',
                                     serve.get(review_path)) is not None)
    page = _until(_page_shows(serve, f"/{text_id}.html", marker % "substantive"))
    cpu = serve.cpu() - cpu if cpu is not None else None
    start_undo = time.perf_counter()
    serve.post({"action": "undo"})
    undone = _until(_page_shows(serve, f"/{text_id}.html", marker % "orthographic"))
    return posted - start, shown - start, page - start, undone - start_undo, cpu


def run() -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(Path(tmp))
        tokens = len(re.findall(r"\S+", (root / "sources" / "book-W.txt").read_text(encoding="utf-8")))
        serve = _Serve(root)
        try:
            for text_id, goal in GOALS.items():
                posted, shown, page, undone, cpu = _measure(serve, text_id)
                name = f"{text_id} ({tokens:,} words a witness)" if text_id == "book" else text_id
                verdict = "meets" if max(shown, page) <= goal else "MISSES"
                lines.append(f"{name}: overrule answered {posted:.2f} s; review page shows it {shown:.2f} s; "
                             f"text page {page:.2f} s" + (f" (serve's CPU {cpu:.2f} s)" if cpu is not None else "")
                             + f"; undo to text page {undone:.2f} s "
                             f"(goal {goal:.0f} s: {verdict})")
        finally:
            serve.stop()
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
