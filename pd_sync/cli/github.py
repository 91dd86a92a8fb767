"""GitHub Actions mode: workflow commands on stdout and the files a step hands to the runner.

On when ``GITHUB_ACTIONS=true``. The string builders are pure; the two writers append to the
files named by ``GITHUB_STEP_SUMMARY`` and ``GITHUB_OUTPUT``. Everything takes the environment
as a mapping, so callers pass ``os.environ`` and tests pass a dict.

Escaping follows the runner's workflow-command parser: in a command's message ``%``, CR and LF
become ``%25``, ``%0D`` and ``%0A``; in its properties ``:`` and ``,`` also become ``%3A`` and
``%2C``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path, PurePath

from pd_sync.errors import Problem
from pd_sync.preview import visible_controls

Env = Mapping[str, str]
OutputValue = str | int | bool


def enabled(env: Env) -> bool:
    """GitHub sets ``GITHUB_ACTIONS=true`` in every step of a workflow run."""
    return env.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def mask_command(secret: str) -> str:
    """``::add-mask::SECRET``: the runner replaces SECRET with *** in every later log line."""
    return f"::add-mask::{escape_data(secret)}"


def annotation_path(file: str, env: Env) -> str:
    """A path GitHub can place on a diff: relative to ``GITHUB_WORKSPACE`` when under it."""
    workspace = env.get("GITHUB_WORKSPACE")
    path = PurePath(file)
    if workspace and path.is_absolute():
        try:
            return path.relative_to(workspace).as_posix()
        except ValueError:
            return file
    return path.as_posix()


def error_annotation(problem: Problem, env: Env) -> str:
    """``::error file=F,line=L,col=C::message`` for one curriculum problem.

    The message may quote the curriculum: line breaks are escaped as data, every other control
    (ESC, which the log viewer would read as colour) is shown as an escape.
    """
    file = escape_property(annotation_path(problem.file, env))
    message = visible_controls(problem.message, keep="\r\n")
    return f"::error file={file},line={problem.line},col={problem.column}::{escape_data(message)}"


def notice_command(level: str, title: str, message: str) -> str:
    """``::error title=T::message`` (or ``warning``, ``notice``) for a fact without a file.

    Title and message may quote Canvas or the curriculum: controls are shown as escapes and
    line breaks escaped as data, so the text cannot start a command of its own.
    """
    safe_title = escape_property(visible_controls(title))
    safe_message = escape_data(visible_controls(message, keep="\r\n"))
    return f"::{level} title={safe_title}::{safe_message}"


def _value(value: OutputValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def output_text(outputs: Mapping[str, OutputValue]) -> str:
    """``name=value`` lines for ``$GITHUB_OUTPUT``; multi-line values use the heredoc form."""
    lines = []
    for name, raw in outputs.items():
        value = _value(raw)
        if "\n" not in value and "\r" not in value:
            lines.append(f"{name}={value}")
            continue
        delimiter = "pd_sync_" + hashlib.sha256(value.encode()).hexdigest()[:16]
        lines += [f"{name}<<{delimiter}", value, delimiter]
    return "".join(line + "\n" for line in lines)


def _append(path: str, text: str) -> None:
    with Path(path).open("a", encoding="utf-8", newline="\n") as file:
        file.write(text)


def append_summary(env: Env, markdown: str) -> bool:
    """Add Markdown to the job summary; False when ``GITHUB_STEP_SUMMARY`` is not set."""
    path = env.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    _append(path, markdown if markdown.endswith("\n") else markdown + "\n")
    return True


def write_outputs(env: Env, outputs: Mapping[str, OutputValue]) -> bool:
    """Set step outputs; False when ``GITHUB_OUTPUT`` is not set."""
    path = env.get("GITHUB_OUTPUT")
    if not path:
        return False
    _append(path, output_text(outputs))
    return True
