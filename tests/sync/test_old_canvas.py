"""Syncing to an older Canvas whose pages list ignores include[]=body (canvas-api.md §14)."""

from __future__ import annotations

from pd_sync.curriculum import Program, is_reserved_title
from pd_sync.preview import render_markdown, render_text
from pd_sync.preview.text import plan_to_dict
from pd_sync.sandbox import Sandbox
from tests.sync.conftest import Sync, active, writes


def test_two_applies_on_old_canvas_the_second_writes_nothing(
    sandbox: Sandbox, program: Program, sync: Sync
) -> None:
    sandbox.canvas_version = "old"
    sync(program)
    pages = active(sandbox.store.rows("pages", 1))
    sandbox.clear_requests()

    planned, reports = sync(program)

    assert writes(sandbox) == [] and reports[0].results == ()
    data = plan_to_dict(planned.plan)
    assert data["actions"] == [] and data["summary"]["review"] == 0
    # Reads: the course itself (its name for the plan), the usual six list reads, plus one GET
    # per page, since this Canvas's list has no bodies and the marker that proves a page is
    # pd-sync's is in the body.
    assert len(sandbox.requests()) == 7 + len(pages)
    text = render_text(planned.plan)
    assert text[-2] == "No changes: the course matches the curriculum."
    notes = [line for line in text if line.startswith("Note: ")]
    # The note counts the course's pages; pd-sync's ownership record is one more read.
    ordinary = [p for p in pages if not is_reserved_title(p["title"])]
    assert len(ordinary) == len(pages) - 1
    assert len(notes) == 1 and f"each of the {len(ordinary)} pages on its own" in notes[0]
    assert render_markdown(planned.plan, "c").count("_Note: ") == 1
    assert data["notes"] == list(planned.plan.notes)
