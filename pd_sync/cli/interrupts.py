"""Ctrl-C during ``apply``: the first stops new writes and lets those in flight finish, the
second exits at once.

The engine knows only a ``threading.Event`` (``sync.apply_course``'s ``stop``); this module is
the one place that turns SIGINT into setting it. Part of the CLI, so it may import click.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

from pd_sync.cli import exit_codes

STOPPING = "Stopping: letting the changes in flight finish (Ctrl-C again to exit at once)…"
EXITING = "Interrupted again: exiting now; run apply again to finish"


def _tell(line: str) -> None:
    # No descriptor: a test runner's stream, where nobody presses Ctrl-C.
    with suppress(OSError, ValueError, AttributeError):
        os.write(sys.stderr.fileno(), f"\n{line}\n".encode())


@contextmanager
def stop_on_interrupt() -> Iterator[threading.Event]:
    """An event set by the first SIGINT while the block runs; a second SIGINT ends the process
    with exit code 130 without waiting (the next apply finishes what was left)."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop  # signal handlers can only be set from the main thread
        return

    def interrupted(_signum: int, _frame: FrameType | None) -> None:
        # The main thread may be inside a write to stderr (the bar): a buffered write from
        # here could be refused as reentrant, so the notice goes straight to the descriptor.
        if stop.is_set():
            _tell(EXITING)
            os._exit(exit_codes.INTERRUPTED)
        stop.set()
        _tell(STOPPING)

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
