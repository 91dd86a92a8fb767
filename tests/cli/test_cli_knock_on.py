"""A renamed page's new URL is followed by the pages that link to it, and every view says so."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pd_sync.cli import cli

ROOT = Path(__file__).resolve().parents[2]
OLD_TITLE = "Module 1 Week 3: Professional Storytelling and Branding"
NEW_TITLE = "Module 1 Week 3: Telling Your Story"
FOLLOWED = f"links to '{NEW_TITLE}' updated (its URL changed)"
# The pages that link to week 3 but are otherwise as the curriculum has them.
LINKING = {"Interviewing Activities", "Cover Letters", "Resume Building"}


@pytest.fixture
def curriculum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PD_SYNC_DATA_DIR", str(tmp_path / "data"))
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    shutil.copytree(ROOT / "curriculum", tmp_path / "curriculum")
    runner = CliRunner()
    applied = runner.invoke(cli, ["apply", str(tmp_path / "curriculum"), "--sandbox", "--yes"])
    assert applied.exit_code == 0, applied.output
    module = tmp_path / "curriculum" / "modules" / "mod1" / "module.yml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace(OLD_TITLE, NEW_TITLE), encoding="utf-8")
    return tmp_path / "curriculum"


def _explained(lines: list[str]) -> set[str]:
    """The linking pages whose line (HTML entities decoded) gives the rename as the reason."""
    lines = [html.unescape(line) for line in lines]
    return {title for title in LINKING for line in lines if title in line and FOLLOWED in line}


def test_pages_whose_links_follow_a_rename_say_so_in_every_view(
    curriculum: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    html_file = tmp_path / "plan.html"
    text = runner.invoke(cli, ["plan", str(curriculum), "--sandbox", "--html", str(html_file)])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert _explained(lines) == LINKING, text.output
    # Only the renamed page itself says its title changed; no linking page claims a body edit.
    changed = [line for line in lines if "body changed in the curriculum" in line]
    assert not [line for line in changed if any(title in line for title in LINKING)], changed

    markdown = runner.invoke(cli, ["plan", str(curriculum), "--sandbox", "--markdown"])
    assert markdown.exit_code == 0, markdown.output
    assert _explained(markdown.output.splitlines()) == LINKING

    sections = html.unescape(html_file.read_text(encoding="utf-8")).split("<section")
    assert {t for t in LINKING for s in sections if t in s and FOLLOWED in s} == LINKING
