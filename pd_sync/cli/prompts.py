"""Asking before ``apply`` writes: on the terminal, never on stdout.

The question goes to stderr, so ``pd-sync apply > log.txt`` still asks where the person can see
it; with no terminal to answer on (stdin a pipe, a file, CI), apply refuses rather than wait.
Part of the CLI, so it may import click.
"""

from __future__ import annotations

import sys
from typing import TextIO

import click

from pd_sync.errors import ConfigError

QUESTION = "Apply these changes?"
NO_TERMINAL = (
    "stdin is not a terminal, so apply cannot ask for confirmation: pass --yes to apply "
    "without asking (nothing was sent)"
)


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


def confirm_apply() -> None:
    """Ask on stderr and read the answer from stdin; "no" raises ``click.Abort`` (exit 1)."""
    if not _is_terminal(sys.stdin):
        raise ConfigError(NO_TERMINAL)
    click.confirm(QUESTION, abort=True, err=True)
