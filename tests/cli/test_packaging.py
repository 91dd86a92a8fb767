"""What an installed pd-sync says about itself: license, links, classifiers, completion."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from click.testing import CliRunner

from pd_sync.cli import cli

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_expression_with_its_file() -> None:
    project = PROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 pd-sync contributors" in text
    # PEP 639: a license expression replaces the License :: classifiers, and needs
    # setuptools 77 to be read at all.
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]
    assert PROJECT["build-system"]["requires"] == ["setuptools>=77"]


def test_project_urls_and_classifiers() -> None:
    project = PROJECT["project"]
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(project["urls"])
    assert all(url.startswith("https://") for url in project["urls"].values())
    classifiers = project["classifiers"]
    assert "Environment :: Console" in classifiers
    assert "Typing :: Typed" in classifiers
    lowest = re.fullmatch(r">=3\.(\d+)", project["requires-python"])
    assert lowest is not None
    versions = {
        int(c.rsplit(".", 1)[1])
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    assert min(versions) == int(lowest.group(1))


def _complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    result = CliRunner().invoke(
        cli,
        [],
        prog_name="pd-sync",
        env={
            "_PD_SYNC_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
            **(env or {}),
        },
    )
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if line]


def test_cohort_option_completes_the_curriculums_cohort_names(tmp_path: Path) -> None:
    curriculum = str(ROOT / "curriculum")
    assert _complete(f"pd-sync plan {curriculum} --cohort ") == ["plain,2701-example"]
    assert _complete(f"pd-sync apply {curriculum} --cohort 27") == ["plain,2701-example"]
    assert _complete(f"pd-sync apply {curriculum} --cohort 9") == []
    # A PATH that does not load completes nothing rather than failing.
    assert _complete(f"pd-sync plan {tmp_path / 'missing'} --cohort ") == []


def test_completion_script_and_readme() -> None:
    result = CliRunner().invoke(
        cli, [], prog_name="pd-sync", env={"_PD_SYNC_COMPLETE": "bash_source"}
    )
    assert result.exit_code == 0
    assert "_PD_SYNC_COMPLETE=bash_complete" in result.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_PD_SYNC_COMPLETE=bash_source pd-sync)"' in readme


def test_init_template_is_package_data() -> None:
    """Every template file is matched by a package-data pattern, so a wheel carries it."""
    patterns = PROJECT["tool"]["setuptools"]["package-data"]["pd_sync.starter"]
    package = ROOT / "pd_sync" / "starter"
    shipped = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    template = {
        p for p in (package / "template").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }
    assert template
    assert template <= shipped
