"""Issue 14 item 1: places where the sandbox was kinder than canvas-lms (canvas-api.md §14)."""

from __future__ import annotations

from typing import Any

import pytest
from canvasapi.exceptions import BadRequest

from pd_sync.sandbox import Sandbox

from .conftest import Http

# (sent, stored): each pair is what canvas_sanitize.rb's SANITIZE keeps of the HTML.
SANITISED = [
    # a[href] takes ftp http https mailto tel skype and relative; the rest of the tag survives.
    ('<a href="pd-sync-page:x" aria-current="page">x</a>', "<a>x</a>"),
    ('<p aria-label="ok" aria-posinset="2">t</p>', '<p aria-label="ok">t</p>'),
    ('<ol><li value="3">a</li></ol>', "<ol><li>a</li></ol>"),
    ("<details open><summary>s</summary></details>", "<details><summary>s</summary></details>"),
    ('<time datetime="2024-01-01">t</time>', "<time>t</time>"),
    ('<p style="font-weight: bold; color: red">x</p>', '<p style="color: red">x</p>'),
    ('<p style="text-transform: uppercase; bottom: 0">x</p>', "<p>x</p>"),
    ('<p style="border-top-left-radius: 2px; outline: 0">x</p>', "<p>x</p>"),
    # area has no protocol entry of its own: it gets http/https/relative only.
    (
        '<map name="m"><area href="mailto:a@b.c" alt="a"></map>',
        '<map name="m"><area alt="a"></map>',
    ),
    # data-* names: ASCII word characters, '.', '-' and some Latin letters; no ':'.
    ('<div data-a:b="1" data-ok="2">d</div>', '<div data-ok="2">d</div>'),
    ('<a data-url="javascript:x" href=" https://e.x/ ">a</a>', '<a href="https://e.x/">a</a>'),
    ('<video src="x.mp4" autoplay loop preload="auto"></video>', '<video src="x.mp4"></video>'),
    (
        '<table><colgroup><col align="left" span="2"></colgroup></table>',
        '<table><colgroup><col span="2"></colgroup></table>',
    ),
]


@pytest.mark.parametrize(("sent", "stored"), SANITISED)
def test_page_body_is_sanitised_as_canvas_does(course: Any, sent: str, stored: str) -> None:
    page = course.create_page(wiki_page={"title": "Sanitised", "body": sent})
    assert course.get_page(page.url).body == stored


def test_assignment_description_is_sanitised_too(course: Any) -> None:
    assignment = course.create_assignment(
        {
            "name": "A",
            "description": '<p style="font-weight: 700">x <a href="pd-sync-page:p">y</a></p>',
        }
    )
    assert course.get_assignment(assignment.id).description == "<p>x <a>y</a></p>"


def _states(sandbox: Sandbox, table: str) -> dict[int, str]:
    return {r["id"]: r["workflow_state"] for r in sandbox.store.rows(table, 1)}


def test_publishing_with_skip_content_tags_leaves_the_content_alone(
    sandbox: Sandbox, course: Any, http: Http
) -> None:
    page = course.create_page(wiki_page={"title": "Overview"})
    module = course.create_module({"name": "Mod"})
    item = module.create_module_item({"type": "Page", "page_url": page.url})
    header = module.create_module_item({"type": "SubHeader", "title": "Part 1"})
    assert header.published is False

    response = http.put(
        f"/api/v1/courses/1/modules/{module.id}",
        data={"module[published]": "true", "module[skip_content_tags]": "true"},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["published"], body["publish_warning"], body["unpublish_warning"]) == (
        True,
        False,
        False,
    )
    assert _states(sandbox, "pages") == {page.page_id: "unpublished"}
    assert _states(sandbox, "module_items") == {item.id: "unpublished", header.id: "unpublished"}


def test_unpublishing_a_module_keeps_submitted_assignments_published(
    sandbox: Sandbox, course: Any, http: Http
) -> None:
    graded = course.create_assignment({"name": "Graded", "published": True})
    free = course.create_assignment({"name": "Free", "published": True})
    module = course.create_module({"name": "Mod"})
    graded_item = module.create_module_item({"type": "Assignment", "content_id": graded.id})
    free_item = module.create_module_item({"type": "Assignment", "content_id": free.id})
    module.edit(module={"published": True})
    sandbox.add_submission(graded.id)

    response = http.put(f"/api/v1/courses/1/modules/{module.id}", data={"module[published]": "0"})

    assert response.json()["unpublish_warning"] is True
    assert _states(sandbox, "assignments") == {graded.id: "published", free.id: "unpublished"}
    assert _states(sandbox, "module_items") == {
        graded_item.id: "active",
        free_item.id: "unpublished",
    }
    assert module.get_module_item(graded_item.id).unpublishable is False


def test_deleted_module_items_keep_their_position_slots(course: Any) -> None:
    module = course.create_module({"name": "Mod"})
    items = [module.create_module_item({"type": "SubHeader", "title": f"H{n}"}) for n in (1, 2, 3)]
    items[1].delete()
    fourth = module.create_module_item({"type": "SubHeader", "title": "H4"})

    assert [(i.title, i.position) for i in module.get_module_items()] == [
        ("H1", 1),
        ("H3", 3),
        ("H4", 4),
    ]
    # insert_at is absolute and shifts the rows in between, the deleted H2 among them (2 -> 3),
    # so H3 goes from 3 to 4 and the gap moves with it.
    fourth.edit(module_item={"position": 2})
    assert [(i.title, i.position) for i in module.get_module_items()] == [
        ("H1", 1),
        ("H4", 2),
        ("H3", 4),
    ]


def test_a_new_item_may_ask_for_a_later_empty_slot(course: Any) -> None:
    module = course.create_module({"name": "Mod"})
    item = module.create_module_item({"type": "SubHeader", "title": "Far", "position": 5})
    assert item.position == 5


def test_put_to_a_missing_page_id_creates_a_page(sandbox: Sandbox, http: Http) -> None:
    response = http.put("/api/v1/courses/1/pages/page_id:99", data={"wiki_page[body]": "<p>b</p>"})

    assert response.status_code == 200
    assert response.json()["body"] == "<p>b</p>"
    assert len(sandbox.store.rows("pages", 1)) == 1
    blank = http.put("/api/v1/courses/1/pages/gone", data={"wiki_page[title]": " "})
    assert blank.status_code == 400


def test_moving_a_groups_assignments_to_itself_deletes_them(sandbox: Sandbox, course: Any) -> None:
    group = course.create_assignment_group(name="Homework")
    assignment = course.create_assignment({"name": "HW 1", "assignment_group_id": group.id})

    group.delete(move_assignments_to=group.id)

    assert _states(sandbox, "assignments") == {assignment.id: "deleted"}
    assert [a.id for a in course.get_assignments()] == []


@pytest.mark.parametrize(
    ("kind", "item_type", "table"),
    [
        ("online_quiz", "Quiz", "quizzes"),
        ("discussion_topic", "Discussion", "discussion_topics"),
    ],
)
def test_quiz_and_discussion_assignments_become_their_object_in_modules(
    sandbox: Sandbox, course: Any, kind: str, item_type: str, table: str
) -> None:
    for n in range(3):
        course.create_assignment({"name": f"Plain {n}"})
    assignment = course.create_assignment({"name": "Check", "submission_types": [kind]})
    module = course.create_module({"name": "Mod"})

    item = module.create_module_item({"type": "Assignment", "content_id": assignment.id})

    objects = sandbox.store.rows(table, 1)
    assert [(o["assignment_id"], o["title"]) for o in objects] == [(assignment.id, "Check")]
    assert (item.type, item.content_id) == (item_type, objects[0]["id"])
    assert item.content_id != assignment.id


def test_student_annotation_needs_its_attachment(http: Http) -> None:
    response = http.post(
        "/api/v1/courses/1/assignments",
        data={"assignment[name]": "Read", "assignment[submission_types][]": "student_annotation"},
    )
    assert response.status_code == 400
    assert "annotatable_attachment_id" in response.json()["errors"]


def test_an_assignment_with_submissions_cannot_be_unpublished(
    sandbox: Sandbox, course: Any, http: Http
) -> None:
    assignment = course.create_assignment({"name": "Essay", "published": True})
    control = http.post("/_sandbox/submissions", json={"assignment_id": assignment.id})
    assert control.status_code == 200

    shown = course.get_assignment(assignment.id)
    assert (shown.unpublishable, shown.has_submitted_submissions) == (False, True)
    with pytest.raises(BadRequest, match="Can't unpublish if there are student submissions"):
        shown.edit(assignment={"published": False})
    assert _states(sandbox, "assignments") == {assignment.id: "published"}


def test_old_canvas_pages_list_has_no_bodies() -> None:
    import requests

    with Sandbox(canvas_version="old") as old:
        old.ensure_course(1)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {old.token}"
        base = f"{old.base_url}/api/v1/courses/1/pages"
        session.post(
            base, data={"wiki_page[title]": "P", "wiki_page[body]": "<p>b</p>"}, timeout=10
        )
        listed = session.get(base, params={"include[]": "body"}, timeout=10).json()
        shown = session.get(f"{base}/p", timeout=10).json()
        session.close()
    assert [("body" in p, p["title"]) for p in listed] == [(False, "P")]
    assert shown["body"] == "<p>b</p>"


def test_canvas_version_is_checked_and_settable_over_http(sandbox: Sandbox, http: Http) -> None:
    with pytest.raises(ValueError, match="canvas_version"):
        Sandbox(canvas_version="2019")
    try:
        assert http.post("/_sandbox/config", json={"canvas_version": "old"}).status_code == 200
        assert sandbox.canvas_version == "old"
    finally:
        sandbox.canvas_version = "current"
