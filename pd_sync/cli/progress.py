"""Feedback while ``apply`` runs: a progress bar on a terminal, one plain line per action
otherwise (CI logs, pipes, files).

Built only on apply's ``on_result`` callback, which is called from the main thread with each
``ActionResult``. Part of the CLI, so it may import click.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, TextIO

import click

from pd_sync.apply import ActionResult
from pd_sync.cli.output import echo_inert
from pd_sync.preview import describe, one_line

_MARKS = {"done": "done", "failed": "FAILED", "skipped": "skipped"}
_ITEM_CHARS = 40


def result_line(result: ActionResult) -> str:
    """``done: + page 'Week 1': new in the curriculum`` (plus the detail of a failure)."""
    detail = f" — {one_line(result.detail)}" if result.detail else ""  # Canvas's own words
    return f"{_MARKS.get(result.status, result.status)}: {describe(result.action)}{detail}"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def wants_bar() -> bool:
    """A bar only when both output streams are a terminal (a person is watching)."""
    return _is_terminal(sys.stdout) and _is_terminal(sys.stderr)


def _item(result: ActionResult | None) -> str | None:
    if result is None:
        return None
    # The name's end tells items apart; the bar redraws one line, so no control may reach it.
    text = f"{result.action.symbol} {one_line(result.action.name)}"
    return text if len(text) <= _ITEM_CHARS else text[:2] + "…" + text[3 - _ITEM_CHARS :]


class ApplyProgress(AbstractContextManager["ApplyProgress"]):
    """Call with each ``ActionResult``. With ``bar``, a bar on stderr counts the actions and
    failures are printed above it; without, every result is one line on stdout (on stderr with
    ``err``, when stdout carries ``--json``)."""

    def __init__(self, total: int, *, bar: bool, err: bool = False) -> None:
        self.total = total
        self._err = err
        self.counts: dict[str, int] = {}
        self._bar: Any = None
        if bar and total:
            self._bar = click.progressbar(
                length=total,
                label="Applying",
                file=sys.stderr,
                show_eta=False,
                show_pos=True,
                item_show_func=_item,
                width=0,
            )

    def __enter__(self) -> ApplyProgress:
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)

    def __call__(self, result: ActionResult) -> None:
        self.counts[result.status] = self.counts.get(result.status, 0) + 1
        if self._bar is None:
            echo_inert(result_line(result), err=self._err)
            return
        if result.status != "done":
            click.echo("\r\x1b[K", nl=False, err=True)  # clear the bar, print above it
            echo_inert(result_line(result))
        if self._bar.pos >= self._bar.length:  # a follow-up pass (duplicate clean-up) ran
            self._bar.length = self._bar.pos + 1
        self._bar.update(1, result)
