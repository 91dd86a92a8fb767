"""Table-driven planner tests: tests/cases/plan/<case>.yaml = desired + observed → actions.

Each case file holds ``desired`` and ``observed`` course states (observed pages/assignments give
``synced`` — the content pd-sync last wrote, which the harness wraps in the marker as Canvas
would hold it — and optionally ``edited`` — what someone changed it to in Canvas), the
``actions`` expected in order (each a subset of the action's JSON fields), and, when nothing
should change, ``noop_reason`` (every desired object is then listed as up to date).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from pd_sync.desired import (
    AssignmentGroupState,
    AssignmentState,
    CourseState,
    FileState,
    GroupSetState,
    GroupState,
    ModuleItemState,
    ModuleState,
    OwnershipRecord,
    PageState,
    content_digest,
    read_marker,
    wrap_with_marker,
)
from pd_sync.plan.planner import PlanOptions, make_plan
from pd_sync.preview.text import plan_to_dict

CASES = sorted((Path(__file__).resolve().parents[1] / "cases" / "plan").glob("*.yaml"))


def _due(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _marked(raw: dict[str, Any], course_id: int, field: str) -> dict[str, Any]:
    """Observed HTML as Canvas holds it after pd-sync wrote ``synced`` (and someone ``edited``)."""
    key = raw.get("key")
    if key is None:
        return {field: raw.get(field, ""), "key": None, "digest": None, "content_digest": None}
    synced = raw["synced"]  # as pd-sync sent it: page links already Canvas URLs
    body, digest = wrap_with_marker(synced, key)
    if "edited" in raw:
        body = body.replace(synced, raw["edited"])
    marker = read_marker(body)
    assert marker is not None and marker.digest == digest
    return {field: body, "key": key, "digest": digest, "content_digest": content_digest(body)}


def course_state(raw: dict[str, Any], *, observed: bool) -> CourseState:
    course_id = int(raw.get("course_id", 1))
    pages = []
    for p in raw.get("pages", []):
        extra = _marked(p, course_id, "body") if observed else {"body": p["body"], "key": p["key"]}
        pages.append(
            PageState(
                title=p["title"],
                published=p.get("published", True),
                url=p.get("url"),
                page_id=p.get("page_id"),
                renamed_from=p.get("renamed_from"),
                absent=p.get("absent", False),
                **extra,
            )
        )
    assignments = []
    for a in raw.get("assignments", []):
        if observed:
            extra = _marked(a, course_id, "description")
        else:
            extra = {"description": a["description"], "key": a["key"]}
        assignments.append(
            AssignmentState(
                name=a["name"],
                points_possible=float(a.get("points_possible", 10)),
                due_at=_due(a.get("due_at")),
                submission_types=tuple(a.get("submission_types", ["online_text_entry"])),
                assignment_group=a.get("assignment_group", "PD"),
                published=a.get("published", True),
                assignment_id=a.get("assignment_id"),
                assignment_group_id=a.get("assignment_group_id"),
                renamed_from=a.get("renamed_from"),
                absent=a.get("absent", False),
                unpublishable=a.get("unpublishable", True),
                **extra,
            )
        )
    state = CourseState(
        course_id=course_id,
        time_zone=raw.get("time_zone", "America/Denver"),
        host=raw.get("host", ""),
        course_name=raw.get("course_name", ""),
        cohort=raw.get("cohort", ""),
        pages=tuple(pages),
        assignments=tuple(assignments),
        assignment_groups=tuple(
            AssignmentGroupState(**_fields(g)) for g in raw.get("assignment_groups", [])
        ),
        group_sets=tuple(
            GroupSetState(
                name=s["name"],
                group_set_id=s.get("group_set_id"),
                renamed_from=s.get("renamed_from"),
                absent=s.get("absent", False),
                groups=tuple(GroupState(**_fields(g)) for g in s.get("groups", [])),
            )
            for s in raw.get("group_sets", [])
        ),
        modules=tuple(
            ModuleState(
                name=m["name"],
                published=m.get("published", True),
                module_id=m.get("module_id"),
                renamed_from=m.get("renamed_from"),
                absent=m.get("absent", False),
                items=tuple(ModuleItemState(**_fields(i)) for i in m.get("items", [])),
                adopt=m.get("adopt", False),
            )
            for m in raw.get("modules", [])
        ),
        files=tuple(_file(f, observed) for f in raw.get("files", [])),
    )
    if not observed:
        return state
    return replace(state, ownership=_ownership(raw))


def _file(raw: dict[str, Any], observed: bool) -> FileState:
    """A file; an observed one not ``hand_made`` has the path and digest pd-sync recorded."""
    mine = not (observed and raw.get("hand_made"))
    return FileState(
        path=raw.get("path") if mine else None,
        size=int(raw.get("size", 100)),
        digest=raw.get("digest") if mine else None,
        file_id=raw.get("file_id"),
        display_name=raw.get("display_name", str(raw.get("path", "")).rsplit("/", 1)[-1]),
        folder_id=raw.get("folder_id"),
    )


def _fields(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k != "hand_made"}


def _ownership(raw: dict[str, Any]) -> OwnershipRecord:
    """The observed course's record: as the case gives it, else every object a case lists as
    pd-sync's (marked pages and assignments, and all name-matched objects not ``hand_made``)."""
    if "ownership" in raw:
        given = raw["ownership"] or {}
        return OwnershipRecord(
            ids=frozenset((k, int(i)) for k, i in given.get("ids", [])),
            pending=frozenset((k, n) for k, n in given.get("pending", [])),
            pages=tuple(given.get("pages", ["pd-sync-ownership-record"])),
        )
    ids: set[tuple[str, int]] = set()

    def mine(kind: str, obj: dict[str, Any], id_field: str) -> None:
        if obj.get(id_field) is not None and not obj.get("hand_made"):
            ids.add((kind, int(obj[id_field])))

    for page in raw.get("pages", []):
        if page.get("key"):
            mine("page", page, "page_id")
    for assignment in raw.get("assignments", []):
        if assignment.get("key"):
            mine("assignment", assignment, "assignment_id")
    for group in raw.get("assignment_groups", []):
        mine("assignment group", group, "group_id")
    for group_set in raw.get("group_sets", []):
        mine("group set", group_set, "group_set_id")
        for group in group_set.get("groups", []):
            mine("group", group, "group_id")
    for module in raw.get("modules", []):
        mine("module", module, "module_id")
        for item in module.get("items", []):
            if item.get("kind") == "SubHeader":
                mine("module item", item, "item_id")
    files: set[tuple[int, str, str]] = set()
    for file in raw.get("files", []):
        mine("file", file, "file_id")
        if not file.get("hand_made"):
            files.add((int(file["file_id"]), file["path"], file["digest"]))
    return OwnershipRecord(
        ids=frozenset(ids), pages=("pd-sync-ownership-record",), files=frozenset(files)
    )


def _subset(expected: dict[str, Any], actual: dict[str, Any]) -> dict[str, Any]:
    return {k: actual.get(k) for k in expected}


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_plan_case(case: Path) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    desired = course_state(spec["desired"], observed=False)
    observed = course_state(spec["observed"], observed=True)
    plan = make_plan(desired, observed, PlanOptions(**spec.get("options", {})))
    actual = json.loads(json.dumps(plan_to_dict(plan)["actions"]))
    expected = spec.get("actions", [])
    assert [_subset(e, a) for e, a in zip(expected, actual, strict=False)] == expected
    assert len(actual) == len(expected), [a["action"] + " " + a["name"] for a in actual]
    if "noop_reason" in spec:
        assert spec["noop_reason"] == "up to date"
        assert not plan.writes
        wanted = [("page", p.title) for p in desired.pages if not p.absent]
        wanted += [("assignment", a.name) for a in desired.assignments if not a.absent]
        wanted += [("module", m.name) for m in desired.modules if not m.absent]
        assert set(wanted) <= set(plan.up_to_date)
    # The plan is data: it survives a JSON round trip and compares with ==.
    assert make_plan(desired, observed, PlanOptions(**spec.get("options", {}))) == plan


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 12
