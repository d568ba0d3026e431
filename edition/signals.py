"""Stopping promptly on SIGTERM and Ctrl-C: this process, its child processes, its threads.

In: a signal (SIGTERM from a service manager or ``kill``; SIGINT from Ctrl-C). Out: the
command unwinds as for any failure (the build's staging folder is removed, ``build/`` stays the
last whole build, exit status 143 or 130), and within ``GRACE_SECONDS`` it is gone.

Installed first thing by the commands that run long (``edition build``, ``pdf``, ``serve``; and by
``python -m edition`` before anything else): the imports those commands make (WeasyPrint, lxml,
the renderers) take a second or more, and run helper processes of their own (``ctypes`` looks
for libraries with ldconfig and gcc). A signal in that second used to find Python's defaults:
SIGTERM killed the process outright (status -15, not 143), Ctrl-C raised a KeyboardInterrupt
outside the command's error handling (Python then kills itself with SIGINT: -2, not 130). This
module imports only the standard library, so it is in place before those imports begin.

Why more than ``sys.exit``: a Python signal handler runs in the main thread only, between two
bytecodes. Work in another thread (the search index runs the Pagefind binary from a thread)
would keep the process alive after the main thread stopped, since Python waits for such
threads at exit; and a child process does not get a SIGTERM sent to its parent. So the handler
first stops the child processes (SIGTERM, which they get anyway from a terminal's Ctrl-C), then
starts a watchdog that ends the process outright should the unwinding not be done in time.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
import time
from pathlib import Path

GRACE_SECONDS = 5.0


def children(pid: int) -> list[int]:
    """Every process descended from ``pid`` (Linux /proc; [] where there is none)."""
    parents: dict[int, list[int]] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # the command name (field 2) is in parentheses and may hold spaces: split after it
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1:
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop_children() -> None:
    """Send SIGTERM to every descendant process."""
    for child in children(os.getpid()):
        try:
            os.kill(child, signal.SIGTERM)
        except OSError:
            pass


def _exit_soon(status: int) -> None:
    time.sleep(GRACE_SECONDS)
    os._exit(status)  # the unwinding took too long (a thread still busy): stop now


_received: list[int] = []   # the first signal, once it came


def received() -> int | None:
    """The signal that is stopping this process (its number), or None: a failure raised while it
    unwinds (a worker stopped by ``stop_children`` reported as lost, in a thread the signal did not
    interrupt) is a consequence of the stop, and the stop decides the exit status."""
    return _received[0] if _received else None


def _on_signal(signum, frame) -> None:
    _received.append(signum)
    # The exit status is decided by this first signal: any later SIGINT/SIGTERM is ignored. Else
    # a second one (Ctrl-C pressed twice; a service manager's SIGTERM to every process of the
    # group) would raise again while the first unwinds (a KeyboardInterrupt out of the error
    # handling: Python then kills itself with SIGINT), or, once Python's exit has put the
    # default actions back (it does so for every signal with a Python handler, after the
    # atexit functions), kill the process by the signal. SIG_IGN, unlike a Python handler, is
    # kept until the process is gone; the watchdog below still ends it within GRACE_SECONDS.
    _ignore_signals()
    stop_children()
    threading.Thread(target=_exit_soon, args=(128 + signum,), name="edition-exit", daemon=True).start()
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    sys.exit(128 + signum)


def _ignore_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def exit_on_signals() -> None:
    """SIGTERM becomes a normal exit (status 143), Ctrl-C a ``KeyboardInterrupt`` (130); both
    stop the child processes and end the process within ``GRACE_SECONDS``."""
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread
    if signal.getsignal(signal.SIGTERM) is _on_signal:
        return   # installed already (``python -m edition``, then the command)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    # Registered first, so run last of the functions Python calls at exit (multiprocessing's,
    # which end the pools' processes, run before): from then on the command's status is
    # decided, and a signal now would find the default actions Python puts back next.
    atexit.register(_ignore_signals)
