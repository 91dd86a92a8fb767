"""Printing text that carries curriculum or Canvas text: every such line goes through here.

How a line is neutralised is ``pd_sync.preview.inert``'s business (``output_line``); this
module only knows where the line goes: stdout or stderr, and whether the GitHub Actions runner
reads it (GitHub mode). Colour is added after neutralising, so only pd-sync's own escape
codes reach a terminal. pd-sync's own workflow commands (``github.mask_command``,
``github.error_annotation``) are echoed directly, never through here, so they still work.
"""

from __future__ import annotations

import os

import click

from pd_sync.cli import github
from pd_sync.preview import output_line


def inert_lines(text: str) -> list[str]:
    """``text``'s lines, each made inert for stdout/stderr in the current mode.

    Line breaks in ``text`` are taken as pd-sync's own (a message listing problems); a value
    that must stay on one line is made so before (``preview.one_line``).
    """
    in_github = github.enabled(os.environ)
    return [output_line(line, in_github) for line in text.split("\n")]


def echo_inert(text: str, *, err: bool = False, fg: str | None = None) -> None:
    for line in inert_lines(text):
        click.echo(click.style(line, fg=fg) if fg else line, err=err)
