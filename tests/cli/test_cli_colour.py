"""Colour and layout on a terminal: the diff coloured by what each line is (not by how its text
begins), long diff lines wrapped under their indent, a progress bar of one fixed width, failures
in colour; ``--color/--no-color``, ``FORCE_COLOR`` and ``NO_COLOR``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pd_sync.apply import ActionResult
from pd_sync.cli import cli
from pd_sync.cli.progress import ApplyProgress, bar_layout, result_line, truncate_words
from pd_sync.plan import CreatePage
from pd_sync.sandbox import Sandbox
from tests.cli.test_cli_preview import _run_in_terminal

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # colours, and the bar's cursor hiding
RED, GREEN, RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"


@pytest.fixture
def env(sandbox: Sandbox) -> dict[str, str]:
    return {
        "CANVAS_API_URL": sandbox.base_url,
        "CANVAS_API_TOKEN": sandbox.token,
        "GITHUB_ACTIONS": "",
        "NO_COLOR": "",
        "FORCE_COLOR": "",
    }


@pytest.fixture
def edited(env: dict[str, str], tmp_path: Path) -> Path:
    """The curriculum, applied, then one list item of week 1 edited (its neighbours unchanged)."""
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    shutil.copytree(ROOT / "curriculum", tmp_path / "curriculum")
    curriculum = tmp_path / "curriculum"
    applied = CliRunner().invoke(cli, ["apply", str(curriculum), "--yes"], env=env)
    assert applied.exit_code == 0, applied.output
    week = curriculum / "modules" / "mod1" / "week1.md"
    text = week.read_text(encoding="utf-8")
    week.write_text(text.replace("into three buckets", "into three groups"), encoding="utf-8")
    return curriculum


def _screen_lines(shown: str) -> list[str]:
    return shown.replace("\r\n", "\n").split("\n")


def test_context_bullets_are_not_coloured_and_long_lines_wrap_under_their_indent(
    env: dict[str, str], edited: Path
) -> None:
    shown = _run_in_terminal(["plan", str(edited)], {**env, "COLUMNS": "60"})
    lines = _screen_lines(shown)
    # The unchanged list items either side of the edit are context: no colour, though their
    # text (a Markdown bullet) starts with "-".
    for item in ("     - Join the kickoff.", "     - Meet your Homeroom group"):
        assert any(line.startswith(item) for line in lines), item
    assert not [line for line in lines if "kickoff. We walk" in line and "\x1b[" in line]
    removed = lines.index(f"{RED}    -- Work through the strengths lesson. Sort what you{RESET}")
    added = lines.index(f"{GREEN}    +- Work through the strengths lesson. Sort what you{RESET}")
    # Wrapped at 60 columns under the text (after the mark), each piece in the line's colour.
    assert (
        lines[removed + 1]
        == f'{RED}     bring into three buckets: skills you have learned ("I{RESET}'
    )
    assert (
        lines[added + 1]
        == f'{GREEN}     bring into three groups: skills you have learned ("I{RESET}'
    )
    assert (
        lines[added - 1]
        == f"{RED}     reflection sheet; you will reuse it in weeks 3 and 4.{RESET}"
    )
    diff = [ANSI.sub("", line) for line in lines if ANSI.sub("", line).startswith("    ")]
    assert len(diff) > 10 and all(len(line) <= 60 for line in diff), diff


def test_the_progress_bar_keeps_one_width_and_cuts_labels_between_words(
    env: dict[str, str], tmp_path: Path
) -> None:
    curriculum = str(ROOT / "curriculum")
    planned = CliRunner().invoke(cli, ["plan", curriculum, "--json"], env=env)
    names = {f"{a['symbol']} {a['name']}" for a in json.loads(planned.stdout)["actions"]}
    shown = _run_in_terminal(["apply", curriculum, "--yes"], {**env, "COLUMNS": "72"})
    frames = [CONTROL.sub("", f).strip("\n") for f in shown.split("\r")]
    frames = [f for f in frames if f.startswith("Applying  [")]
    assert len(frames) > 10
    bars = {f.index("]") for f in frames}
    assert len(bars) == 1, bars  # the bar never moves, whatever the label
    assert all(len(f) <= 72 for f in frames), max(frames, key=len)
    labels = [re.sub(r"^.*?\d+/\d+\s+", "", f).rstrip() for f in frames]
    cut = [label for label in labels if label.endswith("…")]
    assert cut, labels  # the curriculum has names longer than the room
    for label in cut:
        whole = label[:-1]
        assert any(name.startswith(whole + " ") for name in names), label


def test_a_failed_result_is_red_and_a_done_one_plain(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    page = CreatePage(key="k", title="T", body="", published=True, url="t")
    failed = ActionResult(page, "failed", "Canvas said 422")
    with ApplyProgress(2, bar=False) as progress:
        progress(ActionResult(page, "done"))
        progress(failed)
    out = capsys.readouterr().out.splitlines()
    assert out == ["done: + page 'T': new in the curriculum", f"{RED}{result_line(failed)}{RESET}"]


def test_labels_are_cut_at_a_word_and_the_bar_fits_a_narrow_terminal() -> None:
    assert truncate_words("+ page 'Module 1 Week 3: Telling'", 20) == "+ page 'Module 1…"
    assert truncate_words("short", 20) == "short"
    assert truncate_words("Unbreakablewordthatgoeson", 10) == "Unbreakab…"
    bar, room = bar_layout(63, 40)
    assert bar == 10 and len("Applying") + 2 + bar + 2 + 2 + 5 + 2 + room < 40


@pytest.mark.parametrize(
    ("args", "env_extra", "tty", "coloured"),
    [
        (["--no-color"], {}, True, False),  # the flag beats the terminal
        (["--color"], {}, False, True),  # and a pipe
        (["--color"], {"NO_COLOR": "1"}, False, True),  # and NO_COLOR
        ([], {"FORCE_COLOR": "1"}, False, True),  # a CI log that shows colour
    ],
)
def test_colour_flags_and_environment(
    env: dict[str, str], args: list[str], env_extra: dict[str, str], tty: bool, coloured: bool
) -> None:
    curriculum = str(ROOT / "curriculum")
    for where in (["plan", curriculum, *args], [*args, "plan", curriculum]):
        result = CliRunner().invoke(cli, where, env={**env, **env_extra}, color=tty)
        assert result.exit_code == 0, result.output
        assert bool(ANSI.search(result.stdout)) is coloured, where
        assert "+ page 'Module 1: Learning Goals'" in ANSI.sub("", result.stdout)
