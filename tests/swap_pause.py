"""For the kill tests only (imported into a build's process by the test): the swap of the
staging folder and build/ announced on stderr ("swap: begins") and slowed by a pause before it
and after it, so that a kill can be aimed at the moment build/ changes."""

from __future__ import annotations

import sys
import time

from edition.build import publish


def slow_down(pause: float) -> None:
    """Make ``publish.exchange`` say when it begins and pause ``pause`` s before and after it."""
    exchange = publish.exchange

    def slowed(a, b):
        print("swap: begins", file=sys.stderr, flush=True)
        time.sleep(pause)
        done = exchange(a, b)
        time.sleep(pause)
        return done

    publish.exchange = slowed
