"""PURE: (desired, observed) → Plan; the one planner behind plan, apply --dry-run and apply.

Identity rules (DESIGN.md): pages and assignments are pd-sync's when their HTML carries a marker
with a key; they match by that key, so a renamed title updates in place. Assignment groups,
group sets and modules match by name (or ``renamed_from``). Anything else in the course is not
pd-sync's and is never changed or deleted; where it is in the way, the plan says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from pd_sync.curriculum import PAGE_LINK_SCHEME
from pd_sync.desired import (
    AssignmentGroupState,
    CourseState,
    GroupSetState,
    PageState,
    canvas_slug,
    unique_slug,
    wrap_with_marker,
)
from pd_sync.plan.actions import (
    Action,
    Conflict,
    CreateAssignmentGroup,
    CreateGroup,
    CreateGroupSet,
    CreatePage,
    DeleteAssignment,
    DeleteAssignmentGroup,
    DeleteGroup,
    DeleteGroupSet,
    DeletePage,
    FieldChange,
    Plan,
    UpdateAssignmentGroup,
    UpdateGroupSet,
    UpdatePage,
    object_type_of,
)
from pd_sync.plan.assignments import plan_assignments
from pd_sync.plan.modules import plan_modules
from pd_sync.plan.orphans import deletion_reason, kept_orphan

_PAGE_LINK = re.compile(r'href="' + re.escape(PAGE_LINK_SCHEME) + r'([^"#]+)(#[^"]*)?"')


@dataclass(frozen=True)
class PlanOptions:
    """``prune``: delete owned pages/assignments whose key left the curriculum."""

    prune: bool = False


NO_PRUNE = PlanOptions()


def make_plan(desired: CourseState, observed: CourseState, options: PlanOptions = NO_PRUNE) -> Plan:
    """Every action that makes ``observed`` match ``desired``, in dependency order."""
    actions: list[Action] = []
    actions += _plan_assignment_groups(desired, observed)
    actions += _plan_group_sets(desired, observed)
    page_actions, blocked_pages = _plan_pages(desired, observed, options)
    actions += page_actions
    assignment_actions, blocked_assignments = plan_assignments(desired, observed, options.prune)
    actions += assignment_actions
    actions += plan_modules(desired, observed, blocked_pages | blocked_assignments)
    # Deletions of content go last so module items are removed first and nothing dangles.
    ordered = [a for a in actions if not isinstance(a, DeletePage | DeleteAssignment)]
    ordered += [a for a in actions if isinstance(a, DeletePage | DeleteAssignment)]
    return Plan(
        course_id=desired.course_id,
        time_zone=desired.time_zone,
        actions=tuple(ordered),
        up_to_date=_up_to_date(desired, ordered),
        notes=_notes(observed),
    )


def _notes(observed: CourseState) -> tuple[str, ...]:
    if not observed.page_bodies_read_one_by_one:
        return ()
    return (
        "this Canvas leaves page bodies out of its pages list (as older releases do), so "
        f"pd-sync read each of the {len(observed.pages)} pages on its own: one more request "
        "per page on every plan and apply",
    )


def _up_to_date(desired: CourseState, actions: list[Action]) -> tuple[tuple[str, str], ...]:
    touched = {(object_type_of(a), a.name) for a in actions}
    touched |= {
        ("module", a.name.split(" / ")[0]) for a in actions if a.object_type == "module item"
    }
    touched |= {("group set", a.name.split(" / ")[0]) for a in actions if a.object_type == "group"}
    candidates = [("page", p.title) for p in desired.pages if not p.absent]
    candidates += [("assignment", a.name) for a in desired.assignments if not a.absent]
    candidates += [("assignment group", g.name) for g in desired.assignment_groups if not g.absent]
    candidates += [("group set", s.name) for s in desired.group_sets if not s.absent]
    candidates += [("module", m.name) for m in desired.modules if not m.absent]
    return tuple(c for c in candidates if c not in touched)


def resolve_page_links(html: str, course_id: int, slugs: dict[str, str]) -> str:
    """Turn ``pd-sync-page:KEY`` hrefs into ``/courses/:id/pages/:slug`` (Canvas page URLs)."""

    def replace(match: re.Match[str]) -> str:
        slug = slugs.get(match.group(1), canvas_slug(match.group(1)))
        return f'href="/courses/{course_id}/pages/{slug}{match.group(2) or ""}"'

    return _PAGE_LINK.sub(replace, html)


# -- pages ---------------------------------------------------------------------------------


def _plan_pages(
    desired: CourseState, observed: CourseState, options: PlanOptions
) -> tuple[list[Action], frozenset[str]]:
    owned: dict[str, PageState] = {}
    duplicates: list[Action] = []
    for page in sorted(observed.pages, key=lambda p: p.page_id or 0):
        if page.key is None:
            continue
        if page.key in owned and page.url is not None:
            duplicates.append(DeletePage(page.key, page.url, page.title, Action.DUPLICATE))
        else:
            owned[page.key] = page
    unmanaged_titles = {p.title: p for p in observed.pages if p.key is None}
    wanted = [p for p in desired.pages if not p.absent]
    wanted_keys = {p.key for p in wanted}

    # Slugs first: links between pages need every page's final slug before any body is built.
    taken = {p.url for p in observed.pages if p.url is not None}
    slugs: dict[str, str] = {}
    matches: dict[str, PageState] = {}
    blocked: set[str] = set()
    for page in wanted:
        assert page.key is not None
        current = owned.get(page.key)
        if current is None and page.renamed_from is not None:
            current = owned.get(page.renamed_from)
        if current is not None:
            matches[page.key] = current
            if current.title == page.title and current.url is not None:
                slugs[page.key] = current.url
    for page in wanted:
        assert page.key is not None
        if page.key in slugs:
            continue
        current = matches.get(page.key)
        if page.title in unmanaged_titles:
            blocked.add(page.key)
            continue
        if current is not None and current.url is not None:
            taken.discard(current.url)
        slug = unique_slug(canvas_slug(page.title), taken)
        taken.add(slug)
        slugs[page.key] = slug

    actions: list[Action] = []
    creates: list[Action] = []
    for page in wanted:
        assert page.key is not None
        if page.key in blocked:
            actions.append(
                Conflict(
                    kind="page",
                    object_name=page.title,
                    reason=f'a page not made by pd-sync already has the title "{page.title}"; '
                    "rename one of them (pd-sync never modifies pages it does not own)",
                )
            )
            continue
        inner = resolve_page_links(page.body, desired.course_id, slugs)
        body, digest = wrap_with_marker(inner, page.key)
        current = matches.get(page.key)
        if current is None:
            creates.append(
                CreatePage(
                    key=page.key,
                    title=page.title,
                    body=body,
                    published=page.published,
                    url=slugs[page.key],
                )
            )
            continue
        update = _page_update(page, current, body, digest, slugs[page.key])
        if update is not None:
            actions.append(update)
    deletes = _page_deletions(observed, desired, options.prune)
    duplicates = [d for d in duplicates if isinstance(d, DeletePage) and d.key in wanted_keys]
    return creates + actions + deletes + duplicates, frozenset(blocked)


def _page_update(
    page: PageState, current: PageState, body: str, digest: str, new_url: str
) -> UpdatePage | None:
    assert page.key is not None and current.url is not None
    changes: list[FieldChange] = []
    reasons: list[str] = []
    drift = current.content_digest != current.digest
    if current.key != page.key:
        changes.append(FieldChange("key", current.key, page.key))
        reasons.append(f"key renamed from {current.key}")
    if current.title != page.title:
        changes.append(FieldChange("title", current.title, page.title))
        reasons.append("title changed")
    body_changed = digest != current.digest or drift
    if body_changed:
        changes.append(FieldChange("body", current.content_digest, digest))
        if digest != current.digest:
            reasons.append("body changed in the curriculum")
        if drift:
            reasons.append("edited in Canvas since the last sync; the curriculum's version wins")
    if current.published != page.published:
        changes.append(FieldChange("published", current.published, page.published))
        reasons.append("published" if page.published else "unpublished")
    if not changes:
        return None
    return UpdatePage(
        key=page.key,
        url=current.url,
        title=page.title,
        changes=tuple(changes),
        new_url=new_url,
        body=body if body_changed or current.key != page.key else None,
        old_body=current.body,
        drift=drift,
        reason="; ".join(reasons),
    )


def _page_deletions(observed: CourseState, desired: CourseState, prune: bool) -> list[Action]:
    actions: list[Action] = []
    for current in observed.pages:
        if current.key is None or current.url is None:
            continue
        reason = deletion_reason(current.key, desired.pages, prune)
        if reason:
            actions.append(DeletePage(current.key, current.url, current.title, reason))
        elif reason == "":
            actions.append(kept_orphan("page", current.title, current.key))
    return actions


# -- name-keyed objects --------------------------------------------------------------------


_Named = TypeVar("_Named", AssignmentGroupState, GroupSetState)


def _match_by_name(
    name: str, renamed_from: str | None, observed: Iterable[_Named]
) -> _Named | None:
    candidates = list(observed)
    for item in candidates:
        if item.name == name:
            return item
    if renamed_from is not None:
        for item in candidates:
            if item.name == renamed_from:
                return item
    return None


def _plan_assignment_groups(desired: CourseState, observed: CourseState) -> list[Action]:
    actions: list[Action] = []
    for group in desired.assignment_groups:
        current = _match_by_name(group.name, group.renamed_from, observed.assignment_groups)
        if group.absent:
            if current is not None and current.group_id is not None:
                actions.append(DeleteAssignmentGroup(current.group_id, current.name))
            continue
        if current is None or current.group_id is None:
            actions.append(CreateAssignmentGroup(group.name, group.position, group.group_weight))
            continue
        changes: list[FieldChange] = []
        if current.name != group.name:
            changes.append(FieldChange("name", current.name, group.name))
        if group.position is not None and current.position != group.position:
            changes.append(FieldChange("position", current.position, group.position))
        if group.group_weight is not None and current.group_weight != group.group_weight:
            changes.append(FieldChange("group_weight", current.group_weight, group.group_weight))
        if changes:
            reason = "renamed" if current.name != group.name else "settings changed"
            actions.append(
                UpdateAssignmentGroup(current.group_id, group.name, tuple(changes), reason)
            )
    return actions


def _plan_group_sets(desired: CourseState, observed: CourseState) -> list[Action]:
    actions: list[Action] = []
    for group_set in desired.group_sets:
        current = _match_by_name(group_set.name, group_set.renamed_from, observed.group_sets)
        if group_set.absent:
            if current is not None and current.group_set_id is not None:
                actions.append(DeleteGroupSet(current.group_set_id, current.name))
            continue
        existing: set[str] = set()
        wanted = {g.name for g in group_set.groups}
        if current is not None:
            seen: set[str] = set()
            for group in sorted(current.groups, key=lambda g: g.group_id or 0):
                if group.name in seen and group.name in wanted and group.group_id is not None:
                    actions.append(
                        DeleteGroup(group_set.name, group.group_id, group.name, Action.DUPLICATE)
                    )
                seen.add(group.name)
        if current is None or current.group_set_id is None:
            actions.append(CreateGroupSet(group_set.name))
        else:
            existing = {g.name for g in current.groups}
            if current.name != group_set.name:
                change = FieldChange("name", current.name, group_set.name)
                actions.append(
                    UpdateGroupSet(current.group_set_id, group_set.name, (change,), "renamed")
                )
        for group in group_set.groups:
            if group.name not in existing:
                actions.append(CreateGroup(group_set.name, group.name))
    return actions
