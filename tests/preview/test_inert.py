"""pd_sync.preview.inert line by line, and the runner model the hostile tests rely on."""

from __future__ import annotations

import pytest
from hostile_checks import COMMAND_LINES, TERMINAL, Command, runner_commands, terminal_controls

from pd_sync.cli import github
from pd_sync.errors import Problem
from pd_sync.preview.inert import (
    comment_text,
    json_text,
    markdown_text,
    one_line,
    output_line,
    workflow_safe_line,
)

TRICKS = (
    *COMMAND_LINES,
    ":\u200b:error::x",
    "\u3000::error::x",
    "text ##[error]x",
    "###[group]x",
    "#\u200b#[group]x",
    "::stop-commands::tok",
    "::ADD-MASK::secret",
)


def test_the_runner_model_finds_what_the_runner_would_run() -> None:
    for line in TRICKS:
        assert runner_commands(line), line
    assert runner_commands("::stop-commands::t\n::error::hidden\n::t::\n::warning::w") == [
        Command("stop-commands", "t"),
        Command("warning", "w"),  # ::error:: was swallowed; ::t:: resumed
    ]
    assert runner_commands("a\rb ::x\r::error::y") == [Command("error", "y")]  # CR ends a line


@pytest.mark.parametrize("line", TRICKS)
def test_a_workflow_safe_line_is_no_command_and_stays_readable(line: str) -> None:
    safe = workflow_safe_line(line)
    assert runner_commands(safe) == []
    assert workflow_safe_line(safe) == safe  # already safe text is left alone
    assert safe.replace("\\", "") == line.replace("\\", "")  # only a backslash is added


def test_terminal_rules_show_controls_and_keep_one_line() -> None:
    for piece in TERMINAL:
        shown = output_line(piece, github=False)
        assert terminal_controls(shown) == [] and "\n" not in shown
    assert one_line("a\nb\rc\x1b[31m\u202e") == "a\\nb\\rc\\x1b[31m\\u202e"
    assert output_line("tab\there", github=False) == "tab\there"


def test_markdown_comment_and_json_rules() -> None:
    assert markdown_text("@user <b> | [x](y) a_b") == ("@\u200buser &lt;b&gt; \\| \\[x\\](y) a\\_b")
    assert "--" not in comment_text("x ---> y --!> z")
    assert json_text('"##[group]x"') == '"##\\u005bgroup]x"'


def test_pd_syncs_own_commands_still_work() -> None:
    problem = Problem("a.yml", 1, 2, "bad 'x\x1b[2J'\n::error::y")
    annotation = github.error_annotation(problem, {})
    assert runner_commands(github.mask_command("tok") + "\n" + annotation) == [
        Command("add-mask", "tok"),
        Command("error", "bad 'x\\x1b[2J'%0A::error::y"),
    ]
