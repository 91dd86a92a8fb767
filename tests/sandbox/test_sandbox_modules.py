"""Modules and module items: unpublished creation, publish cascades, content sync, positions."""

from __future__ import annotations

from typing import Any

import pytest
from canvasapi.exceptions import BadRequest

from pd_sync.sandbox import Sandbox

from .conftest import Http


def _states(sandbox: Sandbox, table: str) -> dict[int, str]:
    return {r["id"]: r["workflow_state"] for r in sandbox.store.rows(table, 1)}


def test_modules_are_always_created_unpublished(sandbox: Sandbox, course: Any) -> None:
    module = course.create_module({"name": "Mod 1", "published": True})

    assert module.published is False
    assert module.items_count == 0
    assert module.items_url == f"{sandbox.base_url}/api/v1/courses/1/modules/{module.id}/items"
    assert not hasattr(module, "workflow_state")
    assert _states(sandbox, "modules") == {module.id: "unpublished"}


def test_module_validation(http: Http) -> None:
    missing = http.post("/api/v1/courses/1/modules", data={"name": "x"})
    assert (missing.status_code, missing.json()) == (400, {"message": "missing module parameter"})
    nameless = http.post("/api/v1/courses/1/modules", data={"module[position]": "1"})
    assert (nameless.status_code, nameless.json()) == (400, {"message": "missing module name"})


def test_publish_cascades_to_items_and_content(sandbox: Sandbox, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "Overview"})
    assignment = course.create_assignment({"name": "Rough Draft"})
    module = course.create_module({"name": "Mod 1"})
    page_item = module.create_module_item({"type": "Page", "page_url": page.url})
    assignment_item = module.create_module_item({"type": "Assignment", "content_id": assignment.id})
    header = module.create_module_item({"type": "SubHeader", "title": "Week 1"})
    assert (page_item.published, assignment_item.published, header.published) == (
        False,
        False,
        False,
    )

    published = module.edit(module={"published": True})

    assert published.published is True
    assert set(_states(sandbox, "module_items").values()) == {"active"}
    assert _states(sandbox, "pages") == {page.page_id: "active"}
    assert _states(sandbox, "assignments") == {assignment.id: "published"}
    assert course.get_page(page.url).published is True

    module.edit(module={"published": False})
    assert set(_states(sandbox, "module_items").values()) == {"unpublished"}
    assert _states(sandbox, "pages") == {page.page_id: "unpublished"}
    assert _states(sandbox, "assignments") == {assignment.id: "unpublished"}


def test_unpublish_can_skip_content(sandbox: Sandbox, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "Overview", "published": True})
    module = course.create_module({"name": "Mod 1"})
    module.create_module_item({"type": "Page", "page_url": page.url})
    module.edit(module={"published": True})

    module.edit(module={"published": False, "skip_content_tags": True})

    assert _states(sandbox, "modules") == {module.id: "unpublished"}
    assert _states(sandbox, "pages") == {page.page_id: "active"}


def test_list_with_items_and_ordering(course: Any) -> None:
    second = course.create_module({"name": "Second"})
    first = course.create_module({"name": "First", "position": 1})
    first.create_module_item({"type": "SubHeader", "title": "Week 1"})

    modules = list(course.get_modules(include=["items"]))

    assert [(m.name, m.position) for m in modules] == [("First", 1), ("Second", 2)]
    assert [i["title"] for i in modules[0].items] == ["Week 1"]
    assert modules[1].items == []
    assert not hasattr(next(iter(course.get_modules())), "items")
    assert second.id == modules[1].id


def test_items_are_omitted_for_modules_over_100_items(sandbox: Sandbox, course: Any) -> None:
    module = course.create_module({"name": "Big"})
    for n in range(101):
        module.create_module_item({"type": "SubHeader", "title": f"H{n}"})

    listed = next(iter(course.get_modules(include=["items"])))

    assert listed.items_count == 101
    assert not hasattr(listed, "items")
    assert len(list(module.get_module_items())) == 101


def test_delete_module_deletes_items(sandbox: Sandbox, course: Any) -> None:
    module = course.create_module({"name": "Gone"})
    module.create_module_item({"type": "SubHeader", "title": "H"})
    module.delete()

    assert _states(sandbox, "modules") == {module.id: "deleted"}
    assert set(_states(sandbox, "module_items").values()) == {"deleted"}
    assert list(course.get_modules()) == []


def test_prerequisites_must_come_earlier(course: Any) -> None:
    first = course.create_module({"name": "First"})
    second = course.create_module({"name": "Second"})
    later = course.create_module({"name": "Later"})
    edited = second.edit(module={"prerequisite_module_ids": [first.id, later.id]})
    assert edited.prerequisite_module_ids == [first.id]


def test_item_shapes(sandbox: Sandbox, course: Any) -> None:
    course.create_page(wiki_page={"title": "Overview", "published": True})
    assignment = course.create_assignment({"name": "Draft"})
    module = course.create_module({"name": "Mod 1"})
    base = sandbox.base_url

    page_item = module.create_module_item(
        {"type": "Page", "page_url": "overview", "completion_requirement": {"type": "must_view"}}
    )
    assert page_item.title == "Overview" and page_item.published is True
    assert page_item.page_url == "overview"
    assert not hasattr(page_item, "content_id")
    assert page_item.url == f"{base}/api/v1/courses/1/pages/overview"
    assert page_item.html_url == f"{base}/courses/1/modules/items/{page_item.id}"
    assert page_item.completion_requirement == {"type": "must_view"}

    assignment_item = module.create_module_item(
        {"type": "Assignment", "content_id": assignment.id, "indent": 1}
    )
    assert (assignment_item.content_id, assignment_item.indent) == (assignment.id, 1)
    assert assignment_item.url == f"{base}/api/v1/courses/1/assignments/{assignment.id}"

    link = module.create_module_item(
        {
            "type": "ExternalUrl",
            "title": "Docs",
            "external_url": "https://example.org",
            "new_tab": True,
        }
    )
    assert (link.external_url, link.new_tab, link.published) == ("https://example.org", True, False)
    header = module.create_module_item({"type": "SubHeader", "title": "Week 1"})
    assert not hasattr(header, "html_url") and not hasattr(header, "url")


def test_item_content_validation(http: Http, course: Any) -> None:
    module = course.create_module({"name": "Mod"})
    deleted = course.create_page(wiki_page={"title": "Deleted"})
    deleted.delete()
    course.create_page(wiki_page={"title": "Real Page"})
    path = f"/api/v1/courses/1/modules/{module.id}/items"

    cases = [
        ({"module_item[type]": "Page"}, "missing page_url parameter"),
        (
            {"module_item[type]": "Page", "module_item[page_url]": "Real Page"},
            "invalid page_url parameter",
        ),
        (
            {"module_item[type]": "Page", "module_item[page_url]": "deleted"},
            "invalid page_url parameter",
        ),
        (
            {"module_item[type]": "Assignment", "module_item[content_id]": "999"},
            "Could not find content",
        ),
        ({"module_item[type]": "Quiz", "module_item[content_id]": "1"}, "Could not find content"),
        ({"type": "Page"}, "missing module item parameter"),
    ]
    for data, message in cases:
        response = http.post(path, data=data)
        assert (response.status_code, response.json()) == (400, {"message": message})
    with pytest.raises(BadRequest):
        module.create_module_item({"type": "Page", "page_url": "nope"})


def test_item_positions_insert_and_shift(sandbox: Sandbox, course: Any) -> None:
    module = course.create_module({"name": "Mod"})
    for title in ("a", "b", "c"):
        module.create_module_item({"type": "SubHeader", "title": title})
    module.create_module_item({"type": "SubHeader", "title": "first", "position": 1})
    moved = next(i for i in module.get_module_items() if i.title == "c")
    moved.edit(module_item={"position": 2})

    assert [(i.title, i.position) for i in module.get_module_items()] == [
        ("first", 1),
        ("c", 2),
        ("a", 3),
        ("b", 4),
    ]
    assert sorted(r["position"] for r in sandbox.store.rows("module_items", 1)) == [1, 2, 3, 4]


def test_item_publish_and_rename_reach_the_content(sandbox: Sandbox, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "Overview"})
    assignment = course.create_assignment({"name": "Draft"})
    module = course.create_module({"name": "Mod"})
    page_item = module.create_module_item({"type": "Page", "page_url": page.url})
    assignment_item = module.create_module_item({"type": "Assignment", "content_id": assignment.id})

    renamed = page_item.edit(module_item={"title": "Course Overview", "published": True})
    assignment_item.edit(module_item={"published": True, "title": "Final Draft"})

    assert (renamed.title, renamed.page_url, renamed.published) == (
        "Course Overview",
        "course-overview",
        True,
    )
    stored_page = sandbox.store.rows("pages", 1)[0]
    assert (stored_page["title"], stored_page["url"], stored_page["workflow_state"]) == (
        "Course Overview",
        "course-overview",
        "active",
    )
    stored = sandbox.store.rows("assignments", 1)[0]
    assert (stored["name"], stored["workflow_state"]) == ("Final Draft", "published")


def test_content_changes_update_items(sandbox: Sandbox, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "Overview"})
    assignment = course.create_assignment({"name": "Draft"})
    module = course.create_module({"name": "Mod"})
    module.create_module_item({"type": "Page", "page_url": page.url})
    module.create_module_item({"type": "Assignment", "content_id": assignment.id})

    page.edit(wiki_page={"title": "Welcome", "published": True})
    assignment.edit(assignment={"name": "Draft v2", "published": True})

    items = list(module.get_module_items())
    assert [(i.title, i.published) for i in items] == [("Welcome", True), ("Draft v2", True)]
    assert items[0].page_url == "welcome"

    page.delete()
    assert [i.title for i in module.get_module_items()] == ["Draft v2"]


def test_item_delete_and_move(sandbox: Sandbox, http: Http, course: Any) -> None:
    one = course.create_module({"name": "One"})
    two = course.create_module({"name": "Two"})
    keep = one.create_module_item({"type": "SubHeader", "title": "keep"})
    gone = one.create_module_item({"type": "SubHeader", "title": "gone"})

    gone.delete()
    moved = keep.edit(module_item={"module_id": two.id})

    assert moved.module_id == two.id
    assert [i.title for i in two.get_module_items()] == ["keep"]
    assert list(one.get_module_items()) == []
    assert _states(sandbox, "module_items")[gone.id] == "deleted"
    bad = http.put(
        f"/api/v1/courses/1/modules/{two.id}/items/{keep.id}",
        data={"module_item[module_id]": "999"},
    )
    assert (bad.status_code, bad.json()) == (400, {"message": "invalid module_id"})


def test_get_one_module_and_item(http: Http, course: Any) -> None:
    module = course.create_module({"name": "Mod"})
    item = module.create_module_item({"type": "SubHeader", "title": "Week 1"})

    assert course.get_module(module.id).name == "Mod"
    assert module.get_module_item(item.id).title == "Week 1"
    with_items = http.get(f"/api/v1/courses/1/modules/{module.id}", params={"include[]": "items"})
    assert [i["id"] for i in with_items.json()["items"]] == [item.id]
    other = course.create_module({"name": "Other"})
    wrong_module = http.get(f"/api/v1/courses/1/modules/{other.id}/items/{item.id}")
    assert wrong_module.status_code == 404
