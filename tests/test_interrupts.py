"""Ctrl-C and ``kill`` stop a run at a point the runner chose (scr_lib/interrupts.py).

The signals here are real: sent to this process (``signal.raise_signal``) or to another of its threads
(``signal.pthread_kill``), as a terminal's Ctrl-C reaches whichever thread the system picks.
"""

from __future__ import annotations

import signal
import threading
import time

import pytest

from scr_lib import interrupts


@pytest.fixture
def bystander():
    """A thread that blocks no signal, as the threads of pandas' numerical library: the system may hand it
    a signal meant for the process."""
    done = threading.Event()
    thread = threading.Thread(target=done.wait, daemon=True)
    thread.start()
    yield thread
    done.set()
    thread.join()


@pytest.mark.parametrize("how", ["this thread", "another thread"])
def test_ctrl_c_in_a_held_block_is_raised_after_the_block_has_finished(bystander, how):
    steps = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts.held():
            if how == "this thread":
                signal.raise_signal(signal.SIGINT)
            else:
                signal.pthread_kill(bystander.ident, signal.SIGINT)
            time.sleep(0.2)  # without the hold, KeyboardInterrupt is raised here
            steps.append("finished")
        steps.append("after the block")
    assert steps == ["finished"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_kill_in_a_held_block_is_handled_by_the_handler_the_block_found():
    with pytest.raises(KeyboardInterrupt):
        with interrupts.terminate_as_interrupt() as terminated:
            with interrupts.held():
                signal.raise_signal(signal.SIGTERM)
                assert terminated == []
    assert terminated == [True]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_held_block_with_no_signal_leaves_the_handlers_as_they_were():
    before = {stop: signal.getsignal(stop) for stop in interrupts.STOPS}
    with interrupts.held():
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    assert {stop: signal.getsignal(stop) for stop in interrupts.STOPS} == before


def test_kill_raises_keyboard_interrupt_and_is_told_apart_from_ctrl_c():
    with interrupts.terminate_as_interrupt() as terminated:
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
        assert terminated == []
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)
        assert terminated == [True]


def test_outside_the_main_thread_both_do_nothing():
    """Only the main thread may set a handler; Python never raises a signal's exception elsewhere."""
    seen = []

    def work():
        with interrupts.terminate_as_interrupt() as terminated, interrupts.held():
            seen.append(terminated)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [[]]
