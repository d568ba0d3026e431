"""``edition serve`` hardened (issue 21): no link followed out of the served folders, the Host
header checked (DNS rebinding), idle connections closed and holding no thread, no traceback for any request, and a
project file saved in the wrong encoding shown as an error while the server goes on.

The server is started in this process (``start_server``) on a build/ made by hand: what is
tested is the HTTP side, not the build.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from edition import httppool
from edition.project import load_project
from edition.scaffold import init_project
from edition.serve import LiveHandler, LiveState, load_project_or, start_server


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "ed"
    init_project(root)
    html = root / "build/html"
    (html / "static").mkdir(parents=True)
    (html / "index.html").write_text("<html><body>home page</body></html>", encoding="utf-8")
    (html / "static/edition.css").write_text("body {}", encoding="utf-8")
    (root / "build/pdf").mkdir()
    (root / "build/pdf/a.pdf").write_bytes(b"%PDF-1.7 stand-in")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    (html / "static/leak.css").symlink_to(secret)
    (html / "out").symlink_to(tmp_path)
    (root / "build/pdf/leak.pdf").symlink_to(secret)
    server = start_server(load_project(root), LiveState(), 0)
    yield root, server.server_address[1]
    server.shutdown()
    server.server_close()


def request(port: int, raw: bytes, timeout: float = 5) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(raw)
        chunks = []
        while True:
            try:
                chunk = conn.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def get(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    answer = request(port, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("latin-1"))
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer.partition(b"\r\n\r\n")[2]


def test_the_site_is_served(site):
    _, port = site
    assert get(port, "/")[1].startswith(b"<html><body>home page")
    assert get(port, "/static/edition.css") == (200, b"body {}")
    assert get(port, "/pdf/a.pdf") == (200, b"%PDF-1.7 stand-in")


@pytest.mark.parametrize("path", ["/static/leak.css", "/out/secret.txt", "/pdf/leak.pdf", "/out/"])
def test_links_out_of_the_served_folders_are_not_followed(site, path):
    _, port = site
    status, body = get(port, path)
    assert status == 404 and b"not for the web" not in body


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "localhost:8000", "[::1]:8000", "127.0.0.1:1"])
def test_local_host_names_are_served(site, host):
    assert get(site[1], "/static/edition.css", host) == (200, b"body {}")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io"])
def test_other_host_names_are_refused(site, host):
    """A page of another site that a rebinding DNS points at 127.0.0.1 must not read the edition."""
    status, body = get(site[1], "/static/edition.css", host)
    assert status == 421 and b"body {}" not in body


@pytest.mark.parametrize("path", ["/%00", "/%00.html", "/static/%00/x", "/..%00/", "/" + "a" * 5000,
                                  "/%ff%fe.html", "/%2e%2e/%2e%2e/etc/passwd"])
def test_odd_requests_get_an_answer_not_a_traceback(site, path, capfd):
    status, _ = get(site[1], path)
    assert status in (400, 404, 414)
    assert "Traceback" not in capfd.readouterr().err
    assert get(site[1], "/static/edition.css") == (200, b"body {}")  # still serving


def test_a_request_line_that_is_not_http(site, capfd):
    answer = request(site[1], b"\x00\x01\x02 garbage\r\n\r\n")
    assert b"400" in answer  # an HTTP/0.9-style request gets the error page alone
    assert "Traceback" not in capfd.readouterr().err


def test_an_idle_connection_is_closed(site, monkeypatch):
    monkeypatch.setattr(LiveHandler, "timeout", 0.5)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", site[1]), timeout=10) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\n")  # and then nothing
        while conn.recv(65536):  # until the server closes the connection
            pass
    assert time.monotonic() - started < 5


def test_300_idle_connections_hold_no_threads_and_a_request_is_still_answered(site):
    """Connections that send nothing wait without a thread each; a page is answered meanwhile."""
    _, port = site
    threads_before = threading.active_count()
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(300)]
    try:
        time.sleep(0.5)  # every one accepted by now
        started = time.monotonic()
        assert get(port, "/static/edition.css") == (200, b"body {}")
        assert time.monotonic() - started < 3
        assert threading.active_count() <= threads_before + 2
        # while a request is being answered, the others still are (WORKERS threads answer)
        slow = socket.create_connection(("127.0.0.1", port), timeout=10)
        slow.sendall(b"GET / HTTP/1.1\r\n")  # a request begun and never finished
        assert get(port, "/")[0] == 200
        slow.close()
    finally:
        for conn in idle:
            conn.close()


def test_past_the_cap_the_connection_waiting_longest_is_closed(site, monkeypatch):
    _, port = site
    monkeypatch.setattr(httppool, "MAX_WAITING", 5)
    oldest = socket.create_connection(("127.0.0.1", port), timeout=10)
    others = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(5)]
    try:
        assert oldest.recv(10) == b""  # closed by the server, to make room for the newest
        assert get(port, "/static/edition.css") == (200, b"body {}")
    finally:
        for conn in [oldest, *others]:
            conn.close()


def test_a_connection_that_never_sends_is_closed(site, monkeypatch):
    root, _ = site
    server = start_server(load_project(root), LiveState(), 0)
    server.idle_seconds = 0.5
    try:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as conn:
            assert conn.recv(10) == b""
        assert time.monotonic() - started < 5
    finally:
        server.shutdown()
        server.server_close()


def test_a_project_file_in_latin_1_does_not_stop_the_watcher(site):
    root, _ = site
    good = load_project(root)
    text = (root / "edition.toml").read_text(encoding="utf-8").replace("[edition]\n", '[edition]\nsubtitle = "Édition"\n')
    (root / "edition.toml").write_bytes(text.encode("latin-1", errors="replace"))
    assert load_project_or(good, root) is good
