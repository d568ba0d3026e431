"""An HTTP server for many idle connections: a thread is held only while a request is answered.

In: a listening address and a ``BaseHTTPRequestHandler`` class (``edition serve``'s). Out: a
``PooledHTTPServer`` whose ``serve_forever`` accepts connections, lets them wait in one
selector, answers each request on one of ``WORKERS`` threads, and closes connections that stay
silent (``IDLE_SECONDS``) or wait beyond ``MAX_WAITING``.
"""

from __future__ import annotations

import queue
import selectors
import socket
import sys
import threading
import time
from http.server import HTTPServer

# A connection that sends nothing for this long is closed.
IDLE_SECONDS = 15
# Requests answered at once: the threads that answer them (``PooledHTTPServer``).
WORKERS = 8
# Connections whose request has not begun: beyond this many, the one waiting longest is closed.
MAX_WAITING = 256


class PooledHTTPServer(HTTPServer):
    """An HTTP server whose connections hold a thread only while their request is answered.

    Why not ``ThreadingHTTPServer``: it gives every connection a thread of its own the moment it
    is accepted, so 300 connections that send nothing hold 300 threads. Here an accepted
    connection waits in a selector (one thread for all of them) until its request begins to
    arrive, and is then answered by one of ``WORKERS`` threads; one that sends nothing for
    ``idle_seconds`` is closed, and beyond ``MAX_WAITING`` waiting connections the oldest is.
    A request that has begun is bounded by the handler's socket timeout.
    """

    idle_seconds = IDLE_SECONDS
    request_queue_size = 128   # connections the system accepts before this server takes them

    def __init__(self, address, handler):
        super().__init__(address, handler)
        self._accepted: queue.SimpleQueue = queue.SimpleQueue()   # (socket, address) from serve_forever
        self._ready: queue.SimpleQueue = queue.SimpleQueue()      # (socket, address) to answer; None: stop
        self._selector = selectors.DefaultSelector()
        self._wake, self._waker = socket.socketpair()
        for end in (self._wake, self._waker):
            end.setblocking(False)
        self._selector.register(self._wake, selectors.EVENT_READ)
        self._waiting: dict[socket.socket, tuple[object, float]] = {}   # oldest first
        self._closing = False
        threading.Thread(target=self._wait_for_requests, name="edition-serve-waiting", daemon=True).start()
        for number in range(WORKERS):
            threading.Thread(target=self._answer_requests, name=f"edition-serve-{number}", daemon=True).start()

    def process_request(self, request, client_address) -> None:
        """Hand an accepted connection to the waiting thread (never a thread of its own)."""
        self._accepted.put((request, client_address))
        self._wake_up()

    def _wake_up(self) -> None:
        try:
            self._waker.send(b"!")
        except (BlockingIOError, OSError):
            pass  # the waiting thread has wake-ups pending already, or is closed

    def _wait_for_requests(self) -> None:
        """Hold the connections that have sent nothing yet; pass on those whose request begins."""
        while not self._closing:
            now = time.monotonic()
            soonest = min((deadline for _, deadline in self._waiting.values()), default=now + 1)
            for key, _ in self._selector.select(timeout=max(0.0, min(soonest - now, 1.0))):
                if key.fileobj is self._wake:
                    self._take_accepted()
                else:
                    self._selector.unregister(key.fileobj)
                    address, _ = self._waiting.pop(key.fileobj)
                    self._ready.put((key.fileobj, address))
            now = time.monotonic()
            for conn in [c for c, (_, deadline) in self._waiting.items() if deadline <= now]:
                self._drop(conn)

    def _take_accepted(self) -> None:
        try:
            while self._wake.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        while True:
            try:
                conn, address = self._accepted.get_nowait()
            except queue.Empty:
                return
            if len(self._waiting) >= MAX_WAITING:
                self._drop(next(iter(self._waiting)))
            self._waiting[conn] = (address, time.monotonic() + self.idle_seconds)
            self._selector.register(conn, selectors.EVENT_READ)

    def _drop(self, conn: socket.socket) -> None:
        self._selector.unregister(conn)
        self._waiting.pop(conn, None)
        self.shutdown_request(conn)

    def _answer_requests(self) -> None:
        while (item := self._ready.get()) is not None:
            conn, address = item
            try:
                self.finish_request(conn, address)
            except Exception:  # noqa: BLE001 (one request's failure must not stop the server)
                self.handle_error(conn, address)
            finally:
                self.shutdown_request(conn)

    def handle_error(self, request, client_address) -> None:
        """A connection the browser closed, or that timed out, is no error; anything else is
        one line in the terminal, never a traceback."""
        exc = sys.exc_info()[1]
        if exc is not None and not isinstance(exc, OSError):
            print(f"edition serve: a request could not be answered: {type(exc).__name__}: {exc}",
                  file=sys.stderr)

    def server_close(self) -> None:
        """Stop listening, close the waiting connections, let the threads end."""
        super().server_close()
        self._closing = True
        self._wake_up()
        for _ in range(WORKERS):
            self._ready.put(None)
