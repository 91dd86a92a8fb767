"""Assignments and assignment groups through canvasapi, checked against stored state."""

from __future__ import annotations

from typing import Any

import pytest
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist

from pd_sync.sandbox import Sandbox

from .conftest import Http


def _row(sandbox: Sandbox, table: str, row_id: int) -> dict[str, Any]:
    return next(r for r in sandbox.store.rows(table, 1) if r["id"] == row_id)


def test_create_defaults(sandbox: Sandbox, course: Any) -> None:
    created = course.create_assignment({"name": "Networking Activity", "points_possible": 10})

    assert created.published is False
    assert created.workflow_state == "unpublished"
    assert created.points_possible == 10.0
    assert isinstance(created.points_possible, float)
    assert created.submission_types == ["none"]
    assert created.grading_type == "points"
    assert created.course_id == 1
    assert created.html_url == f"{sandbox.base_url}/courses/1/assignments/{created.id}"
    assert created.sis_assignment_id is None and created.integration_data == {}
    post = [r for r in sandbox.requests() if r.method == "POST"]
    assert post[-1].status == 201
    group = _row(sandbox, "assignment_groups", created.assignment_group_id)
    assert (group["name"], group["position"]) == ("Assignments", 1)  # created on demand


def test_missing_assignment_object_is_400(http: Http) -> None:
    response = http.post("/api/v1/courses/1/assignments", data={"name": "x"})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "assignment is missing"}]}


@pytest.mark.parametrize(
    "value", ["2024-03-01", "2024-03-01T10:00", "tomorrow", "2024-13-01T00:00:00Z"]
)
def test_dates_need_full_iso8601_with_seconds(http: Http, value: str) -> None:
    response = http.post(
        "/api/v1/courses/1/assignments",
        data={"assignment[name]": "A", "assignment[due_at]": value},
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "assignment[due_at]": [
                {
                    "attribute": "assignment[due_at]",
                    "type": "Invalid datetime for due_at",
                    "message": "Invalid datetime for due_at",
                }
            ]
        }
    }


def test_dates_come_back_in_utc(sandbox: Sandbox, course: Any) -> None:
    created = course.create_assignment(
        {
            "name": "A",
            "due_at": "2024-03-05T17:00:00-07:00",
            "unlock_at": "2024-03-01T08:30:15.250+05:30",
            "lock_at": "2024-03-06T12:00:00",  # no offset: the course's zone (MST, -07:00)
        }
    )
    assert created.due_at == "2024-03-06T00:00:00Z"
    assert created.unlock_at == "2024-03-01T03:00:15Z"
    assert created.lock_at == "2024-03-06T19:00:00Z"
    assert _row(sandbox, "assignments", created.id)["due_at"] == "2024-03-06T00:00:00Z"


def test_fancy_midnight(course: Any) -> None:
    # 00:00 in America/Denver becomes 23:59:59 that local day (MDT in July, -06:00).
    created = course.create_assignment(
        {
            "name": "A",
            "due_at": "2024-07-10T06:00:00Z",
            "lock_at": "2024-07-11T00:00:00-06:00",
            "unlock_at": "2024-07-09T00:00:00-06:00",
        }
    )
    assert created.due_at == "2024-07-11T05:59:59Z"
    assert created.lock_at == "2024-07-12T05:59:59Z"
    assert created.unlock_at == "2024-07-09T06:00:00Z"  # unlock_at is left alone
    # CanvasTime.fancy_midnight checks only hour and minute, so 00:00:30 moves as well.
    seconds = course.create_assignment({"name": "S", "due_at": "2024-07-10T00:00:30-06:00"})
    assert seconds.due_at == "2024-07-11T05:59:59Z"
    # Midnight UTC is not midnight in the course's zone.
    other = course.create_assignment({"name": "B", "due_at": "2024-07-10T00:00:00Z"})
    assert other.due_at == "2024-07-10T00:00:00Z"


def test_empty_string_clears_a_date(course: Any) -> None:
    created = course.create_assignment({"name": "A", "due_at": "2024-03-05T17:00:00Z"})
    edited = created.edit(assignment={"due_at": ""})
    assert edited.due_at is None


def test_submission_types_are_validated(http: Http, course: Any) -> None:
    good = course.create_assignment(
        {
            "name": "A",
            "submission_types": ["online_upload", "online_url"],
            "allowed_extensions": ["PDF"],
        }
    )
    assert good.submission_types == ["online_upload", "online_url"]
    assert good.allowed_extensions == ["pdf"]
    bad = http.post(
        "/api/v1/courses/1/assignments",
        data={"assignment[name]": "A", "assignment[submission_types][]": ["online_upload", "fax"]},
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["assignment[submission_types]"][0]["message"] == (
        "Invalid submission types"
    )


def test_points_validation(http: Http) -> None:
    for value, message in [
        ("-1", "must be greater than or equal to 0"),
        ("lots", "is not a number"),
    ]:
        response = http.post(
            "/api/v1/courses/1/assignments",
            data={"assignment[name]": "A", "assignment[points_possible]": value},
        )
        assert response.status_code == 400
        assert response.json()["errors"]["points_possible"][0]["message"] == message


def test_sis_fields_are_dropped_for_a_teacher_token(sandbox: Sandbox, course: Any) -> None:
    created = course.create_assignment(
        {
            "name": "A",
            "sis_assignment_id": "SIS-1",
            "integration_id": "INT-1",
            "integration_data": '{"key": "k1"}',
        }
    )
    row = _row(sandbox, "assignments", created.id)
    assert (row["sis_source_id"], row["integration_id"], row["integration_data"]) == (
        None,
        None,
        "{}",
    )
    assert created.sis_assignment_id is None


def test_sis_fields_are_kept_with_manage_sis(sandbox: Sandbox, course: Any, http: Http) -> None:
    sandbox.manage_sis = True
    created = course.create_assignment(
        {
            "name": "A",
            "sis_assignment_id": "SIS-1",
            "integration_id": "INT-1",
            "integration_data": '{"key": "k1"}',
        }
    )
    assert (created.sis_assignment_id, created.integration_id) == ("SIS-1", "INT-1")
    assert created.integration_data == {"key": "k1"}
    by_sis = http.get("/api/v1/courses/1/assignments/sis_assignment_id:SIS-1")
    assert by_sis.json()["id"] == created.id
    clash = http.post(
        "/api/v1/courses/1/assignments",
        data={"assignment[name]": "B", "assignment[sis_assignment_id]": "SIS-1"},
    )
    assert clash.status_code == 400


def test_update_publish_rename_and_move(sandbox: Sandbox, course: Any) -> None:
    first = course.create_assignment_group(name="First")
    second = course.create_assignment_group(name="Second")
    created = course.create_assignment({"name": "A", "assignment_group_id": first.id})
    edited = created.edit(
        assignment={
            "name": "A2",
            "published": True,
            "assignment_group_id": second.id,
            "points_possible": 5,
        }
    )
    assert (edited.name, edited.published, edited.assignment_group_id) == ("A2", True, second.id)
    row = _row(sandbox, "assignments", created.id)
    assert (row["workflow_state"], row["points_possible"]) == ("published", 5.0)


def test_unknown_group_falls_back_to_the_default(course: Any) -> None:
    group = course.create_assignment_group(name="Only")
    created = course.create_assignment({"name": "A", "assignment_group_id": 99999})
    assert created.assignment_group_id == group.id


def test_positions_within_a_group(sandbox: Sandbox, course: Any) -> None:
    a = course.create_assignment({"name": "a"})
    b = course.create_assignment({"name": "b"})
    c = course.create_assignment({"name": "c", "position": 1})
    assert c.position == 1
    assert [x.name for x in course.get_assignments()] == ["c", "a", "b"]
    assert {r["name"]: r["position"] for r in sandbox.store.rows("assignments", 1)} == {
        "c": 1,
        "a": 2,
        "b": 3,
    }
    assert (a.position, b.position) == (1, 2)  # as created


def test_delete_is_soft_and_removes_module_items(sandbox: Sandbox, course: Any) -> None:
    created = course.create_assignment({"name": "A"})
    module = course.create_module({"name": "M"})
    module.create_module_item({"type": "Assignment", "content_id": created.id})

    deleted = created.delete()

    assert deleted.workflow_state == "deleted"
    assert _row(sandbox, "assignments", created.id)["workflow_state"] == "deleted"
    assert [i["workflow_state"] for i in sandbox.store.rows("module_items", 1)] == ["deleted"]
    assert list(course.get_assignments()) == []
    with pytest.raises(ResourceDoesNotExist):
        course.get_assignment(created.id)


def test_list_order_and_filters(course: Any) -> None:
    late = course.create_assignment_group(name="Late", position=2)
    early = course.create_assignment_group(name="Early", position=1)
    course.create_assignment({"name": "zeta", "assignment_group_id": late.id})
    course.create_assignment({"name": "alpha", "assignment_group_id": late.id})
    course.create_assignment({"name": "mid", "assignment_group_id": early.id})

    assert [a.name for a in course.get_assignments()] == ["mid", "zeta", "alpha"]
    assert [a.name for a in course.get_assignments(order_by="name")] == ["alpha", "mid", "zeta"]
    assert [a.name for a in course.get_assignments(search_term="ph")] == ["alpha"]
    assert [a.name for a in course.get_assignments_for_group(late)] == ["zeta", "alpha"]


# --- assignment groups ----------------------------------------------------------------------


def test_assignment_group_crud(sandbox: Sandbox, course: Any) -> None:
    group = course.create_assignment_group(
        name="Deliverables", group_weight=40, rules={"drop_lowest": "1", "never_drop": ["3", "4"]}
    )
    assert (group.name, group.position, group.group_weight) == ("Deliverables", 1, 40.0)
    assert group.rules == {"drop_lowest": 1, "never_drop": [3, 4]}

    group.edit(name="PD Deliverables", group_weight=50)
    assert course.get_assignment_group(group.id).name == "PD Deliverables"
    assert _row(sandbox, "assignment_groups", group.id)["group_weight"] == 50.0


def test_assignment_groups_sorted_by_position_with_assignments(course: Any) -> None:
    b = course.create_assignment_group(name="B")
    a = course.create_assignment_group(name="A", position=1)
    course.create_assignment({"name": "x", "assignment_group_id": b.id, "description": "<p>d</p>"})

    groups = list(course.get_assignment_groups(include=["assignments"]))

    assert [(g.name, g.position) for g in groups] == [("A", 1), ("B", 2)]
    assert groups[0].assignments == []
    assert groups[1].assignments[0]["name"] == "x"
    assert groups[1].assignments[0]["description"] == "<p>d</p>"
    assert not hasattr(next(iter(course.get_assignment_groups())), "assignments")
    assert a.id == groups[0].id


def test_delete_group_moves_or_deletes_its_assignments(sandbox: Sandbox, course: Any) -> None:
    keep = course.create_assignment_group(name="Keep")
    move = course.create_assignment_group(name="Move")
    drop = course.create_assignment_group(name="Drop")
    course.create_assignment({"name": "k", "assignment_group_id": keep.id})
    moved = course.create_assignment({"name": "m", "assignment_group_id": move.id})
    dropped = course.create_assignment({"name": "d", "assignment_group_id": drop.id})

    move.delete(move_assignments_to=keep.id)
    drop.delete()

    assert _row(sandbox, "assignments", moved.id)["assignment_group_id"] == keep.id
    assert _row(sandbox, "assignments", moved.id)["position"] == 2
    assert _row(sandbox, "assignments", dropped.id)["workflow_state"] == "deleted"
    states = {r["name"]: r["workflow_state"] for r in sandbox.store.rows("assignment_groups", 1)}
    assert states == {"Keep": "available", "Move": "deleted", "Drop": "deleted"}
    assert [a.name for a in course.get_assignments()] == ["k", "m"]


def test_unknown_assignment_group_is_404(http: Http) -> None:
    response = http.get("/api/v1/courses/1/assignment_groups/4242")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"message": "The specified resource does not exist."}]}


def test_bad_request_surfaces_in_canvasapi(course: Any) -> None:
    with pytest.raises(BadRequest):
        course.create_assignment({"name": "A", "due_at": "2024-03-01"})
