"""Module item order converges in one apply when Canvas's live positions have gaps.

Canvas keeps a deleted item's position slot (ContentTag is acts_as_list and its destroy only
marks the row deleted), and ``position`` on an item update is absolute; the sandbox models both.
"""

from __future__ import annotations

import random

import canvasapi

from pd_sync.canvas import CanvasCourse
from pd_sync.curriculum import Program
from pd_sync.desired import build_desired
from pd_sync.plan import MoveModuleItem
from pd_sync.sandbox import Sandbox
from pd_sync.sync import plan_course
from tests.sync.conftest import Sync, writes


def _live_titles(sandbox: Sandbox) -> list[str]:
    rows = [r for r in sandbox.store.rows("module_items") if r["workflow_state"] != "deleted"]
    return [r["title"] for r in sorted(rows, key=lambda r: (r["position"], r["id"]))]


def _make_gaps_and_shuffle(canvas: canvasapi.Canvas, course_id: int, seed: int) -> str:
    module = next(iter(canvas.get_course(course_id).get_modules()))
    # Hand items in between, most of them deleted again: their slots stay behind.
    made = [
        module.create_module_item({"type": "SubHeader", "title": f"Hand {n}", "position": p})
        for n, p in enumerate((2, 5, 9, 14))
    ]
    for item in made[1:]:
        item.delete()
    items = list(module.get_module_items())
    rng = random.Random(seed)
    for item in rng.sample(items, 6):
        item.edit(module_item={"position": rng.randint(1, len(items) + 6)})
    return made[0].title


def test_reordered_items_with_gaps_converge_in_one_apply(
    sandbox: Sandbox, canvas: canvasapi.Canvas, program: Program, course: CanvasCourse, sync: Sync
) -> None:
    sync(program)
    cohort = program.cohorts[0]
    curriculum_order = [i.title for m in build_desired(program, cohort).modules for i in m.items]
    for seed in range(5):
        hand = _make_gaps_and_shuffle(canvas, cohort.course_id, seed)
        before = _live_titles(sandbox)
        sandbox.clear_requests()
        planned, _ = sync(program)
        moves = [a for a in planned.plan.writes if isinstance(a, MoveModuleItem)]
        assert moves and len(moves) == len(planned.plan.writes)
        assert len(writes(sandbox)) == len(moves)  # one PUT per move, no follow-up pass
        after = _live_titles(sandbox)
        assert [t for t in after if not t.startswith("Hand")] == curriculum_order
        # The hand item keeps its place among its neighbours.
        assert after.index(hand) == before.index(hand)
        assert plan_course(program, cohort, course).plan.writes == ()
        for item in next(
            iter(canvas.get_course(cohort.course_id).get_modules())
        ).get_module_items():
            if item.title.startswith("Hand"):
                item.delete()
