"""``validate`` and ``plan`` refuse a file reference that is missing, leaves the curriculum, or
is too large: each at file:line:col of the reference, exit 1, and not one request to Canvas."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.curriculum import load_curriculum
from pd_sync.curriculum.limits import ATTACHMENT_MAX_BYTES
from pd_sync.sandbox import Sandbox
from tests.files.curricula import OVERVIEW, write_curriculum


def _plan(sandbox: Sandbox, curriculum: Path) -> tuple[int, str]:
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    result = CliRunner().invoke(cli, ["plan", str(curriculum)], env=env)
    return result.exit_code, result.stderr


def _overview(curriculum: Path) -> str:
    return str(curriculum / "pages" / "overview.md")


@pytest.mark.parametrize(
    ("written", "column", "says"),
    [
        ("images/missing.png", 16, "not in the curriculum"),
        ("../../outside.png", 16, "leaves the curriculum directory"),
        ("/etc/hostname", 16, "is an absolute path"),
    ],
)
def test_a_bad_image_path_is_one_located_problem_and_no_request(
    sandbox: Sandbox, tmp_path: Path, written: str, column: int, says: str
) -> None:
    (tmp_path / "outside.png").write_bytes(b"secret")
    curriculum = write_curriculum(tmp_path / "c", OVERVIEW.replace("images/diagram.png", written))
    sandbox.clear_requests()
    code, errors = _plan(sandbox, curriculum)
    assert code == 1
    lines = [line for line in errors.splitlines() if "overview.md" in line]
    assert len(lines) == 1, errors
    assert lines[0].startswith(f"{_overview(curriculum)}:3:{column}: ")
    assert says in lines[0]
    assert sandbox.requests() == []


def test_a_symbolic_link_that_leaves_the_curriculum_is_refused(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "secret.png").write_bytes(b"not for Canvas")
    curriculum = write_curriculum(tmp_path / "c")
    image = curriculum / "pages" / "images" / "diagram.png"
    image.unlink()
    os.symlink(tmp_path / "secret.png", image)
    sandbox.clear_requests()
    code, errors = _plan(sandbox, curriculum)
    assert code == 1
    assert f"{_overview(curriculum)}:3:16: " in errors
    assert "resolves outside the curriculum directory" in errors
    assert "secret" not in errors  # where the link points is nobody's business
    assert sandbox.requests() == []


def test_a_missing_file_a_description_links_to_is_located_in_the_yaml(tmp_path: Path) -> None:
    curriculum = write_curriculum(tmp_path / "c")
    (curriculum / "pages" / "files" / "plan.pdf").unlink()
    result = CliRunner().invoke(cli, ["validate", str(curriculum)])
    assert result.exit_code == 1
    located = sorted(line.split(": ", 1)[0] for line in result.stderr.splitlines()[:-1])
    assert located == [
        f"{curriculum / 'curriculum.yml'}:25:46",
        f"{_overview(curriculum)}:5:21",
    ]


def test_an_image_over_the_size_limit_says_the_limit(tmp_path: Path) -> None:
    curriculum = write_curriculum(tmp_path / "c")
    big = curriculum / "pages" / "images" / "diagram.png"
    big.write_bytes(b"\0" * (ATTACHMENT_MAX_BYTES + 1))
    result = CliRunner().invoke(cli, ["validate", str(curriculum)])
    assert result.exit_code == 1
    assert f"{_overview(curriculum)}:3:16: " in result.stderr
    assert "larger than 10 MiB" in result.stderr


def test_raw_img_and_relative_paths_are_read_once_each(tmp_path: Path) -> None:
    overview = OVERVIEW + '\n<img src="../pages/images/diagram.png" alt="again">\n'
    curriculum = write_curriculum(tmp_path / "c", overview)
    program = load_curriculum(curriculum)
    assert [f.path for f in program.files] == ["pages/files/plan.pdf", "pages/images/diagram.png"]


def test_a_files_list_uploads_what_no_page_names_and_is_checked_the_same(tmp_path: Path) -> None:
    curriculum = write_curriculum(tmp_path / "c")
    (curriculum / "handouts").mkdir()
    (curriculum / "handouts" / "syllabus.pdf").write_bytes(b"%PDF syllabus")
    yml = curriculum / "curriculum.yml"
    yml.write_text(yml.read_text("utf-8") + "files:\n  - handouts/syllabus.pdf\n", "utf-8")
    paths = [f.path for f in load_curriculum(curriculum).files]
    assert "handouts/syllabus.pdf" in paths
    yml.write_text(yml.read_text("utf-8") + "  - ../elsewhere.pdf\n", "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(curriculum)])
    assert result.exit_code == 1
    lines = len(yml.read_text("utf-8").splitlines())
    assert result.stderr.startswith(f"{yml}:{lines}:5: file '../elsewhere.pdf' is an absolute path")
