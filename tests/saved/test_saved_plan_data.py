"""Saved plans as data: every plan survives the file's JSON exactly, and the checks that decide
whether a saved plan may still be applied say no for each reason, and only then."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from pd_sync.desired import CourseState
from pd_sync.errors import SavedPlanError
from pd_sync.plan import CreatePage, Plan, PlanOptions, PlanTarget, UpdatePage, make_plan
from pd_sync.preview import render_json
from pd_sync.saved import (
    check_target,
    make_saved_plan,
    plan_from_dict,
    read_saved_plan,
    saved_plan_text,
    stale_reasons,
    touched_refs,
)
from tests.plan.test_plan_cases import CASES, course_state

NOW = dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _case(name: str) -> tuple[Plan, CourseState, CourseState]:
    spec = yaml.safe_load((Path(CASES[0]).parent / f"{name}.yaml").read_text(encoding="utf-8"))
    desired = course_state(spec["desired"], observed=False)
    observed = course_state(spec["observed"], observed=True)
    plan = make_plan(desired, observed, PlanOptions(**spec.get("options", {})))
    return plan, desired, observed


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_every_plan_case_survives_the_json_round_trip(case: Path) -> None:
    plan, _, _ = _case(case.stem)
    plan = replace(
        plan, target=PlanTarget("https://canvas.example.edu", plan.course_id, "PD", "2701")
    )
    assert plan_from_dict(json.loads(render_json(plan))) == plan


def test_the_round_trip_can_fail() -> None:
    plan, _, _ = _case(CASES[0].stem)
    data = json.loads(render_json(plan))
    data["actions"][0]["title"] = "something else"
    assert plan_from_dict(data) != plan


def test_a_malformed_action_is_named_by_where_it_is() -> None:
    plan, _, _ = _case("page_body_changed")
    data = json.loads(render_json(plan))
    data["actions"][0]["title"] = 5
    with pytest.raises(SavedPlanError, match=r"plan\.actions\[0\]\.title"):
        plan_from_dict(data)
    data["actions"][0] = {"action": "DropCourse"}
    with pytest.raises(SavedPlanError, match="unknown action 'DropCourse'"):
        plan_from_dict(data)


def _saved(name: str = "page_body_changed"):  # type: ignore[no-untyped-def]
    plan, desired, observed = _case(name)
    saved = make_saved_plan(
        plan, observed, desired, curriculum_path="curriculum", version="0.1.0", now=NOW, prune=False
    )
    return saved, desired, observed


def test_the_file_reads_back_as_what_was_written() -> None:
    saved, _, _ = _saved()
    assert read_saved_plan(saved_plan_text(saved), "plan.json") == saved


def test_not_a_saved_plan_is_said_plainly() -> None:
    with pytest.raises(SavedPlanError, match=r"plan\.json:1:1: not JSON"):
        read_saved_plan("nope", "plan.json")
    with pytest.raises(SavedPlanError, match="is not a pd-sync saved plan"):
        read_saved_plan('{"schema_version": 1}', "plan.json")


def _reasons(saved, desired, observed, now=NOW):  # type: ignore[no-untyped-def]
    from pd_sync.saved import curriculum_digest

    digest = curriculum_digest(desired)
    return stale_reasons(saved, now=now, max_age=DAY, digest=digest, observed=observed)


def test_an_unchanged_course_leaves_the_plan_applicable() -> None:
    saved, desired, observed = _saved()
    assert _reasons(saved, desired, observed) == []


def test_an_edit_to_a_touched_page_voids_the_plan() -> None:
    saved, desired, observed = _saved()
    touched = next(a for a in saved.plan.writes if isinstance(a, UpdatePage))
    pages = tuple(
        replace(p, body=p.body + "<p>hand edit</p>") if p.url == touched.url else p
        for p in observed.pages
    )
    reasons = _reasons(saved, desired, replace(observed, pages=pages))
    assert reasons == [f"page url={touched.url}: changed in Canvas since the plan"]


def test_an_edit_to_an_untouched_page_does_not() -> None:
    saved, desired, observed = _saved()
    touched = {r[2] for r in touched_refs(saved.plan) if r[0] == "page"}
    extra = replace(observed.pages[0], title="Hand page", url="hand-page", key=None, page_id=999)
    assert extra.url not in touched
    assert _reasons(saved, desired, replace(observed, pages=(*observed.pages, extra))) == []


def test_a_page_made_by_hand_where_the_plan_creates_one_voids_it() -> None:
    saved, desired, observed = _saved("page_new")
    create = next(a for a in saved.plan.writes if isinstance(a, CreatePage))
    squatter = replace(desired.pages[0], title=create.title, url="squat", key=None, page_id=5)
    reasons = _reasons(saved, desired, replace(observed, pages=(*observed.pages, squatter)))
    assert f"page title={create.title}: made in Canvas since the plan" in reasons


def test_a_curriculum_edit_and_age_void_the_plan() -> None:
    saved, desired, observed = _saved()
    edited = replace(desired, pages=(replace(desired.pages[0], body="<p>new</p>"),))
    assert len(_reasons(saved, edited, observed)) == 1
    assert "curriculum" in _reasons(saved, edited, observed)[0]
    late = _reasons(saved, desired, observed, now=NOW + DAY + dt.timedelta(minutes=1))
    assert late == [
        "made 1 day 1 minute ago, longer than the 1 day allowed (--max-age / PD_SYNC_PLAN_MAX_AGE)"
    ]


def test_another_canvas_or_version_is_refused() -> None:
    saved, _, _ = _saved()
    here = "https://canvas.example.edu"
    saved = replace(saved, canvas_url=here, sandbox=False)
    check_target(saved, version="0.1.0", canvas_url=here, sandbox=False)
    with pytest.raises(
        SavedPlanError, match=re.escape("not https://other.example.edu: pass --url https://canvas")
    ):
        check_target(saved, version="0.1.0", canvas_url="https://other.example.edu", sandbox=False)
    with pytest.raises(SavedPlanError, match=re.escape("made by pd-sync 0.1.0, this is 0.2.0")):
        check_target(saved, version="0.2.0", canvas_url=here, sandbox=False)
    with pytest.raises(SavedPlanError, match="not --sandbox"):
        check_target(saved, version="0.1.0", canvas_url="http://127.0.0.1:5000", sandbox=True)
    sandboxed = replace(saved, sandbox=True, canvas_url="http://127.0.0.1:5000")
    check_target(sandboxed, version="0.1.0", canvas_url="http://127.0.0.1:6000", sandbox=True)
