"""The process the layout workers of a book in pieces are forked from (``piecepool``).

In: nothing but the wish for workers. Out: the multiprocessing context they are made in, its fork
server started (not waited for). Light: this module imports no part of the PDF stack, so that
the build can start the server before it renders anything (``edition.render.pdf.prepare``).

forkserver, not fork: a worker does not inherit the build's threads and locks (a forked copy of
a process with threads may hang); the server imports the layout once (``PRELOAD``, ~0.5 s) and
every worker is forked from it, ready. Started as soon as a text is known to be laid out in
pieces, the server imports while the build validates, renders the web edition and composes the
book; the first worker then waits only for what is left of that (the first ``submit`` blocks
until the server answers).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver

PRELOAD = ["edition.render.pdf.piecepool"]


def start_server():
    """The workers' context, its server started now (module doc); again: the same, at once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    multiprocessing.forkserver.ensure_running()
    return context
