"""Printing text that carries curriculum or Canvas text: every such line goes through here.

How a line is neutralised is ``pd_sync.preview.inert``'s business (``output_line``); this
module only knows where the line goes: stdout or stderr, and whether the GitHub Actions runner
reads it (GitHub mode). Colour is added after neutralising, so only pd-sync's own escape
codes reach a terminal; whether it is added is ``colour_choice``'s one decision. pd-sync's own
workflow commands (``github.mask_command``,
``github.error_annotation``) are echoed directly, never through here, so they still work.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

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


def colour_choice() -> bool | None:
    """Whether to colour: ``--color`` / ``--no-color`` if given, else off when ``NO_COLOR`` is
    set, on when ``FORCE_COLOR`` is (a CI log, such as GitHub Actions', that shows colour but is
    no terminal), else None: click colours a terminal only."""
    ctx = click.get_current_context(silent=True)
    chosen = None
    if ctx is not None and isinstance(ctx.find_root().obj, dict):
        chosen = ctx.find_root().obj.get("color")
    if chosen is not None:
        return bool(chosen)
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def echo_line(line: str, fg: str | None = None, *, err: bool = False) -> None:
    """One line already made inert, in colour ``fg`` when ``colour_choice`` allows it."""
    choice = colour_choice()
    styled = click.style(line, fg=fg) if fg and choice is not False else line
    click.echo(styled, err=err, color=choice)


def echo_inert(text: str, *, err: bool = False, fg: str | None = None) -> None:
    for line in inert_lines(text):
        echo_line(line, fg, err=err)


def _remember_colour(ctx: click.Context, _param: click.Parameter, value: bool | None) -> None:
    if value is not None:
        ctx.find_root().ensure_object(dict)["color"] = value


_F = TypeVar("_F", bound=Callable[..., Any])


def colour_option(command: _F) -> _F:
    """``--color/--no-color``, accepted before and after the subcommand."""
    option = click.option(
        "--color/--no-color",
        default=None,
        expose_value=False,
        callback=_remember_colour,
        help="Colour the output, or not, whether or not it is a terminal "
        "[default: on a terminal, unless NO_COLOR is set; FORCE_COLOR turns it on].",
    )
    return option(command)
