"""The sync engine against the sandbox: state and request log are the evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import canvasapi

from pd_sync.canvas import CanvasCourse
from pd_sync.curriculum import RECORD_TITLE, Program, load_curriculum
from pd_sync.desired import build_desired
from pd_sync.plan import Conflict, UpdatePage, make_plan
from pd_sync.sandbox import Sandbox
from pd_sync.sync import plan_course
from tests.sync.conftest import Sync, active, writes

LIVE = ("active", "published", "available")


def _by_table(sandbox: Sandbox, table: str) -> list[dict[str, object]]:
    return active(sandbox.store.rows(table, 1))


def test_first_apply_creates_all_of_module_1(
    sandbox: Sandbox, program: Program, sync: Sync
) -> None:
    sync(program)

    pages = _by_table(sandbox, "pages")
    records = [p for p in pages if p["title"] == RECORD_TITLE]
    pages = [p for p in pages if p["title"] != RECORD_TITLE]
    # One unpublished record page proves what pd-sync made (desired.ownership).
    assert [r["workflow_state"] for r in records] == ["unpublished"]
    assert sorted(p["title"] for p in pages) == sorted(p.title for p in program.pages)
    for spec in program.pages:
        row = next(p for p in pages if p["title"] == spec.title)
        assert (row["workflow_state"] == "active") is spec.published
        assert f'data-pd-sync-key="{spec.key}"' in str(row["body"])

    groups = _by_table(sandbox, "assignment_groups")
    assignments = _by_table(sandbox, "assignments")
    deliverables = [d for m in program.modules for d in m.deliverables]
    assert sorted(a["name"] for a in assignments) == sorted(d.title for d in deliverables)
    for deliverable in deliverables:
        row = next(a for a in assignments if a["name"] == deliverable.title)
        group = next(g for g in groups if g["id"] == row["assignment_group_id"])
        assert group["name"] == deliverable.assignment_group
        assert row["workflow_state"] == ("published" if deliverable.published else "unpublished")
        assert float(str(row["points_possible"])) == deliverable.points

    categories = _by_table(sandbox, "group_categories")
    assert sorted(c["name"] for c in categories) == sorted(s.name for s in program.group_sets)
    course_groups = _by_table(sandbox, "groups")
    for spec in program.group_sets:
        category = next(c for c in categories if c["name"] == spec.name)
        names = sorted(g["name"] for g in course_groups if g["group_category_id"] == category["id"])
        assert names == sorted(spec.groups)

    modules = _by_table(sandbox, "modules")
    assert [m["name"] for m in modules] == [m.title for m in program.modules]
    assert modules[0]["workflow_state"] == "active"
    items = sorted(
        (i for i in _by_table(sandbox, "module_items") if i["module_id"] == modules[0]["id"]),
        key=lambda i: int(str(i["position"])),
    )
    desired = build_desired(program, program.cohorts[0]).modules[0]
    assert [(i["type"], i["title"]) for i in items] == [(d.kind, d.title) for d in desired.items]
    headers = [i["title"] for i in items if i["type"] == "SubHeader"]
    assert headers[:6] == [f"Week {w.number}: {w.title}" for w in program.modules[0].weeks]
    assert all(i["workflow_state"] == "active" for i in items)


def test_second_run_is_empty_and_sends_only_gets(
    sandbox: Sandbox, program: Program, sync: Sync, course: CanvasCourse
) -> None:
    sync(program)
    sandbox.clear_requests()

    planned, reports = sync(program)

    assert planned.plan.writes == ()
    assert reports[0].results == ()
    log = sandbox.requests()
    # One per resource type (files included), and the course itself (its name, which the
    # plan shows).
    assert [r.method for r in log] == ["GET"] * 7
    paths = sorted(r.path for r in log)
    assert paths == sorted(
        [
            "/api/v1/courses/1",
            *(
                f"/api/v1/courses/1/{p}"
                for p in (
                    "pages",
                    "assignment_groups",
                    "group_categories",
                    "groups",
                    "modules",
                    "files",
                )
            ),
        ]
    )


def test_editing_one_page_sends_exactly_one_write(
    sandbox: Sandbox, curriculum: Path, program: Program, sync: Sync
) -> None:
    sync(program)
    page = program.pages[-1]
    source = curriculum / page.source
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    sandbox.clear_requests()

    sync(load_curriculum(curriculum))

    assert writes(sandbox) == [f"PUT /api/v1/courses/1/pages/{_slug_of(sandbox, page.title)}"]


def _slug_of(sandbox: Sandbox, title: str) -> str:
    return str(next(p["url"] for p in _by_table(sandbox, "pages") if p["title"] == title))


def test_renaming_a_page_updates_it_in_place_and_links_follow(
    sandbox: Sandbox, program: Program, sync: Sync
) -> None:
    sync(program)
    module = program.modules[0]
    week2 = program.page(module.weeks[1].page)
    before = {p["title"]: p for p in _by_table(sandbox, "pages")}
    old_slug = before[week2.title]["url"]
    linking = [
        t for t, p in before.items() if f"/pages/{old_slug}" in str(p["body"]) and t != week2.title
    ]
    assert linking, "some page should link to week 2"

    renamed = replace(week2, title="Week 2: Reaching Out")
    program2 = replace(
        program, pages=tuple(renamed if p.key == week2.key else p for p in program.pages)
    )
    sync(program2)

    after = {p["title"]: p for p in _by_table(sandbox, "pages")}
    assert len(after) == len(before)
    row = after["Week 2: Reaching Out"]
    assert row["id"] == before[week2.title]["id"]
    assert row["url"] == "week-2-reaching-out"
    for title in linking:
        assert "/pages/week-2-reaching-out" in str(after[title]["body"])
        assert f'/pages/{old_slug}"' not in str(after[title]["body"])
    page_items = [i for i in _by_table(sandbox, "module_items") if i["type"] == "Page"]
    assert any(
        i["content_id"] == row["id"] and i["title"] == "Week 2: Reaching Out" for i in page_items
    )
    assert make_plan(build_desired(program2, program2.cohorts[0]), _observe(sandbox)).writes == ()


def _observe(sandbox: Sandbox) -> object:
    from pd_sync.canvas import connect

    return connect(sandbox.base_url, sandbox.token, 1).observe("America/Denver")


def test_renaming_a_deliverable_updates_the_same_assignment(
    sandbox: Sandbox, program: Program, sync: Sync
) -> None:
    sync(program)
    module = program.modules[0]
    deliverable = module.deliverables[0]
    before = {a["name"]: a["id"] for a in _by_table(sandbox, "assignments")}
    changed = replace(deliverable, title="Networking Conversation")
    program2 = replace(
        program,
        modules=(replace(module, deliverables=(changed, *module.deliverables[1:])),),
    )
    sandbox.clear_requests()
    sync(program2)

    after = {a["name"]: a["id"] for a in _by_table(sandbox, "assignments")}
    assert after["Networking Conversation"] == before[deliverable.title]
    assert len(after) == len(before)
    sent = writes(sandbox)
    assert f"PUT /api/v1/courses/1/assignments/{before[deliverable.title]}" in sent
    assert not [w for w in sent if w.startswith("POST")]  # nothing new was created


def test_moving_the_start_date_changes_only_assignments(
    sandbox: Sandbox, program: Program, sync: Sync
) -> None:
    sync(program)
    cohort = program.cohorts[0]
    moved = replace(cohort, start_date=cohort.start_date + dt.timedelta(days=7))
    sandbox.clear_requests()
    sync(replace(program, cohorts=(moved,)))

    assignment_ids = {a["id"] for a in _by_table(sandbox, "assignments")}
    sent = writes(sandbox)
    assert len(sent) == len(assignment_ids)
    assert all(w.startswith("PUT /api/v1/courses/1/assignments/") for w in sent)


def test_midnight_due_dates_cause_no_perpetual_diff(
    sandbox: Sandbox, program: Program, sync: Sync
) -> None:
    module = program.modules[0]
    first = module.deliverables[0]
    midnight = replace(first, due=replace(first.due, time=dt.time(0, 0)))
    program2 = replace(
        program, modules=(replace(module, deliverables=(midnight, *module.deliverables[1:])),)
    )
    sync(program2)
    stored = next(a for a in _by_table(sandbox, "assignments") if a["name"] == first.title)
    assert str(stored["due_at"]).endswith(("06:59:59Z", "05:59:59Z"))  # 23:59:59 Denver time
    sandbox.clear_requests()
    planned, _ = sync(program2)
    assert planned.plan.writes == ()
    assert writes(sandbox) == []


def test_hand_made_objects_are_never_touched_even_with_prune(
    sandbox: Sandbox, program: Program, sync: Sync
) -> None:
    canvas = canvasapi.Canvas(sandbox.base_url, sandbox.token)
    hand_course = canvas.get_course(1)
    hand_course.create_page(wiki_page={"title": "Office Hours", "body": "<p>Tue 3pm</p>"})
    hand_course.create_assignment(assignment={"name": "Hand Quiz", "published": True})
    hand_course.create_module(module={"name": "Extras"})
    sync(program)
    managed = next(
        m for m in _by_table(sandbox, "modules") if m["name"] == program.modules[0].title
    )
    module = hand_course.get_module(managed["id"])
    module.create_module_item(
        module_item={"type": "Page", "page_url": "office-hours", "position": 3}
    )
    snapshot = {t: sandbox.store.rows(t, 1) for t in ("pages", "assignments", "modules")}
    hand_item = [i for i in _by_table(sandbox, "module_items") if i["title"] == "Office Hours"]

    sandbox.clear_requests()
    planned, _ = sync(program, prune=True)

    assert planned.plan.writes == ()
    assert writes(sandbox) == []
    for table, rows in snapshot.items():
        assert sandbox.store.rows(table, 1) == rows
    assert [
        i for i in _by_table(sandbox, "module_items") if i["title"] == "Office Hours"
    ] == hand_item


def test_a_title_taken_by_a_hand_made_page_is_a_conflict(
    sandbox: Sandbox, program: Program, course: CanvasCourse
) -> None:
    title = program.pages[0].title
    canvasapi.Canvas(sandbox.base_url, sandbox.token).get_course(1).create_page(
        wiki_page={"title": title, "body": "<p>mine</p>"}
    )
    planned = plan_course(program, program.cohorts[0], course)
    conflicts = [a for a in planned.plan.actions if isinstance(a, Conflict)]
    assert [c.object_name for c in conflicts] == [title]


def test_content_edited_in_canvas_is_drift(
    sandbox: Sandbox, program: Program, sync: Sync, course: CanvasCourse
) -> None:
    sync(program)
    slug = _slug_of(sandbox, program.pages[0].title)
    page = canvasapi.Canvas(sandbox.base_url, sandbox.token).get_course(1).get_page(slug)
    page.edit(wiki_page={"body": page.body.replace("</div>", "<p>Added in Canvas</p></div>")})

    planned = plan_course(program, program.cohorts[0], course)

    updates = [a for a in planned.plan.actions if isinstance(a, UpdatePage)]
    assert [(u.title, u.drift) for u in updates] == [(program.pages[0].title, True)]
    assert "edited in Canvas" in updates[0].reason


def test_dry_run_style_planning_sends_no_write(
    sandbox: Sandbox, program: Program, course: CanvasCourse
) -> None:
    planned = plan_course(program, program.cohorts[0], course)
    assert planned.plan.has_changes
    assert writes(sandbox) == []
    assert not sandbox.manage_sis  # everything above works with a teacher token


def test_root_relative_images_are_not_mistaken_for_drift(
    sandbox: Sandbox, program: Program, sync: Sync
) -> None:
    page = program.pages[0]
    with_image = replace(page, body_markdown=page.body_markdown + "\n\n![logo](/images/logo.png)\n")
    program2 = replace(program, pages=(with_image, *program.pages[1:]))
    sync(program2)
    stored = next(p for p in _by_table(sandbox, "pages") if p["title"] == page.title)
    assert "/images/logo.png" in str(stored["body"])
    sandbox.clear_requests()
    planned, _ = sync(program2)
    assert planned.plan.writes == ()
    assert writes(sandbox) == []
