"""``--json`` for people's programs: the flag, and the JSON object an error becomes.

With ``--json``, stdout carries one JSON object whatever happens, so a CI script never parses
text: the command's own document on success, and on failure
``{"ok": false, "error": {"kind", "message", "problems"}}`` (``docs/plan-json.md``). The exit
code is the same as without ``--json``. Part of the CLI, so it may import click.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from pd_sync.errors import Problem
from pd_sync.preview import json_text

_F = TypeVar("_F", bound=Callable[..., Any])


def _remember(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.ensure_object(dict)["json"] = True
    return value


def json_option(help_text: str) -> Callable[[_F], _F]:
    """``--json`` (the parameter ``as_json``), remembered where the error mapping looks."""
    return click.option("--json", "as_json", is_flag=True, callback=_remember, help=help_text)


def wants_json(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("json"))


def _problem(problem: Problem) -> dict[str, object]:
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
    }


def error_document(kind: str, message: str, error: BaseException | None = None) -> str:
    """The JSON text of a failure: its kind (the error class), its message, located problems,
    and what apply had done when some changes failed (``result``)."""
    problems = getattr(error, "problems", ())
    body: dict[str, object] = {
        "kind": kind,
        "message": message,
        "problems": [_problem(p) for p in problems],
    }
    document: dict[str, object] = {"ok": False, "error": body}
    result = getattr(error, "result", None)
    if result is not None:
        document["result"] = result
    return json_text(json.dumps(document, indent=2, sort_keys=True)) + "\n"
