"""An assignment students have submitted to cannot be unpublished in Canvas (Assignment#
can_unpublish?): the curriculum asking for it becomes a notice, not a failing write."""

from __future__ import annotations

from pathlib import Path

from pd_sync.curriculum import Program, load_curriculum
from pd_sync.plan import Notice
from pd_sync.preview import render_text
from pd_sync.sandbox import Sandbox
from tests.sync.conftest import Sync, active, writes

TITLE = "Networking Activity"


def _unpublish_networking_activity(curriculum: Path) -> Program:
    module = curriculum / "modules" / "mod1" / "module.yml"
    text = module.read_text(encoding="utf-8")
    marker = "        title: Networking Activity\n"
    assert marker in text
    module.write_text(text.replace(marker, marker + "        published: false\n"), "utf-8")
    return load_curriculum(curriculum)


def test_unpublishing_an_assignment_with_submissions_is_a_notice(
    sandbox: Sandbox, curriculum: Path, program: Program, sync: Sync
) -> None:
    sync(program)
    row = next(a for a in active(sandbox.store.rows("assignments", 1)) if a["name"] == TITLE)
    sandbox.add_submission(int(str(row["id"])))
    changed = _unpublish_networking_activity(curriculum)
    sandbox.clear_requests()

    planned, _ = sync(changed)  # the fixture checks that every write succeeded

    notices = [a for a in planned.plan.actions if isinstance(a, Notice) and a.name == TITLE]
    assert len(notices) == 1 and "students have submitted" in notices[0].reason
    assert any(
        line.startswith(f"! assignment '{TITLE}': stays published")
        for line in render_text(planned.plan)
    )
    assert f"/assignments/{row['id']}" not in " ".join(writes(sandbox))
    stored = next(a for a in sandbox.store.rows("assignments", 1) if a["id"] == row["id"])
    assert stored["workflow_state"] == "published"

    sandbox.clear_requests()
    again, _ = sync(changed)
    assert again.plan.writes == () and writes(sandbox) == []
    assert [a.name for a in again.plan.actions] == [TITLE]
