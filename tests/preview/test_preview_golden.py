"""Every preview format rendered for one plan, compared with golden/plan.{txt,json,md,html}.

The plan (golden/plan.yaml beside this file, desired + observed like tests/cases/plan/) has
creates, a page body edit, an assignment due-date change, a rename, drift, a conflict, a notice
and a delete. ``PD_SYNC_UPDATE_GOLDEN=1 python -m pytest tests/preview/test_preview_golden.py``
rewrites the golden files; review the diff before committing it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from plan.test_plan_cases import course_state

from pd_sync.plan import Plan, PlanOptions, action_types, make_plan
from pd_sync.preview import render_html, render_markdown
from pd_sync.preview.text import bodies, plan_to_dict, render_json, render_text

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "plan-json.schema.json"
COHORT = "2701-example"


def golden_plan() -> Plan:
    spec = yaml.safe_load((GOLDEN / "plan.yaml").read_text(encoding="utf-8"))
    desired = course_state(spec["desired"], observed=False)
    observed = course_state(spec["observed"], observed=True)
    return make_plan(desired, observed, PlanOptions())


RENDERERS: dict[str, Callable[[Plan], str]] = {
    "plan.txt": lambda plan: "\n".join(render_text(plan)) + "\n",
    "plan.json": render_json,
    "plan.md": lambda plan: render_markdown(plan, COHORT),
    "plan.html": lambda plan: render_html(plan, COHORT),
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_format_matches_golden_file(name: str) -> None:
    rendered = RENDERERS[name](golden_plan())
    path = GOLDEN / name
    if os.environ.get("PD_SYNC_UPDATE_GOLDEN") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with PD_SYNC_UPDATE_GOLDEN=1 to create it"
    assert rendered == path.read_text(encoding="utf-8")


def test_golden_plan_covers_every_kind_of_change() -> None:
    actions = plan_to_dict(golden_plan())["actions"]
    kinds = {a["action"] for a in actions}
    assert {"CreatePage", "CreateAssignment", "DeletePage", "Conflict", "Notice"} <= kinds
    updates = [a for a in actions if a["action"] == "UpdatePage"]
    assert any(a["body"] is not None and not a["drift"] for a in updates), "a page body edit"
    assert any(a["drift"] for a in updates), "drift"
    assert any(c["field"] == "title" for a in updates for c in a["changes"]), "a rename"
    due = [c for a in actions if a["action"] == "UpdateAssignment" for c in a["changes"]]
    assert [c["field"] for c in due] == ["due_at"]


def test_text_shows_symbols_readable_diffs_and_local_due_dates() -> None:
    text = (GOLDEN / "plan.txt").read_text(encoding="utf-8")
    # What the plan would change comes first: Canvas host, course id and name, cohort.
    first = 'Canvas canvas.example.edu · course 1 "PD Inning 2701" · cohort 2701-example\n'
    assert text.startswith(first + "Times in America/Denver.\n")
    for line in ("+ page 'Week 3: Mock Interviews'", "- page 'Old Checklist'", "! page"):
        assert line in text
    assert "    +Write a two-minute story about your path into tech." in text
    assert "<p>" not in text and "data-pd-sync" not in text  # text, not HTML soup
    # 2027-02-13T06:59Z is Friday 23:59 in Denver (MST).
    assert "due_at: Fri 2027-02-05 23:59 MST → Fri 2027-02-12 23:59 MST" in text
    assert "url: week-2 → week-2-networking" in text


def test_json_is_versioned_and_valid_against_the_documented_schema() -> None:
    data = json.loads((GOLDEN / "plan.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    assert data["schema_version"] == 1
    assert data["summary"] == {
        "create": 2,
        "update": 5,  # 4 objects and the ownership record
        "delete": 1,
        "review": 2,
        "writes": 8,
        "drift": 1,
    }
    broken = {**data, "summary": {k: v for k, v in data["summary"].items() if k != "writes"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_the_schema_knows_every_action_type() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    known = {
        rule["if"]["properties"]["action"]["const"] for rule in schema["$defs"]["action"]["allOf"]
    }
    concrete = set(action_types())
    assert {"CreatePage", "CreateFile", "Conflict"} <= concrete  # the lookup reaches every module
    assert concrete == known


def test_every_json_field_is_documented() -> None:
    doc = (SCHEMA.parent / "plan-json.md").read_text(encoding="utf-8")
    data = plan_to_dict(golden_plan())
    names = set(data) | set(data["summary"]) | set(data["target"])
    for action in data["actions"]:
        names |= set(action)
    missing = sorted(n for n in names if f"`{n}`" not in doc and f"`{n}[]`" not in doc)
    assert not missing, f"docs/plan-json.md does not mention {missing}"


def test_markdown_has_marker_counts_and_details_only_for_changes_with_content() -> None:
    plan = golden_plan()
    markdown = (GOLDEN / "plan.md").read_text(encoding="utf-8")
    assert markdown.splitlines()[0] == f"<!-- pd-sync-plan cohort={COHORT} -->"
    # Field changes or a diff unfold; creates, the delete, reviews and the record are lines.
    with_content = [
        a for a in plan.actions if a.symbol != "+" and (getattr(a, "changes", ()) or bodies(a))
    ]
    assert markdown.count("<details>") == markdown.count("</details>") == len(with_content) == 4
    assert "| page | 1 | 3 | 1 | 2 |" in markdown
    assert "| assignment | 1 | 1 | 0 | 0 |" in markdown
    assert "**Retired &lt;Draft&gt; Page**" in markdown  # names are escaped
    assert "```diff\n" in markdown
    assert "| Week 3: Mock Interviews | yes |" in markdown  # a create is a row, not its body


def test_html_report_is_self_contained() -> None:
    report = (GOLDEN / "plan.html").read_text(encoding="utf-8")
    lowered = report.lower()
    for external in ("<script", "src=", "stylesheet", "@import", "url(", "http://", "https://"):
        assert external not in lowered, external
    assert "default-src 'none'" in report
    assert report.count("class='compare'") == 4  # a body edit, drift, 2 creates
    assert "Retired &lt;Draft&gt; Page" in report
