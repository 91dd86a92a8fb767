"""File actions in every plan format, the plan JSON schema, and a saved plan's round trip."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from pd_sync.canvas import connect
from pd_sync.cli import cli
from pd_sync.curriculum import load_curriculum
from pd_sync.plan import Plan, UpdateFile
from pd_sync.preview import render_html, render_json, render_markdown, render_text
from pd_sync.sandbox import Sandbox
from pd_sync.saved import plan_from_dict, touched_refs
from pd_sync.sync import apply_course, plan_course
from tests.files.curricula import PNG, write_curriculum

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def plans(sandbox: Sandbox, tmp_path: Path) -> tuple[Plan, Plan]:
    """The first plan of the files curriculum, and the plan after its image changed."""
    root = write_curriculum(tmp_path / "c")
    course = connect(sandbox.base_url, sandbox.token, 1)
    program = load_curriculum(root)
    first = plan_course(program, program.cohorts[0], course)
    apply_course(first, course)
    (root / "pages" / "images" / "diagram.png").write_bytes(PNG + b"x" * 12_000)
    program = load_curriculum(root)
    return first.plan, plan_course(program, program.cohorts[0], course).plan


def test_uploads_are_actions_in_the_text_plan(plans: tuple[Plan, Plan]) -> None:
    first, changed = plans
    assert "+ file 'pages/images/diagram.png (66 B)': new in the curriculum" in render_text(first)
    lines = render_text(changed)
    assert "~ file 'pages/images/diagram.png (12 KB)': content changed" in lines
    assert "~ page 'Overview': shows pages/images/diagram.png, uploaded in this run" in lines, lines


def test_markdown_and_html_name_the_files(plans: tuple[Plan, Plan]) -> None:
    for plan in plans:
        assert "pages/images/diagram.png" in render_markdown(plan, "c1")
        assert "pages/images/diagram.png" in render_html(plan, "c1")


def test_json_validates_and_a_saved_plan_decodes_the_same(plans: tuple[Plan, Plan]) -> None:
    schema = json.loads((ROOT / "docs" / "plan-json.schema.json").read_text("utf-8"))
    for plan in plans:
        data = json.loads(render_json(plan))
        jsonschema.validate(data, schema)
        files = [a for a in data["actions"] if a["object_type"] == "file"]
        assert files and all(a["digest"].startswith("sha256:") for a in files)
        assert plan_from_dict(data) == plan
    changed = plans[1]
    assert ("file", "id", str(_update_id(changed))) in touched_refs(changed)


def _update_id(plan: Plan) -> int:
    return next(a.file_id for a in plan.actions if isinstance(a, UpdateFile))


def test_the_html_report_shows_a_changed_image_old_and_new(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    root = write_curriculum(tmp_path / "c")
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    runner = CliRunner()
    assert runner.invoke(cli, ["apply", str(root), "--yes"], env=env).exit_code == 0
    new = PNG + b"new pixels"
    (root / "pages" / "images" / "diagram.png").write_bytes(new)
    report = tmp_path / "report.html"
    sandbox.clear_requests()
    result = runner.invoke(cli, ["plan", str(root), "--html", str(report)], env=env)
    assert result.exit_code == 0, result.output
    # 7 to plan and the changed file's JSON (its download URL); the download itself is not an
    # API request (the sandbox logs those only).
    assert [r.method for r in sandbox.requests()] == ["GET"] * 8
    text = report.read_text("utf-8")
    old_uri = "data:image/png;base64," + base64.b64encode(PNG).decode("ascii")
    new_uri = "data:image/png;base64," + base64.b64encode(new).decode("ascii")
    assert text.index(old_uri) < text.index(new_uri)  # in Canvas now, then after apply


def test_a_saved_plan_uploads_exactly_its_file_and_refuses_once_it_changed(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    root = write_curriculum(tmp_path / "c")
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    runner = CliRunner()
    assert runner.invoke(cli, ["apply", str(root), "--yes"], env=env).exit_code == 0
    image = root / "pages" / "images" / "diagram.png"
    image.write_bytes(PNG + b"v2")
    saved = tmp_path / "plan.json"
    assert runner.invoke(cli, ["plan", str(root), "--out", str(saved)], env=env).exit_code == 0
    sandbox.clear_requests()
    applied = runner.invoke(cli, ["apply", str(saved), "--yes"], env=env)
    assert applied.exit_code == 0, applied.output
    posts = [r.path for r in sandbox.requests() if r.method == "POST"]
    assert posts.count("/api/v1/courses/1/files") == 1
    clean = runner.invoke(cli, ["plan", str(root), "--detailed-exitcode"], env=env)
    assert clean.exit_code == 0, clean.output
    # A file changed after the plan was saved is not what was reviewed: nothing is sent.
    image.write_bytes(PNG + b"v3")
    assert runner.invoke(cli, ["plan", str(root), "--out", str(saved)], env=env).exit_code == 0
    image.write_bytes(PNG + b"v4")
    sandbox.clear_requests()
    refused = runner.invoke(cli, ["apply", str(saved), "--yes"], env=env)
    assert refused.exit_code == 1, refused.output
    assert [r for r in sandbox.requests() if r.method != "GET"] == []
