"""A real full disk (issue 21): the build stops with a located message and exit status 2, and
build/ is exactly the previous build; once there is room again, the build finishes.

The disk is a 20 MB tmpfs mounted in a mount namespace of its own (``unshare -m``; ``-r`` too
when not root, where user namespaces are allowed), so the mount exists only for the process
that runs the build and vanishes with it. Where neither can be made the test is skipped, and
the full disk is covered by the stand-in failures of test_no_traceback.py alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edition.scaffold import init_project

TESTS = Path(__file__).resolve().parent
PACKAGE = TESTS.parent
pytestmark = pytest.mark.slow

# Runs in the mount namespace: mount the small disk, copy the project onto it, fill the disk
# but for ``room`` bytes, build, then free the disk and build again.
IN_NAMESPACE = r"""
import json, os, shutil, subprocess, sys
from pathlib import Path
from trees import tree_digest
source, disk, room = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(disk)], check=True)
root = disk / "ed"
shutil.copytree(source, root, symlinks=True)
tei = root / "tei/example.xml"
tei.write_text(tei.read_text(encoding="utf-8").replace("fishing", "whaling"), encoding="utf-8")
before = tree_digest(root / "build")
filler = disk / "filler"
with open(filler, "wb") as handle:
    try:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    except OSError:
        pass
os.truncate(filler, max(0, filler.stat().st_size - room))
command = [sys.executable, "-m", "edition", "-C", str(root), "build", "-o", "txt", "-o", "html"]
full = subprocess.run(command, capture_output=True, text=True)
after = tree_digest(root / "build")
leftovers = sorted(p.name for p in disk.iterdir() if p.name.startswith(".build"))
leftovers += sorted(p.name for p in root.iterdir() if p.name.startswith(".build."))
filler.unlink()
again = subprocess.run(command, capture_output=True, text=True)
print(json.dumps({"status": full.returncode, "stderr": full.stderr, "same": before == after,
                  "leftovers": leftovers, "again": again.returncode, "again_stderr": again.stderr,
                  "revised": "whaling" in (root / "build/txt/example.txt").read_text(encoding="utf-8")}))
"""


def namespace_command() -> list[str] | None:
    """``unshare`` with a mount namespace this process may make, or None."""
    unshare = shutil.which("unshare")
    if unshare is None or not shutil.which("mount"):
        return None
    for flags in (["-m"], ["-r", "-m"]) if os.geteuid() == 0 else (["-r", "-m"],):
        probe = subprocess.run([unshare, *flags, "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", "/mnt"],
                               capture_output=True)
        if probe.returncode == 0:
            return [unshare, *flags]
    return None


@pytest.mark.parametrize("room", [0, 64 * 1024], ids=["no-room", "room-for-a-few-files"])
def test_a_full_disk_stops_the_build_with_build_unchanged(tmp_path, room):
    unshare = namespace_command()
    if unshare is None:
        pytest.skip("cannot mount a small tmpfs here (needs root or user namespaces)")
    root = tmp_path / "ed"
    init_project(root)
    toml = root / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("# search = true", "search = false"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PACKAGE), str(TESTS)])}
    first = subprocess.run([sys.executable, "-m", "edition", "-C", str(root), "build", "-o", "txt", "-o", "html"],
                           env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    disk = tmp_path / "disk"
    disk.mkdir()
    run = subprocess.run([*unshare, sys.executable, "-c", IN_NAMESPACE, str(root), str(disk), str(room)],
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    outcome = json.loads(run.stdout.strip().splitlines()[-1])

    assert outcome["status"] == 2, outcome["stderr"]
    message = outcome["stderr"]
    assert "error[E900]" in message and "the disk is full" in message
    assert "Traceback" not in message
    # where: a file of build/ (where it would have been published), not of the staging folder
    located = [line for line in message.splitlines() if "error[E900]" in line]
    assert located and all(f"{disk}/ed/build/" in line and ".staging" not in line for line in located), message
    assert outcome["same"], "build/ changed although the build stopped"
    assert outcome["leftovers"] == [], outcome["leftovers"]
    # nothing lost: with room again, the build finishes
    assert outcome["again"] == 0, outcome["again_stderr"]
    assert outcome["revised"]
