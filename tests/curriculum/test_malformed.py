"""Every malformed curriculum under ``cases/`` yields exactly the problems in its ``expected.txt``.

A case is a small curriculum directory with one kind of mistake (some with several, to show
that all are reported together, sorted by place). Paths in ``expected.txt`` are relative to the
case directory, which is where each case is loaded from.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pd_sync.curriculum import load_curriculum
from pd_sync.errors import CurriculumError

CASES = Path(__file__).parent / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())

# file:line:column: what is wrong ...; how to fix it
PROBLEM_LINE = re.compile(r"^[^:\s][^:]*:[1-9]\d*:[1-9]\d*: \S.*; \S.*$")


def expected_lines(case: str) -> list[str]:
    return (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASE_NAMES)
def test_case_reports_exactly_the_expected_problems(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CASES / case)
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(".")
    assert [str(problem) for problem in caught.value.problems] == expected_lines(case)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_every_expected_line_names_place_and_fix(case: str) -> None:
    lines = expected_lines(case)
    assert lines, f"{case}/expected.txt lists no problems"
    for line in lines:
        assert PROBLEM_LINE.match(line), line


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASE_NAMES) >= 30


def test_problems_are_located_relative_to_the_working_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(CASES)
    with pytest.raises(CurriculumError) as caught:
        load_curriculum("dangling_group_set")
    (problem,) = caught.value.problems
    assert problem.file == "dangling_group_set/curriculum.yml"


def test_problems_outside_the_working_directory_keep_the_path_as_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    given = CASES / "dangling_group_set"
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(given)
    (problem,) = caught.value.problems
    assert problem.file == str(given / "curriculum.yml")


def test_error_message_lists_every_problem_then_the_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(CASES / "many_problems_sorted")
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(".")
    lines = str(caught.value).splitlines()
    assert lines[:-1] == expected_lines("many_problems_sorted")
    assert lines[-1] == "4 problems found; nothing was sent to Canvas."


def test_files_that_are_not_utf8_are_located_problems(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Written here rather than kept under cases/: linters and editors choke on such files.
    case = tmp_path / "case"
    shutil.copytree(CASES / "dangling_group_set", case)
    (case / "expected.txt").unlink()
    (case / "week2.md").write_bytes(b"---\ntitle: Week 2\n---\nCaf\xe9 networking.\n")
    (case / "extra.yml").write_bytes(b"cohorts: []\n# caf\xe9\n")
    monkeypatch.chdir(case)
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(".")
    assert [str(problem) for problem in caught.value.problems] == [
        "extra.yml:2:1: the file is not UTF-8 text at the whole file; save it with UTF-8 encoding",
        "week2.md:4:1: the file is not UTF-8 text at the whole file; save it with UTF-8 encoding",
    ]
