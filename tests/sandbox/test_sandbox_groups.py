"""Group categories and groups: name rules, SIS permission errors, soft deletes."""

from __future__ import annotations

from typing import Any

import canvasapi
import pytest
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist, Unauthorized

from pd_sync.sandbox import Sandbox

from .conftest import Http


def test_category_crud(sandbox: Sandbox, canvas: canvasapi.Canvas, course: Any) -> None:
    category = course.create_group_category("Homeroom Groups", self_signup="enabled", group_limit=6)
    assert (category.name, category.self_signup, category.group_limit) == (
        "Homeroom Groups",
        "enabled",
        6,
    )
    assert category.context_type == "Course" and category.course_id == 1
    assert not hasattr(category, "sis_group_category_id")  # teachers cannot read it

    fetched = canvas.get_group_category(category.id)
    assert fetched.name == "Homeroom Groups"
    updated = fetched.update(name="Homerooms")
    assert updated.name == "Homerooms"
    assert [c.name for c in course.get_group_categories()] == ["Homerooms"]
    assert sandbox.store.rows("group_categories", 1)[0]["name"] == "Homerooms"


def test_category_names_are_unique_among_live_categories(http: Http, course: Any) -> None:
    first = course.create_group_category("Mix It Up Groups")
    duplicate = http.post("/api/v1/courses/1/group_categories", data={"name": "Mix It Up Groups"})
    assert duplicate.status_code == 400
    message = "Mix It Up Groups is already in use."
    assert duplicate.json() == {
        "errors": {"name": [{"attribute": "name", "type": message, "message": message}]}
    }
    with pytest.raises(BadRequest):
        course.create_group_category("Mix It Up Groups")

    first.delete()
    again = course.create_group_category("Mix It Up Groups")
    assert again.id != first.id


def test_reserved_and_blank_category_names(http: Http) -> None:
    for name in ("Student Groups", "Imported Groups", ""):
        response = http.post("/api/v1/courses/1/group_categories", data={"name": name})
        assert response.status_code == 400
        assert "name" in response.json()["errors"]


def test_category_sis_id_needs_manage_sis_but_the_category_is_saved(
    sandbox: Sandbox, http: Http
) -> None:
    response = http.post(
        "/api/v1/courses/1/group_categories",
        data={"name": "Homeroom Groups", "sis_group_category_id": "HR"},
    )
    assert response.status_code == 401
    assert response.json() == {
        "message": "You must have manage_sis permission to set sis attributes"
    }
    assert "WWW-Authenticate" not in response.headers
    rows = sandbox.store.rows("group_categories", 1)
    assert [(r["name"], r["sis_group_category_id"]) for r in rows] == [("Homeroom Groups", None)]


def test_category_sis_id_with_manage_sis(sandbox: Sandbox, http: Http, course: Any) -> None:
    sandbox.manage_sis = True
    category = course.create_group_category("Homeroom Groups", sis_group_category_id="HR")
    assert category.sis_group_category_id == "HR"
    found = http.get("/api/v1/group_categories/sis_group_category_id:HR")
    assert found.json()["id"] == category.id


def test_unknown_category_body(http: Http) -> None:
    response = http.get("/api/v1/group_categories/987654")
    assert (response.status_code, response.json()) == (404, {"status": "not found"})


def test_groups_crud(sandbox: Sandbox, canvas: canvasapi.Canvas, course: Any) -> None:
    category = course.create_group_category("Homeroom Groups")
    group = category.create_group(
        name="Homeroom 1", description="Wednesday", join_level="invitation_only"
    )
    assert (group.name, group.description, group.group_category_id) == (
        "Homeroom 1",
        "Wednesday",
        category.id,
    )
    assert group.group_category["id"] == category.id  # create responses embed the category

    edited = canvas.get_group(group.id).edit(name="Homeroom One")
    assert edited.name == "Homeroom One"
    assert sandbox.store.rows("groups", 1)[0]["name"] == "Homeroom One"

    canvas.get_group(group.id).delete()
    assert sandbox.store.rows("groups", 1)[0]["workflow_state"] == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_group(group.id)


def test_group_listing_order(course: Any) -> None:
    mix = course.create_group_category("Mix")
    home = course.create_group_category("Home")
    for name in ("B", "A"):
        mix.create_group(name=f"Mix {name}")
        home.create_group(name=f"Home {name}")

    assert [g.name for g in course.get_groups()] == ["Mix A", "Mix B", "Home A", "Home B"]
    assert [g.name for g in home.get_groups()] == ["Home A", "Home B"]
    assert {g.group_category_id for g in course.get_groups()} == {mix.id, home.id}


def test_deleting_a_category_deletes_its_groups(sandbox: Sandbox, course: Any) -> None:
    category = course.create_group_category("Mix")
    category.create_group(name="Mix 1")
    category.create_group(name="Mix 2")
    category.delete()

    assert sandbox.store.rows("group_categories", 1)[0]["workflow_state"] == "deleted"
    assert {g["workflow_state"] for g in sandbox.store.rows("groups", 1)} == {"deleted"}
    assert list(course.get_groups()) == []
    assert list(course.get_group_categories()) == []


def test_create_group_count(course: Any) -> None:
    category = course.create_group_category("Homeroom Groups", create_group_count=3)
    assert [g.name for g in category.get_groups()] == [
        "Homeroom Group 1",
        "Homeroom Group 2",
        "Homeroom Group 3",
    ]


def test_group_sis_id_needs_manage_sis(sandbox: Sandbox, http: Http, course: Any) -> None:
    category = course.create_group_category("Mix")
    create = http.post(
        f"/api/v1/group_categories/{category.id}/groups", data={"name": "G", "sis_group_id": "G1"}
    )
    assert create.status_code == 401
    assert create.json() == {"message": "You must have manage_sis permission to set sis attributes"}
    assert sandbox.store.rows("groups", 1) == []
    with pytest.raises(Unauthorized):
        category.create_group(name="G", sis_group_id="G1")

    group = category.create_group(name="G")
    update = http.put(f"/api/v1/groups/{group.id}", data={"sis_group_id": "G1"})
    assert update.status_code == 401
    assert update.json() == {
        "message": "You must have manage_sis permission to update sis attributes"
    }

    sandbox.manage_sis = True
    allowed = http.put(f"/api/v1/groups/{group.id}", data={"sis_group_id": "G1"})
    assert allowed.json()["sis_group_id"] == "G1"
