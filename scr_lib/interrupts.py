"""How Ctrl-C (SIGINT) and ``kill`` (SIGTERM) stop a run: cleanly, at a point the runner chose.

Python runs a signal's handler in the main thread only, between any two steps of it, whichever thread the
system handed the signal to. Blocking a signal in the main thread is therefore not enough to keep it out of
a few lines: pandas' numerical library starts threads that take it, and Python then raises
KeyboardInterrupt in the main thread anyway. Both helpers here change the handlers instead, so they work in
the main thread only; in any other thread (where Python never raises a signal's exception) they do nothing.
"""

from __future__ import annotations

import contextlib
import signal
import threading

STOPS = (signal.SIGINT, signal.SIGTERM)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def terminate_as_interrupt():
    """For the block, SIGTERM (``kill PID``) raises KeyboardInterrupt as Ctrl-C does.

    Yields a list that is non-empty once SIGTERM has been received (so a caller can say "terminated").
    """
    received: list[bool] = []
    if not _in_main_thread():
        yield received
        return

    def on_term(signum, frame):
        received.append(True)
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, on_term)
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, before)


@contextlib.contextmanager
def held():
    """Hold Ctrl-C and SIGTERM for the block: the first that came is handled, by the handler the block
    found, as the block ends (so the exception is raised after the block, never inside it)."""
    if not _in_main_thread():
        yield
        return
    came: list[int] = []
    before = {stop: signal.signal(stop, lambda signum, frame: came.append(signum)) for stop in STOPS}
    try:
        yield
    finally:
        for stop, handler in before.items():  # None: a handler set outside Python, which cannot be put back
            signal.signal(stop, signal.SIG_DFL if handler is None else handler)
        if came:
            signal.raise_signal(came[0])
