"""Feedback while ``apply`` runs: a progress bar on a terminal, one plain line per action
otherwise (CI logs, pipes, files).

Built only on apply's ``on_result`` callback, which is called from the main thread with each
``ActionResult``. Part of the CLI, so it may import click.
"""

from __future__ import annotations

import shutil
import sys
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, TextIO

import click

from pd_sync.apply import ActionResult
from pd_sync.cli.output import echo_line, inert_lines
from pd_sync.preview import describe, one_line

_MARKS = {"done": "done", "failed": "FAILED", "skipped": "skipped"}
_COLOURS = {"failed": "red", "skipped": "yellow"}
_LABEL = "Applying"
_BAR_CHARS = 24


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


def echo_result(result: ActionResult, *, err: bool = False) -> None:
    """The result's line (stdout, or stderr when stdout carries JSON), coloured for a failure
    (red) or a skip (yellow)."""
    for line in inert_lines(result_line(result)):
        echo_line(line, _COLOURS.get(result.status), err=err)


def truncate_words(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut after the last whole word that fits, with
    "…" to say so (mid-word only when the first word alone is too long)."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    return cut.rstrip() + "…"


def bar_layout(total: int, columns: int) -> tuple[int, int]:
    """``(bar, label)``: the bar's width and the room left for the action's label, so that
    ``Applying  [bar]  pos/total  label`` fits on one line of ``columns`` and stays one width
    for the whole run (a line that wrapped could no longer be redrawn in place)."""
    bar = max(10, min(_BAR_CHARS, columns // 4))
    position = 2 * len(str(total + 1)) + 1  # "61/63", with room for a follow-up pass's one more
    clutter = len(_LABEL) + 2 + bar + 2 + 2 + position + 2
    return bar, max(columns - clutter - 1, 8)


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
            width, room = bar_layout(total, shutil.get_terminal_size().columns)

            def label(result: ActionResult | None) -> str | None:
                # The bar redraws one line, so no control may reach it.
                if result is None:
                    return None
                text = f"{result.action.symbol} {one_line(result.action.name)}"
                return truncate_words(text, room).ljust(room)

            self._bar = click.progressbar(
                length=total,
                label=_LABEL,
                file=sys.stderr,
                show_eta=False,
                show_pos=True,
                item_show_func=label,
                width=width,
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
            echo_result(result, err=self._err)
            return
        if result.status != "done":
            click.echo("\r\x1b[K", nl=False, err=True)  # clear the bar, print above it
            echo_result(result)
        if self._bar.pos >= self._bar.length:  # a follow-up pass (duplicate clean-up) ran
            self._bar.length = self._bar.pos + 1
        self._bar.update(1, result)
