"""Curriculum + cohort → the Canvas objects that should exist in the cohort's course.

Pure: no I/O. Every HTML field is reduced to what Canvas's sanitiser keeps (``canvas_html``),
so what pd-sync sends and digests is what Canvas stores; what the curriculum loses on the way is
recorded, located in its Markdown, for the plan to report. Links to other pages stay symbolic
(``pd-sync-page:KEY``), and so do references to curriculum files (``pd-sync-file:PATH``); the
planner turns them into Canvas URLs once it knows every page's slug and file's id, and adds the
ownership marker.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

from pd_sync.curriculum import (
    FILE_LINK_SCHEME,
    PAGE_LINK_SCHEME,
    WEEKDAYS,
    CohortSpec,
    DeliverableSpec,
    LearningGoals,
    ModuleSpec,
    PageIndex,
    PageSpec,
    Presence,
    Program,
    WeekSpec,
    file_path,
    render_markdown,
)
from pd_sync.desired.canvas_html import KeptHtml, keep_as_canvas
from pd_sync.desired.files import file_digest
from pd_sync.desired.losses import located_losses
from pd_sync.desired.schedule import due_datetime
from pd_sync.desired.state import (
    AssignmentGroupState,
    AssignmentState,
    CourseState,
    FileState,
    GroupSetState,
    GroupState,
    ModuleItemState,
    ModuleState,
    PageState,
)

SUPPLEMENTAL_HEADER = "Supplemental Activities"
REPEAT_HEADER = "Repeating the Module"
RESOURCES_HEADER = "Resources"


def week_header(week: WeekSpec) -> str:
    """The SubHeader title that opens a week inside its Canvas module."""
    return f"Week {week.number}: {week.title}"


def build_desired(program: Program, cohort: CohortSpec) -> CourseState:
    """Everything pd-sync should make exist in ``cohort``'s course."""
    extras = _generated_sections(program)
    index = PageIndex(program.pages)
    pages = tuple(_page(index, spec, extras.get(spec.key, "")) for spec in program.pages)
    deliverables = [(m, d) for m in program.modules for d in m.deliverables]
    assignments = tuple(_assignment(index, program, cohort, d) for _, d in deliverables)
    return CourseState(
        course_id=cohort.course_id,
        time_zone=cohort.time_zone,
        cohort=cohort.name,
        pages=pages,
        assignments=assignments,
        assignment_groups=tuple(
            AssignmentGroupState(
                name=g.name,
                position=g.position,
                group_weight=g.group_weight,
                renamed_from=g.renamed_from,
                absent=g.state is Presence.ABSENT,
                adopt=g.adopt,
            )
            for g in program.assignment_groups
        ),
        group_sets=tuple(
            GroupSetState(
                name=s.name,
                groups=tuple(GroupState(name=n) for n in s.groups),
                renamed_from=s.renamed_from,
                absent=s.state is Presence.ABSENT,
                adopt=s.adopt,
            )
            for s in program.group_sets
        ),
        modules=tuple(_module(program, m) for m in program.modules),
        files=tuple(
            FileState(path=f.path, size=len(f.data), digest=file_digest(f.data), data=f.data)
            for f in program.files
        ),
    )


def _files_of(source: str) -> Callable[[str], str | None]:
    return lambda target: file_path(source, target)


def _page(index: PageIndex, spec: PageSpec, extra_html: str) -> PageState:
    rendered = render_markdown(
        spec.body_markdown, index.resolver(spec.source), _files_of(spec.source)
    )
    kept = _as_canvas_keeps(rendered.html + extra_html)
    return PageState(
        title=spec.title,
        body=kept.html,
        published=spec.published,
        key=spec.key,
        renamed_from=spec.renamed_from,
        absent=spec.state is Presence.ABSENT,
        adopt=spec.adopt,
        source=spec.source,
        lost=located_losses(kept.dropped, spec.body_markdown, spec.source, spec.body_line),
    )


def _assignment(
    index: PageIndex, program: Program, cohort: CohortSpec, spec: DeliverableSpec
) -> AssignmentState:
    rendered = render_markdown(
        spec.description_markdown, index.resolver(spec.links_from), _files_of(spec.links_from)
    )
    kept = _as_canvas_keeps(rendered.html + _checklist_html(spec.checklist))
    # An inline description sits indented in YAML: its lines are known, its columns are not.
    lost = located_losses(
        kept.dropped,
        spec.description_markdown,
        spec.description_source or spec.links_from,
        spec.description_line,
        columns=spec.description_source is not None,
    )
    return AssignmentState(
        name=spec.title,
        description=kept.html,
        points_possible=float(spec.points),
        due_at=due_datetime(spec.due, cohort),
        submission_types=tuple(spec.submission_types),
        assignment_group=spec.assignment_group,
        published=spec.published,
        key=spec.key,
        renamed_from=spec.renamed_from,
        absent=spec.state is Presence.ABSENT,
        source=spec.description_source,
        lost=lost,
    )


def _as_canvas_keeps(html_text: str) -> KeptHtml:
    # Internal links are let through: the planner replaces them with relative page URLs,
    # which Canvas keeps, before anything is sent.
    return keep_as_canvas(html_text, internal_scheme=(PAGE_LINK_SCHEME, FILE_LINK_SCHEME))


def _module(program: Program, spec: ModuleSpec) -> ModuleState:
    titles = {p.key: p.title for p in program.pages}
    published = spec.published

    def page_item(key: str) -> ModuleItemState:
        return ModuleItemState(kind="Page", title=titles[key], published=published, ref=key)

    def header(title: str) -> ModuleItemState:
        return ModuleItemState(kind="SubHeader", title=title, published=published, ref=title)

    items = [page_item(spec.overview)]
    if spec.learning_goals is not None:
        items.append(page_item(spec.learning_goals.page))
    for week in spec.weeks:
        items.append(header(week_header(week)))
        items.append(page_item(week.page))
        items.extend(page_item(key) for key in week.pages)
        due_this_week = [d for d in spec.deliverables if d.due.week == week.number]
        for deliverable in sorted(due_this_week, key=lambda d: (_due_order(d), d.key)):
            if deliverable.state is Presence.PRESENT:
                items.append(
                    ModuleItemState(
                        kind="Assignment",
                        title=deliverable.title,
                        published=published and deliverable.published,
                        ref=deliverable.key,
                    )
                )
    if spec.supplemental:
        items.append(header(SUPPLEMENTAL_HEADER))
        items.extend(page_item(key) for key in spec.supplemental)
    if spec.resources:
        items.append(header(RESOURCES_HEADER))
        items.extend(page_item(key) for key in spec.resources)
    if spec.repeat_plan is not None:
        items.append(header(REPEAT_HEADER))
        items.append(page_item(spec.repeat_plan))
    pages = {p.key: p for p in program.pages}
    items = [
        i
        for i in items
        if i.kind != "Page" or (i.ref in pages and pages[i.ref].state is Presence.PRESENT)
    ]
    # A page item shows the page's own state: Canvas keeps the two in step.
    items = [
        ModuleItemState(
            kind=i.kind, title=i.title, published=published and pages[i.ref].published, ref=i.ref
        )
        if i.kind == "Page" and i.ref is not None
        else i
        for i in items
    ]
    return ModuleState(
        name=spec.title,
        published=published,
        items=tuple(items),
        key=spec.key,
        renamed_from=spec.renamed_from,
        absent=spec.state is Presence.ABSENT,
        adopt=spec.adopt,
    )


def _due_order(deliverable: DeliverableSpec) -> tuple[int, dt.time]:
    return (WEEKDAYS.index(deliverable.due.weekday), deliverable.due.time)


def _checklist_html(items: tuple[str, ...]) -> str:
    if not items:
        return ""
    lis = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return f"<h3>Checklist</h3>\n<ul>{lis}</ul>\n"


def _generated_sections(program: Program) -> dict[str, str]:
    """HTML appended to pages whose content the YAML describes: learning goals and weeks."""
    sections: dict[str, str] = {}
    for module in program.modules:
        if module.learning_goals is not None:
            sections[module.learning_goals.page] = _goals_html(module.learning_goals)
        for week in module.weeks:
            sections[week.page] = _week_html(program, module, week)
    return sections


def _goals_html(goals: LearningGoals) -> str:
    parts = ["<h2>Learning goals by competency</h2>\n<ul>"]
    for competency in goals.competencies:
        lis = "".join(f"<li>{html.escape(g)}</li>" for g in competency.goals)
        parts.append(f"<li><strong>{html.escape(competency.name)}</strong><ul>{lis}</ul></li>")
    parts.append("</ul>\n")
    return "".join(parts)


def _week_html(program: Program, module: ModuleSpec, week: WeekSpec) -> str:
    # Cohort-independent on purpose: moving a cohort's start date must change only the
    # assignments' due dates, not every week page.
    parts = [f"<h2>Week {week.number} at a glance</h2>\n"]
    if week.activities:
        lis = "".join(f"<li>{html.escape(a)}</li>" for a in week.activities)
        parts.append(f"<h3>Activities</h3>\n<ul>{lis}</ul>\n")
    if week.discussion_group is not None:
        group_set = next((g for g in program.group_sets if g.name == week.discussion_group), None)
        day = group_set.meeting_day if group_set is not None else "wednesday"
        parts.append(
            f"<h3>Discussion group</h3>\n<p>{html.escape(week.discussion_group)} meet on "
            f"{day.capitalize()} of this week.</p>\n"
        )
    due = sorted(
        (
            d
            for d in module.deliverables
            if d.due.week == week.number and d.state is Presence.PRESENT
        ),
        key=lambda d: (_due_order(d), d.key),
    )
    if due:
        lis = "".join(
            f"<li>{html.escape(d.title)}: due {html.escape(str(d.due))}</li>" for d in due
        )
        parts.append(f"<h3>Due this week</h3>\n<ul>{lis}</ul>\n")
    return "".join(parts)
