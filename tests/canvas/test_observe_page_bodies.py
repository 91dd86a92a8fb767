"""observe() on a Canvas whose pages list leaves bodies out (older releases): each page is read
on its own, so pd-sync's pages keep their markers and are never taken for hand-made ones."""

from __future__ import annotations

from pd_sync.canvas import CanvasCourse
from pd_sync.curriculum import Program, is_reserved_title
from pd_sync.sandbox import Sandbox
from tests.sync.conftest import Sync, active

LISTS = {"pages", "assignment_groups", "group_categories", "groups", "modules", "files"}


def _gets(sandbox: Sandbox) -> list[str]:
    return [r.path.removeprefix("/api/v1/courses/1/") for r in sandbox.requests()]


def test_old_canvas_reads_each_page_once_and_keeps_its_key(
    sandbox: Sandbox, program: Program, sync: Sync, course: CanvasCourse
) -> None:
    sync(program)
    stored = active(sandbox.store.rows("pages", 1))
    slugs = sorted(str(p["url"]) for p in stored)
    # The ownership record is read like any page, but observe() keeps it apart.
    ordinary = sorted(str(p["url"]) for p in stored if not is_reserved_title(p["title"]))
    sandbox.canvas_version = "old"
    sandbox.clear_requests()

    observed = course.observe(program.cohorts[0].time_zone)

    assert observed.page_bodies_read_one_by_one
    assert all(page.key is not None for page in observed.pages)
    assert all(page.content_digest == page.digest for page in observed.pages)
    assert sorted(page.url or "" for page in observed.pages) == ordinary != slugs
    assert observed.ownership.ids
    # The course itself (its name, for the plan) and the six list reads, then one GET per
    # page, each page exactly once.
    paths = _gets(sandbox)
    assert paths.count("/api/v1/courses/1") == 1
    assert {p for p in paths if "/" not in p} == LISTS
    assert len(paths) == 1 + len(LISTS) + len(slugs)
    assert sorted(p.removeprefix("pages/") for p in paths if p.startswith("pages/")) == slugs


def test_current_canvas_reads_no_page_on_its_own(
    sandbox: Sandbox, program: Program, sync: Sync, course: CanvasCourse
) -> None:
    sync(program)
    sandbox.clear_requests()

    observed = course.observe(program.cohorts[0].time_zone)

    assert not observed.page_bodies_read_one_by_one
    # The course itself (for its name) and the six lists; no page on its own.
    assert sorted(_gets(sandbox)) == sorted([*LISTS, "/api/v1/courses/1"])
