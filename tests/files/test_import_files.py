"""``import jekyll`` copies the images and files imported pages show or link to into the
curriculum, with relative references; the real corpus then syncs with them in Canvas."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pd_sync.canvas import connect
from pd_sync.cli import cli
from pd_sync.curriculum import load_curriculum
from pd_sync.sandbox import Sandbox
from pd_sync.sync import apply_course, plan_course
from tests.shared_material import CORPUS_SITE, shared_or_skip

PUBLIC = "https://careerdev.turing.io"


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    site = shared_or_skip(CORPUS_SITE)  # unmodified: a page with invalid front matter too
    out = tmp_path / "curriculum"
    cohort = ["--cohort", "t", "--course-id", "1", "--start-date", "2027-01-04"]
    result = CliRunner().invoke(cli, ["import", "jekyll", str(site), "--out", str(out), *cohort])
    assert result.exit_code == 0, result.output
    return out


def test_the_site_files_pages_use_are_copied_and_referenced_relatively(imported: Path) -> None:
    organization = (imported / "optional_sessions" / "organization.md").read_text("utf-8")
    assert "![Todoist](../files/Todoist.png)" in organization
    assert "](../files/Adding%20Google%20Calendar.png)" in organization
    assert (imported / "files" / "Todoist.png").read_bytes() == (
        CORPUS_SITE / "files" / "Todoist.png"
    ).read_bytes()
    assert (imported / "images" / "habit-loop.png").is_file()
    program = load_curriculum(imported)
    assert len(program.files) == 14


def test_the_imported_corpus_syncs_with_its_images_and_pdfs_in_canvas(
    sandbox: Sandbox, imported: Path
) -> None:
    program = load_curriculum(imported)
    course = connect(sandbox.base_url, sandbox.token, 1)
    planned = plan_course(program, program.cohorts[0], course)
    reports = apply_course(planned, course)
    assert all(r.ok for r in reports), [f.detail for r in reports for f in r.failed]
    live = [r for r in sandbox.store.rows("attachments", 1) if r["file_state"] == "available"]
    assert sorted(r["display_name"] for r in live) == sorted(
        f.path.rsplit("/", 1)[-1] for f in program.files
    )
    ids = {r["id"] for r in live}
    bodies = " ".join(
        str(r["body"]) for r in sandbox.store.rows("pages", 1) if r["workflow_state"] != "deleted"
    )
    bodies += " ".join(str(r["description"]) for r in sandbox.store.rows("assignments", 1))
    shown = {int(i) for i in re.findall(r"/courses/1/files/(\d+)/(?:preview|download)", bodies)}
    assert shown == ids
    # The site's own images and PDFs are no longer hot-linked to the public site.
    names = [re.escape(f.path) for f in program.files]
    public = re.findall(rf"{re.escape(PUBLIC)}/(?:{'|'.join(names)})", bodies.replace("%20", " "))
    assert public == []
    sandbox.clear_requests()
    again = plan_course(program, program.cohorts[0], course)
    assert not again.plan.has_changes


def _small_site(root: Path) -> Path:
    """A module whose week page and deliverable show and link to the site's files."""
    files = {
        "_config.yml": 'title: "Small"\nurl: "https://small.example.org"\n',
        "module_one/index.md": (
            "---\ntitle: Module 1 Basics\n---\n\n## Overview\nThe basics.\n\n"
            "### Deliverables\n\n1. **Poster:** ![sample](/images/poster.png) "
            "**Due by Friday of Week 1**\n\n## Weekly Breakdown\n\n* [Week 1](/module_one/week1)\n"
        ),
        "module_one/week1.md": (
            "---\ntitle: Week 1\n---\n\n![loop](../images/loop.png)\n\n"
            '<img src="/images/raw.png" alt="raw">\n\n'
            '<a href="/files/plan.pdf">the plan, in raw HTML</a>\n\n'
            "[the plan](/files/plan.pdf) and ![gone](/images/missing.png)\n"
        ),
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, "utf-8")
    for name in ("images/poster.png", "images/loop.png", "images/raw.png", "files/plan.pdf"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(f"bytes of {name}".encode())
    return root


def test_pages_and_deliverables_name_copies_and_what_the_site_lacks_is_reported(
    tmp_path: Path,
) -> None:
    site = _small_site(tmp_path / "site")
    out = tmp_path / "curriculum"
    cohort = ["--cohort", "t", "--course-id", "1", "--start-date", "2027-01-04"]
    result = CliRunner().invoke(cli, ["import", "jekyll", str(site), "--out", str(out), *cohort])
    assert result.exit_code == 0, result.output
    week = (out / "module_one" / "week1.md").read_text("utf-8")
    assert "![loop](../images/loop.png)" in week
    assert '<img src="../images/raw.png" alt="raw">' in week
    assert "[the plan](../files/plan.pdf)" in week
    # A raw <a href> is not uploaded by pd-sync, so it keeps pointing at the published site.
    assert '<a href="https://small.example.org/files/plan.pdf">' in week
    assert "![gone](https://small.example.org/images/missing.png)" in week
    poster = (out / "module_one" / "deliverables" / "poster.md").read_text("utf-8")
    assert "![sample](../../images/poster.png)" in poster
    for name in ("images/poster.png", "images/loop.png", "images/raw.png", "files/plan.pdf"):
        assert (out / name).read_bytes() == (site / name).read_bytes()
    assert not (out / "images" / "missing.png").exists()
    left = result.output.split("Images and files left on the site: ", 1)[1].splitlines()
    assert left[0] == "2"
    assert sorted(line.split(": ", 1)[1] for line in left[1:3]) == [
        "/files/plan.pdf -> https://small.example.org/files/plan.pdf",
        "/images/missing.png -> https://small.example.org/images/missing.png",
    ]
    assert {f.path for f in load_curriculum(out).files} == {
        "images/poster.png",
        "images/loop.png",
        "images/raw.png",
        "files/plan.pdf",
    }
