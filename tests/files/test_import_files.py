"""``import jekyll`` copies the images and files imported pages show or link to into the
curriculum, with relative references; the real corpus then syncs with them in Canvas."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pd_sync.canvas import connect
from pd_sync.cli import cli
from pd_sync.curriculum import load_curriculum
from pd_sync.sandbox import Sandbox
from pd_sync.sync import apply_course, plan_course

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SITE = CORPUS / "career-development-curriculum-site"
PUBLIC = "https://careerdev.turing.io"


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    if not SITE.is_dir():
        pytest.skip("the shared corpus is not on this machine")
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    # The one file of the site whose front matter is not YAML (the import refuses it whole).
    (site / "session_archives" / "mod_4_action_plan_template.md").unlink()
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
        SITE / "files" / "Todoist.png"
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
