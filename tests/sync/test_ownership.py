"""Ownership is proven, not assumed (issue 12, item 4; issue 14's header and group rules).

Each test starts from hand-made objects in the sandbox, runs the real sync (and, where the flag
matters, the real CLI), and checks the sandbox's stored rows: what pd-sync did not make is never
changed or deleted, and what it made is managed in full.
"""

from __future__ import annotations

from pathlib import Path

import canvasapi
import pytest
from click.testing import CliRunner

from pd_sync.canvas import connect
from pd_sync.cli import cli
from pd_sync.curriculum import Program, load_curriculum
from pd_sync.plan import Conflict, Notice, Plan
from pd_sync.sandbox import Sandbox
from pd_sync.sync import apply_course, plan_course

COURSE = 1

CURRICULUM = """\
program:
  name: Ownership PD
  time_zone: America/Denver
cohorts:
  - name: c1
    course_id: 1
    start_date: 2027-01-04
    time_zone: America/Denver
assignment_groups:
  - name: PD{group_extra}
group_sets:
  - name: Circles{set_extra}
    groups: 2
pages:
  - {{source: overview.md, key: overview, title: Overview}}
  - {{source: week1.md, key: week1, title: Week One Page}}
  - {{source: week2.md, key: week2, title: Week Two Page}}
modules:
  - key: mod1
    title: Module One{module_extra}
    overview: overview
    weeks:
{weeks}
    deliverables:
      - key: reflection
        title: Reflection
        description: Write about [week one](week1.md).
        due: Friday of week 1 at 23:59
        points: 10
        submission_types: [online_text_entry]
        assignment_group: PD
"""

WEEK = """\
      - number: {n}
        title: Week {n} topic
        page: week{n}
"""


def write(root: Path, weeks: tuple[int, ...] = (1, 2), **extra: str) -> Path:
    root.mkdir(exist_ok=True)
    for key in ("overview", "week1", "week2"):
        (root / f"{key}.md").write_text(f"Text of {key}.\n", encoding="utf-8")
    fields = {"group_extra": "", "set_extra": "", "module_extra": ""} | extra
    text = CURRICULUM.format(weeks="".join(WEEK.format(n=n) for n in weeks), **fields)
    (root / "curriculum.yml").write_text(text, encoding="utf-8")
    return root


def sync(sandbox: Sandbox, root: Path) -> tuple[Program, Plan]:
    program = load_curriculum(root)
    cohort = program.cohorts[0]
    course = connect(sandbox.base_url, sandbox.token, COURSE)
    planned = plan_course(program, cohort, course)
    reports = apply_course(planned, course)
    assert all(r.ok for r in reports), [f.detail for r in reports for f in r.failed]
    again = plan_course(program, cohort, course).plan
    assert again.writes == ()  # every case converges in one apply
    return program, planned.plan


def live(sandbox: Sandbox, table: str) -> list[dict[str, object]]:
    return [r for r in sandbox.store.rows(table, COURSE) if r["workflow_state"] != "deleted"]


def names(sandbox: Sandbox, table: str, field: str = "name") -> list[str]:
    return sorted(str(r[field]) for r in live(sandbox, table))


def test_a_hand_copy_of_a_pd_sync_page_survives_apply_and_prune(
    sandbox: Sandbox, canvas: canvasapi.Canvas, tmp_path: Path
) -> None:
    root = write(tmp_path / "c")
    sync(sandbox, root)
    course = canvas.get_course(COURSE)
    week = course.get_page("week-one-page")
    # A teacher duplicates the week page: the marker comes along in the body.
    course.create_page(wiki_page={"title": "Week One (my copy)", "body": week.body})
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": sandbox.token}
    for args in (["apply", "--yes", str(root)], ["apply", "--yes", "--prune", str(root)]):
        result = CliRunner().invoke(cli, args, env=env)
        assert result.exit_code == 0, result.output
        assert "Week One (my copy)" in result.output and "did not make it" in result.output
        assert "Week One (my copy)" in names(sandbox, "pages", "title")
    assert not [r for r in sandbox.requests() if r.method == "DELETE"]


def test_a_same_name_hand_made_module_is_a_conflict_until_adopted(
    sandbox: Sandbox, canvas: canvasapi.Canvas, tmp_path: Path
) -> None:
    course = canvas.get_course(COURSE)
    module = course.create_module(module={"name": "Module One"})
    module.create_module_item(module_item={"type": "SubHeader", "title": "My own notes"})
    root = write(tmp_path / "c")
    _, plan = sync(sandbox, root)
    conflicts = [a for a in plan.actions if isinstance(a, Conflict) and a.kind == "module"]
    assert conflicts and "adopt: true" in conflicts[0].reason
    # Not filled, not renamed, and no second module of that name.
    assert names(sandbox, "module_items", "title") == ["My own notes"]
    assert names(sandbox, "modules") == ["Module One"]

    adopt = (
        (root / "curriculum.yml")
        .read_text()
        .replace("    title: Module One\n", "    title: Module One\n    adopt: true\n")
    )
    (root / "curriculum.yml").write_text(adopt, encoding="utf-8")
    sync(sandbox, root)
    assert names(sandbox, "modules") == ["Module One"]
    titles = names(sandbox, "module_items", "title")
    assert "My own notes" in titles and "Week 1: Week 1 topic" in titles
    # Adopted once, recorded: dropping `adopt: true` keeps it pd-sync's.
    (root / "curriculum.yml").write_text(adopt.replace("    adopt: true\n", ""), "utf-8")
    sync(sandbox, root)


def test_renamed_from_never_renames_hand_made_objects(
    sandbox: Sandbox, canvas: canvasapi.Canvas, tmp_path: Path
) -> None:
    course = canvas.get_course(COURSE)
    course.create_module(module={"name": "Their Module"})
    course.create_assignment_group(name="Their Group")
    root = write(
        tmp_path / "c",
        module_extra="\n    renamed_from: Their Module",
        group_extra="\n    renamed_from: Their Group",
    )
    sync(sandbox, root)
    assert names(sandbox, "modules") == ["Module One", "Their Module"]
    assert names(sandbox, "assignment_groups") == ["PD", "Their Group"]


def test_absent_module_and_group_set_delete_only_what_pd_sync_made(
    sandbox: Sandbox, canvas: canvasapi.Canvas, tmp_path: Path
) -> None:
    root = write(tmp_path / "c")
    sync(sandbox, root)
    course = canvas.get_course(COURSE)
    module = next(iter(course.get_modules()))
    module.create_module_item(module_item={"type": "SubHeader", "title": "Hand header"})
    group_set = next(iter(course.get_group_categories()))
    group_set.create_group(name="Hand circle")
    text = (root / "curriculum.yml").read_text()
    text = text.replace("    title: Module One\n", "    title: Module One\n    state: absent\n")
    text = text.replace("  - name: Circles\n", "  - name: Circles\n    state: absent\n")
    (root / "curriculum.yml").write_text(text, encoding="utf-8")
    _, plan = sync(sandbox, root)
    # The module and the set stay (they hold hand-made things), emptied of pd-sync's.
    assert names(sandbox, "modules") == ["Module One"]
    assert names(sandbox, "module_items", "title") == ["Hand header"]
    assert names(sandbox, "group_categories") == ["Circles"]
    assert names(sandbox, "groups") == ["Hand circle"]
    kept = {a.kind: a.reason for a in plan.actions if isinstance(a, Notice)}
    assert "did not make" in kept["module"] and "did not make" in kept["group set"]


def test_an_absent_group_keeps_a_hand_made_assignment(
    sandbox: Sandbox, canvas: canvasapi.Canvas, tmp_path: Path
) -> None:
    root = write(tmp_path / "c")
    sync(sandbox, root)
    course = canvas.get_course(COURSE)
    group = next(g for g in course.get_assignment_groups() if g.name == "PD")
    course.create_assignment(assignment={"name": "Hand quiz", "assignment_group_id": group.id})
    text = (root / "curriculum.yml").read_text()
    text = text.replace("  - name: PD\n", "  - name: PD\n    state: absent\n")
    text = text.replace(
        "        assignment_group: PD\n", "        assignment_group: PD\n        state: absent\n"
    )
    (root / "curriculum.yml").write_text(text, encoding="utf-8")
    sync(sandbox, root)
    assert names(sandbox, "assignments") == ["Hand quiz"]


def test_removing_a_week_removes_its_header_and_keeps_hand_items(
    sandbox: Sandbox, canvas: canvasapi.Canvas, tmp_path: Path
) -> None:
    root = write(tmp_path / "c")
    sync(sandbox, root)
    module = next(iter(canvas.get_course(COURSE).get_modules()))
    module.create_module_item(module_item={"type": "SubHeader", "title": "Week 9: my own"})
    module.create_module_item(
        module_item={"type": "ExternalUrl", "title": "Link", "external_url": "https://example.org"}
    )
    write(root, weeks=(1,))
    sync(sandbox, root)
    titles = [
        str(r["title"])
        for r in sorted(live(sandbox, "module_items"), key=lambda r: (r["position"], r["id"]))
    ]
    assert "Week 2: Week 2 topic" not in titles
    assert "Week 1: Week 1 topic" in titles
    assert titles[-2:] == ["Week 9: my own", "Link"]


@pytest.mark.parametrize("title", ["pd-sync ownership record", "pd-sync Ownership Record-3"])
def test_a_curriculum_page_cannot_take_the_record_title(tmp_path: Path, title: str) -> None:
    root = write(tmp_path / "c")
    text = (root / "curriculum.yml").read_text().replace("title: Overview", f"title: {title}")
    (root / "curriculum.yml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code != 0
    assert "curriculum.yml:" in result.output and "ownership record" in result.output


def test_a_page_whose_marker_was_removed_is_reported_and_can_be_adopted_again(
    sandbox: Sandbox, canvas: canvasapi.Canvas, tmp_path: Path
) -> None:
    root = write(tmp_path / "c")
    sync(sandbox, root)
    course = canvas.get_course(COURSE)
    # A teacher rewrites the week page in Canvas's editor; the marker goes with the old body.
    course.get_page("week-one-page").edit(wiki_page={"body": "<p>My own week one.</p>"})
    _, plan = sync(sandbox, root)
    [notice] = [a for a in plan.actions if isinstance(a, Notice) and "marker is gone" in a.reason]
    assert notice.object_name == "Week One Page" and "adopt: true" in notice.reason
    assert plan.writes == ()
    page = next(r for r in live(sandbox, "pages") if r["url"] == "week-one-page")
    assert page["body"] == "<p>My own week one.</p>"
    # The deliverable's link to it still uses its observed URL.
    [reflection] = live(sandbox, "assignments")
    assert 'href="/courses/1/pages/week-one-page"' in str(reflection["description"])

    text = (root / "curriculum.yml").read_text()
    text = text.replace(
        "key: week1, title: Week One Page}", "key: week1, title: Week One Page, adopt: true}"
    )
    (root / "curriculum.yml").write_text(text, encoding="utf-8")
    sync(sandbox, root)
    page = next(r for r in live(sandbox, "pages") if r["url"] == "week-one-page")
    assert "Text of week1." in str(page["body"]) and 'data-pd-sync-key="week1"' in str(page["body"])
    assert names(sandbox, "pages", "title").count("Week One Page") == 1
