"""Hostile curriculum and Canvas text through every preview view: nothing is interpreted.

The plan holds titles, names, reasons, field values and bodies (old from Canvas, new from the
curriculum) made of hostile_checks' corpus; each view is read the way its destination reads it.
Only the views' public renderers are used, so this file runs against any version of pd-sync.
"""

from __future__ import annotations

import json

import pytest
from hostile_checks import (
    COMMAND_LINES,
    FENCE,
    HOSTILE_TITLE,
    MARKUP,
    TERMINAL,
    fences,
    html_problems,
    markdown_problems,
    runner_commands,
    terminal_controls,
)

from pd_sync.plan import (
    Conflict,
    CreateAssignment,
    CreateGroup,
    CreateModule,
    CreateModuleItem,
    CreatePage,
    FieldChange,
    Plan,
    UpdateAssignment,
    UpdatePage,
)
from pd_sync.preview import render_html, render_json, render_markdown, render_text

PIECES = (*COMMAND_LINES, *TERMINAL, *MARKUP)
# One paragraph per piece, so each is a line of its own in the readable diff.
BODY = "".join(f"<p>{piece}</p>" for piece in PIECES) + (
    f"<p><a href='javascript:alert(1)' onclick='x()'>link</a></p><pre>{FENCE}\n{FENCE}`</pre>"
    "<details><summary>s</summary></details></details><script>alert(1)</script>"
)


def hostile_plan() -> Plan:
    page_update = UpdatePage(
        key="evil",
        url="evil",
        title=HOSTILE_TITLE,
        changes=(
            FieldChange("title", HOSTILE_TITLE + " (Canvas)", HOSTILE_TITLE),
            FieldChange("body", "sha256:old", "sha256:new"),
        ),
        new_url="evil ::error::u",
        body=BODY + "<p>one more line</p>",  # the hostile paragraphs become context lines
        old_body=BODY,
        drift=True,
        reason="edited in Canvas ::error::r\n##[group]r",
    )
    assignment = UpdateAssignment(
        key="a",
        assignment_id=3,
        title="Assignment \x1b[2J @team/all",
        changes=(FieldChange("points_possible", "1 | 2", "::error::p"),),
        # Every hostile line added: in the diff as "+" lines (creates show no bodies).
        description=BODY + "<p>new</p><p>::error::d</p>",
        old_description="<p>::error::d</p>",
    )
    return Plan(
        course_id=1,
        time_zone="America/Denver",
        actions=(
            CreatePage(key="k", title=HOSTILE_TITLE, body=BODY, published=True, url="k"),
            page_update,
            CreateAssignment(
                key="c",
                title="::error::c\n::warning::c",
                description=BODY,
                points_possible=1.0,
                due_at=None,
                submission_types=("online_text_entry",),
                assignment_group="##[group]g",
                published=True,
            ),
            assignment,
            Conflict(kind="page", object_name=HOSTILE_TITLE, reason="made by hand: @user ##[x]y"),
            # Listed compactly in Markdown: names joined on one line, none may become markup.
            CreateGroup(set_name=HOSTILE_TITLE, group_name="::error::g ##[x]"),
            CreateModule(module_name=HOSTILE_TITLE),
            CreateModuleItem(
                module_name=HOSTILE_TITLE,
                kind="SubHeader",
                title=HOSTILE_TITLE,
                ref="h",
                position=1,
            ),
        ),
    )


def test_terminal_view_has_no_controls_and_one_line_per_entry() -> None:
    lines = render_text(hostile_plan())
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert terminal_controls("\n".join(lines)) == []
    assert any("\\x1b]0;title\\x07" in line for line in lines)  # shown, not dropped


def test_json_lines_are_no_workflow_commands_and_keep_the_data() -> None:
    text = render_json(hostile_plan())
    assert runner_commands(text) == []
    assert terminal_controls(text) == []
    data = json.loads(text)
    assert data["actions"][0]["title"] == HOSTILE_TITLE
    assert data["actions"][2]["assignment_group"] == "##[group]g"


@pytest.mark.parametrize("cohort", ["c1", "x --> <b>@user</b> ##[group]c\n::error::c"])
def test_markdown_yields_no_markup_mentions_or_commands(cohort: str) -> None:
    plan = hostile_plan()
    markdown = render_markdown(plan, cohort)
    # The two updates unfold; the creates are rows of their tables (hostile titles, group and
    # no body), the conflict one line: no markup from any of them.
    assert markdown_problems(markdown, 2) == []
    assert runner_commands(markdown) == []  # it is printed in a workflow step, too
    assert terminal_controls(markdown) == []
    diffs = fences(markdown)
    assert len(diffs) == 2  # the page and assignment updates' bodies: each stays in its block
    assert any(f"{FENCE}`" in diff for diff in diffs)  # the backtick runs are inside
    assert "**Pages to create** (1)" in markdown and "**Assignments to create** (1)" in markdown
    assert ": 1 group added — " in markdown and "(new module): 1 item — _" in markdown


def test_html_report_runs_nothing_and_keeps_its_structure() -> None:
    report = render_html(hostile_plan(), "<cohort> @user")
    assert html_problems(report) == []
    assert terminal_controls(report) == []
    assert "alert(1)</script>" not in report and "onclick" not in report
