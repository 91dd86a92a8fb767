"""An assignment of pd-sync's that Canvas holds as a quiz: its module item comes back as a Quiz
item (ContextModule#add_item swaps in Assignment#submittable_object). pd-sync reports it and
adds no Assignment item beside it, on this apply or any later one."""

from __future__ import annotations

import canvasapi

from pd_sync.curriculum import Program
from pd_sync.plan import Conflict
from pd_sync.sandbox import Sandbox
from tests.sync.conftest import Sync, active, writes

TITLE = "Networking Activity"


def _make_it_a_quiz_in_canvas(canvas: canvasapi.Canvas) -> None:
    """What a teacher (or an older pd-sync that allowed online_quiz) leaves behind."""
    course = canvas.get_course(1)
    assignment = next(a for a in course.get_assignments() if a.name == TITLE)
    assignment.edit(assignment={"submission_types": ["online_quiz"]})
    module = next(iter(course.get_modules()))
    item = next(i for i in module.get_module_items() if i.title == TITLE)
    item.delete()
    module.create_module_item(module_item={"type": "Assignment", "content_id": assignment.id})


def _items_titled(sandbox: Sandbox) -> list[str]:
    return [
        str(i["type"]) for i in active(sandbox.store.rows("module_items", 1)) if i["title"] == TITLE
    ]


def test_a_quiz_item_for_an_assignment_of_pd_syncs_gets_no_duplicate(
    sandbox: Sandbox, canvas: canvasapi.Canvas, program: Program, sync: Sync
) -> None:
    sync(program)
    _make_it_a_quiz_in_canvas(canvas)
    assert _items_titled(sandbox) == ["Quiz"]
    sandbox.clear_requests()

    planned, _ = sync(program)

    (conflict,) = [a for a in planned.plan.actions if isinstance(a, Conflict)]
    assert conflict.name == TITLE and "a quiz (submission type online_quiz)" in conflict.reason
    assert planned.plan.writes == () and writes(sandbox) == []
    assert _items_titled(sandbox) == ["Quiz"]

    sandbox.clear_requests()
    again, _ = sync(program)
    assert again.plan.writes == () and writes(sandbox) == []
    assert _items_titled(sandbox) == ["Quiz"]
