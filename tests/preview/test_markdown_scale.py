"""The Markdown comment at scale: creates listed compactly, every plan under the limit with a
link to the full report, and the plan's prune setting said in every view (issue 18, items 6, 7).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
import yaml
from markdown_it import MarkdownIt

from pd_sync.curriculum import load_curriculum
from pd_sync.desired import CourseState, build_desired
from pd_sync.plan import (
    NO_PRUNE,
    CreateAssignment,
    CreateModuleItem,
    CreatePage,
    FieldChange,
    Plan,
    PlanOptions,
    UpdatePage,
    make_plan,
)
from pd_sync.preview import render_html, render_json, render_markdown, render_text
from pd_sync.preview.inert import markdown_text
from pd_sync.preview.text import html_to_text, local_due

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / "plan-json.schema.json"
REPORT = "https://github.com/example/course/actions/runs/42"
sys.path.insert(0, str(ROOT / "benchmarks"))
from large_curriculum import Size, write_curriculum  # noqa: E402


def _first_syncs(root: Path, options: PlanOptions = NO_PRUNE) -> list[tuple[str, Plan]]:
    """``(cohort, plan)`` of a first sync (an empty course) for each cohort of ``root``."""
    program = load_curriculum(root)
    plans = []
    for cohort in program.cohorts:
        desired = build_desired(program, cohort)
        empty = CourseState(course_id=desired.course_id, time_zone=desired.time_zone)
        plans.append((cohort.name, make_plan(desired, empty, options)))
    return plans


def _links(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    inline = [child for token in tokens for child in token.children or []]
    return [str(child.attrs["href"]) for child in inline if child.type == "link_open"]


def _row(markdown: str, title: str) -> list[str]:
    """The cells of the table row whose first cell is ``title``."""
    (line,) = [ln for ln in markdown.splitlines() if ln.startswith(f"| {markdown_text(title)} |")]
    return [cell.strip() for cell in line.strip("|").split(" | ")]


def test_a_first_sync_lists_creates_compactly_without_their_bodies() -> None:
    ((cohort, plan),) = _first_syncs(ROOT / "curriculum")
    markdown = render_markdown(plan, cohort)
    creates = [a for a in plan.actions if a.symbol == "+"]
    assert len(creates) >= 50
    assert "<code>+</code>" not in markdown  # no create unfolds into a <details> block
    assert markdown.count("<details>") == len(plan.actions) - len(creates) - 2  # the records
    assignments = [a for a in creates if isinstance(a, CreateAssignment)]
    assert assignments and all(a.due_at for a in assignments)
    for item in assignments:
        assert item.due_at is not None
        _, due, points, types, group, published = _row(markdown, item.title)
        assert due == markdown_text(local_due(item.due_at, plan.time_zone))
        assert due.startswith("Fri ") and due.endswith(" MST")  # the course's zone, not UTC
        assert float(points) == item.points_possible
        assert types == markdown_text(", ".join(item.submission_types))
        assert group == markdown_text(item.assignment_group) and published == "yes"
    pages = [a for a in creates if isinstance(a, CreatePage)]
    assert all(_row(markdown, p.title)[1] == ("yes" if p.published else "no") for p in pages)
    body_lines = {line for p in pages for line in html_to_text(p.body) if len(line) > 40}
    assert len(body_lines) > 50
    assert not [line for line in body_lines if markdown_text(line) in markdown]
    # Every module item is named on its module's line, in the module's order.
    items = [a for a in creates if isinstance(a, CreateModuleItem)]
    (module_line,) = [ln for ln in markdown.splitlines() if f": {len(items)} items — " in ln]
    positions = [module_line.index(markdown_text(i.title)) for i in items]
    assert positions == sorted(positions)
    # About a line of names per object, not a page body each: the bodies alone are longer.
    bound = 2_500 + sum(len(a.name) + 40 for a in plan.actions)
    assert len(markdown) < bound < sum(len(" ".join(html_to_text(p.body))) for p in pages)


def _three_cohorts(root: Path) -> Path:
    write_curriculum(root, Size(modules=6, weeks=8, pages=500, assignments=60, groups_per_set=10))
    cohorts = [
        {"name": f"cohort-{n}", "course_id": n, "start_date": start, "time_zone": zone}
        for n, start, zone in (
            (1, "2027-01-04", "America/Denver"),
            (2, "2027-03-01", "America/New_York"),
            (3, "2027-05-03", "Europe/Berlin"),
        )
    ]
    (root / "cohorts.yml").write_text(yaml.safe_dump({"cohorts": cohorts}), encoding="utf-8")
    return root


def _edits(plan: Plan, count: int) -> Plan:
    """``plan`` with ``count`` page body edits before its creates, as a re-sync has."""
    edits = tuple(
        UpdatePage(
            key=f"edited-{n}",
            url=f"edited-{n}",
            title=f"Edited page {n}",
            changes=(FieldChange("body", "sha256:old", "sha256:new"),),
            new_url=f"edited-{n}",
            body="".join(f"<p>New paragraph {i} of page {n}.</p>" for i in range(12)),
            old_body="<p>Old text.</p>",
        )
        for n in range(count)
    )
    return replace(plan, actions=edits + plan.actions)


def test_every_cohorts_large_plan_fits_a_third_of_its_size_and_links_the_report(
    tmp_path: Path,
) -> None:
    plans = _first_syncs(_three_cohorts(tmp_path / "large"))
    assert len(plans) == 3
    for cohort, first_sync in plans:
        plan = _edits(first_sync, 10)
        whole = render_markdown(plan, cohort, limit=10**9, report_url=REPORT)
        assert "to stay under" not in whole and len(plan.actions) > 1_000
        limit = len(whole) // 3
        markdown = render_markdown(plan, cohort, limit=limit, report_url=REPORT)
        assert len(markdown) <= limit
        assert markdown.startswith(f"<!-- pd-sync-plan cohort={cohort} -->\n")
        assert "| **total** |" in markdown  # the counts table is always whole
        assert _links(markdown) == [REPORT]
        assert markdown.rstrip().endswith(f"see the full plan in [the run's report]({REPORT})._")
        unlisted = re.search(r"(\d+) more changes? not listed", markdown)
        assert unlisted is not None and int(unlisted[1]) > 0
        # Creates are given up before the edits' details: every edit still unfolds.
        assert markdown.count("<details><summary><code>~</code> page <b>Edited page") == 10


def test_the_limit_holds_at_every_size_with_wide_characters() -> None:
    ((cohort, plan),) = _first_syncs(ROOT / "curriculum")
    wide = tuple(
        replace(a, title=f"Wochenplan 🗓️ {a.title} — 日本語") if isinstance(a, CreatePage) else a
        for a in _edits(plan, 3).actions
    )
    plan = replace(plan, actions=wide)
    whole = render_markdown(plan, cohort)
    assert "🗓️" in whole and len(whole.encode()) > len(whole)
    head = whole.index("| **total** |")
    sizes = []
    for limit in range(head + 300, len(whole) + 1, 97):
        markdown = render_markdown(plan, cohort, limit=limit, report_url=REPORT)
        assert len(markdown) <= limit  # characters, as GitHub counts: not UTF-8 bytes
        assert _links(markdown) == ([] if markdown == whole else [REPORT])
        sizes.append(len(markdown))
    assert sizes == sorted(sizes)  # more room never shows less
    assert render_markdown(plan, cohort, limit=len(whole), report_url=REPORT) == whole


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>x</script>",
        "//evil.example/run",
        "/relative/run",
        "https:no-host",
    ],
)
def test_a_report_url_that_is_not_http_is_not_linked(url: str) -> None:
    ((cohort, plan),) = _first_syncs(ROOT / "curriculum")
    markdown = render_markdown(plan, cohort, limit=2_000, report_url=url)
    assert len(markdown) <= 2_000
    assert _links(markdown) == []
    assert "run `pd-sync plan` for the full plan" in markdown
    assert url not in markdown


def test_a_report_url_cannot_break_out_of_its_link() -> None:
    ((cohort, plan),) = _first_syncs(ROOT / "curriculum")
    url = "https://ci.example/run?id=1) [click](javascript:alert(1)) <b>`x`\n::error::y"
    markdown = render_markdown(plan, cohort, limit=2_000, report_url=url)
    (href,) = _links(markdown)
    assert href.startswith("https://ci.example/run?id=1") and " " not in href
    assert "javascript:alert(1))" not in markdown and "<b>`x`" not in markdown
    assert not [line for line in markdown.splitlines() if line.lstrip().startswith("::")]


@pytest.mark.parametrize("prune", [True, False])
def test_every_view_says_whether_the_plan_prunes(prune: bool) -> None:
    ((cohort, plan),) = _first_syncs(ROOT / "curriculum", PlanOptions(prune=prune))
    assert plan.prune is prune
    state, other = ("on", "off") if prune else ("off", "on")
    markdown = render_markdown(plan, cohort)
    assert f"**Prune: {state}** — " in markdown and f"Prune: {other}" not in markdown
    assert ("`--prune`" in markdown) is not prune  # off says how to turn it on
    text = render_text(plan)
    assert text[2].startswith(f"Prune: {state} — ")  # after the target and the time zone
    assert f"<p class='prune'>Prune: {state} — " in render_html(plan, cohort)
    data = json.loads(render_json(plan))
    assert data["prune"] is prune
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
