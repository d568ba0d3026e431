"""The review page of ``edition serve`` refuses writes that do not come from itself (issue 19).

A server on 127.0.0.1 (``edition.serve.start_server``, without the watcher) over a copy of our
project: the page carries a token; a POST without it, with another one, from another Origin or
with no Origin at all is refused with 403 and changes no file; a POST from the page's origin
with its token is done. The page lists uncertain decisions first.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from review_project import copy_project, snapshot

from edition.project import load_project
from edition.serve import LiveState, start_server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("review-web"))
    server = start_server(load_project(root), LiveState(), 0)
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read().decode("utf-8")


def post(url: str, body: dict, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(url + "/review/action", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def token_of(url: str) -> str:
    return re.search(r'<meta name="edition-token" content="([^"]+)">', get(url + "/review")).group(1)


def test_writes_from_elsewhere_are_refused(served):
    root, url = served
    token = token_of(url)
    decisions = json.loads(get(url + "/review/decisions.json"))
    ident = decisions[0]["id"]
    before = snapshot(root)
    origin = url
    refused = [
        {"Origin": origin},                                           # no token
        {"Origin": origin, "X-Edition-Token": "x" + token[1:]},       # another token
        {"Origin": "http://evil.example", "X-Edition-Token": token},  # another site
        {"X-Edition-Token": token},                                   # no Origin
    ]
    for headers in refused:
        status, _ = post(url, {"action": "accept", "id": ident}, headers)
        assert status == 403, headers
    assert snapshot(root) == before

    status, text = post(url, {"action": "accept", "id": ident}, {"Origin": origin, "X-Edition-Token": token})
    assert status == 200, text
    assert json.loads(text)["decision"]["review"] == "accepted"
    assert ident in (root / "rules" / "reviewed.toml").read_text(encoding="utf-8")
    status, text = post(url, {"action": "undo"}, {"Origin": origin, "X-Edition-Token": token})
    assert status == 200, text
    assert snapshot(root) == before


def test_the_page_lists_uncertain_decisions_first(served):
    _, url = served
    page = get(url + "/review")
    certainties = re.findall(r'class="decision cert-(\w+)"', page)
    assert certainties and certainties[0] == "low"
    assert certainties == sorted(certainties, key=["low", "medium", "high"].index)
    decisions = json.loads(get(url + "/review/decisions.json"))
    assert len(certainties) == len(decisions)
