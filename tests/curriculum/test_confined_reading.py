"""The loader reads only regular files inside the curriculum directory, and only so much.

Written here rather than kept under ``cases/``: symbolic links, FIFOs and megabyte files do not
belong in the repository. Each test builds a small valid curriculum in ``tmp_path`` (from the
``dangling_group_set`` case with its one mistake fixed) and adds one hostile file to it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pd_sync.curriculum import files as curriculum_files
from pd_sync.curriculum import load_curriculum, module_rules
from pd_sync.curriculum.limits import FILE_MAX_BYTES
from pd_sync.errors import CurriculumError

CASES = Path(__file__).parent / "cases"
SENTINEL = "secret-sentinel"


@pytest.fixture
def curriculum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid curriculum in ``tmp_path/curriculum``, which is also the working directory."""
    root = tmp_path / "curriculum"
    shutil.copytree(CASES / "number_too_small", root)
    (root / "expected.txt").unlink()
    text = (root / "curriculum.yml").read_text("utf-8")
    text = text.replace("points: -5", "points: 5").replace("course_id: 0", "course_id: 1")
    (root / "curriculum.yml").write_text(text, "utf-8")
    monkeypatch.chdir(root)
    load_curriculum(".")  # valid as it stands
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(root)
    return [str(problem) for problem in caught.value.problems]


def test_page_linked_to_proc_environ_is_refused_at_its_reference(
    curriculum: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANVAS_API_TOKEN", SENTINEL)
    (curriculum / "week2.md").unlink()
    (curriculum / "week2.md").symlink_to("/proc/self/environ")
    assert problems_of(Path(".")) == [
        "curriculum.yml:18:13: 'week2.md' resolves outside the curriculum directory at "
        "pages[2].source; replace the symbolic link with the file itself, inside the "
        "curriculum directory"
    ]


def test_yaml_file_linked_outside_is_refused_at_the_link_without_its_contents(
    curriculum: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text(f"{SENTINEL}: [1, 2]\n", "utf-8")
    (curriculum / "more.yml").symlink_to(outside)
    (problem,) = problems_of(Path("."))
    assert problem == (
        "more.yml:1:1: this symbolic link resolves outside the curriculum directory at the "
        "whole file; replace the symbolic link with the file itself, inside the curriculum "
        "directory"
    )


def test_relative_link_climbing_out_is_refused_like_an_absolute_one(curriculum: Path) -> None:
    (curriculum / "week2.md").unlink()
    (curriculum / "week2.md").symlink_to("../../../../../../../../etc/passwd")
    (problem,) = problems_of(Path("."))
    assert problem.startswith("curriculum.yml:18:13: 'week2.md' resolves outside")
    assert "root:" not in problem


def test_directory_linked_outside_is_not_walked_into(curriculum: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Would be a second program (a problem) if it were read.
    (elsewhere / "program.yml").write_text("program:\n  name: Other\n  time_zone: UTC\n")
    (curriculum / "shared").symlink_to(elsewhere, target_is_directory=True)
    load_curriculum(".")


def test_links_that_stay_inside_the_curriculum_are_read(curriculum: Path) -> None:
    (curriculum / "bodies").mkdir()
    (curriculum / "week2.md").rename(curriculum / "bodies" / "week2.md")
    (curriculum / "week2.md").symlink_to("bodies/week2.md")
    program = load_curriculum(".")
    assert [page.title for page in program.pages] == ["Overview", "Week 1", "Week 2"]


def test_fifo_is_refused_without_being_opened(curriculum: Path) -> None:
    (curriculum / "week2.md").unlink()
    os.mkfifo(curriculum / "week2.md")  # opening it to read would block for ever
    (problem,) = problems_of(Path("."))
    assert problem == (
        "curriculum.yml:18:13: 'week2.md' is not a regular file at pages[2].source; use a "
        "regular file (not a device, FIFO, socket or directory)"
    )


def test_markdown_file_over_the_size_limit_is_refused_at_its_reference(curriculum: Path) -> None:
    (curriculum / "week2.md").write_bytes(b"a" * (FILE_MAX_BYTES + 1))
    (problem,) = problems_of(Path("."))
    assert problem == (
        "curriculum.yml:18:13: 'week2.md' is larger than 1024 KiB, the limit for one file at "
        "pages[2].source; split it into smaller files"
    )


def test_yaml_file_over_the_size_limit_is_refused_before_parsing(curriculum: Path) -> None:
    (curriculum / "big.yml").write_bytes(b"cohorts: []\n" + b"#" * FILE_MAX_BYTES)
    assert problems_of(Path(".")) == [
        "big.yml:1:1: this file is larger than 1024 KiB, the limit for one file at the whole "
        "file; split it into smaller files"
    ]


def test_curriculum_over_the_total_limit_is_refused_at_the_file_beyond_it(
    curriculum: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = sum(p.stat().st_size for p in curriculum.iterdir())
    monkeypatch.setattr(curriculum_files, "CURRICULUM_MAX_BYTES", used - 1)
    problems = problems_of(Path("."))
    assert len(problems) == 1
    assert "would make the curriculum larger than" in problems[0]
    assert problems[0].endswith("; make the files smaller, or split the curriculum into several")


def test_more_pages_than_the_limit_is_a_problem_at_the_first_page_beyond(
    curriculum: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module_rules, "PAGES_MAX", 2)
    assert problems_of(Path(".")) == [
        "curriculum.yml:18:5: the curriculum has 3 pages, more than the limit of 2 at "
        "pages[2]; split it into several curricula"
    ]


def test_module_with_more_items_than_the_limit_is_a_problem_at_the_module(
    curriculum: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # overview, 2 x (SubHeader + page), 1 assignment: 6 items.
    monkeypatch.setattr(module_rules, "MODULE_ITEMS_MAX", 5)
    assert problems_of(Path(".")) == [
        "curriculum.yml:22:5: the module would have 6 items, more than the limit of 5 at "
        "modules[0]; split it into several modules"
    ]


def test_long_values_are_quoted_short_and_escaped(curriculum: Path) -> None:
    text = (curriculum / "curriculum.yml").read_text("utf-8")
    hostile = "\\e[2J\\u202e" + "x" * 5000
    (curriculum / "curriculum.yml").write_text(
        text.replace("time_zone: America/Denver", f'time_zone: "{hostile}"'), "utf-8"
    )
    (problem,) = problems_of(Path("."))
    assert "\x1b" not in problem and "\u202e" not in problem
    assert "'\\x1b[2J\\u202exxx" in problem
    assert "x" * 60 not in problem
    assert len(problem) < 300
