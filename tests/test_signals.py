"""SIGTERM and Ctrl-C stop a build promptly, its child processes too (issue 21), leaving build/ the
last whole build; messages about many attributes are made in linear time."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from test_incremental_interrupt import (
    make_project,
    outputs_of,
    start_build,
    wait_for_line,
)

from edition.signals import GRACE_SECONDS

STUCK = [("txt", "edition.render.text:render_texts"), ("txt", "fakes_incremental:render_stuck")]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().rsplit(")", 1)[1].split()[0] == "Z")


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_a_stuck_step_and_its_child_stop_promptly(tmp_path, signum, status):
    root = make_project(tmp_path, texts=1)
    first = start_build(root, STUCK[:1], ["txt"])
    assert first.wait(timeout=120) == 0, first.stderr.read()
    before = outputs_of(root)
    (root / "tei/example.xml").write_text((root / "tei/example.xml").read_text().replace("fishing", "whaling"))

    build = start_build(root, STUCK, ["txt"])
    seen = wait_for_line(build, "stuck: child")
    child = int(seen[-1].split()[-1])
    assert alive(child)
    sent = time.monotonic()
    build.send_signal(signum)
    code = build.wait(timeout=GRACE_SECONDS + 20)
    took = time.monotonic() - sent
    build.stderr.close()
    assert code == status
    assert took < GRACE_SECONDS + 3, f"took {took:.1f} s to stop"
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child), "the child process outlived the build"
    assert outputs_of(root) == before
    assert not (root / ".build.staging").exists()


def test_messages_about_an_element_with_100000_attributes_take_linear_time():
    """lxml's element.items() is quadratic (minutes at 100,000 attributes): every message about
    an attribute, and the repair that lets validation go on, must scan the attributes once."""
    from lxml import etree

    from edition.resources import TEI_ALL_RNG
    from edition.validate import messages, repair
    from edition.validate.grammar import grammar_for

    grammar = grammar_for(str(TEI_ALL_RNG))
    attrs = " ".join(f'a{i}="v{i}"' for i in range(100_000))
    element = etree.fromstring(f'<hi xmlns="http://www.tei-c.org/ns/1.0" {attrs}>x</hi>')
    started = time.perf_counter()
    for name in ("a0", "a50000", "a99999"):
        wording = messages.attribute(element, name, grammar)
        assert f"@{name} is not allowed on <hi>" in wording.message
        repair.repair("attribute", element, name)
    took = time.perf_counter() - started
    assert element.get("a50000") is None and element.get("a50001") == "v50001"
    assert took < 5, f"{took:.1f} s for three messages"
