"""PURE: (desired, observed) → Plan; the one planner behind plan, apply --dry-run and apply.

Identity rules (DESIGN.md): pages and assignments carry a marker with their key and match by it,
so a renamed title updates in place; assignment groups, group sets and modules match by name
(or ``renamed_from``). Ownership is proven by the course's ownership record (``ownership``):
what pd-sync cannot prove it made is never changed or deleted; where it is in the way, the plan
says so. Every plan that creates or claims objects ends by recording them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pd_sync.desired import (
    AssignmentState,
    CourseState,
    PageState,
    canvas_slug,
    unique_slug,
    wrap_with_marker,
)
from pd_sync.errors import PlanError
from pd_sync.plan.actions import (
    Action,
    Conflict,
    CreatePage,
    DeleteAssignment,
    DeletePage,
    FieldChange,
    Plan,
    UpdatePage,
    object_type_of,
)
from pd_sync.plan.assignments import plan_assignments
from pd_sync.plan.file_actions import (
    CreateFile,
    DeleteFile,
    UpdateFile,
)
from pd_sync.plan.files import pending_files, plan_files, with_known_files
from pd_sync.plan.links import links_followed, loss_notice, resolve_page_links
from pd_sync.plan.modules import plan_modules
from pd_sync.plan.named import plan_assignment_groups, plan_group_sets
from pd_sync.plan.orphans import deletion_reason, kept_orphan, wanted_keys
from pd_sync.plan.ownership import (
    Claims,
    copy_notice,
    marker_gone_notice,
    record_actions,
    split_marked,
)
from pd_sync.plan.target import PlanTarget


@dataclass(frozen=True)
class PlanOptions:
    """``prune``: delete owned pages/assignments whose key left the curriculum."""

    prune: bool = False


NO_PRUNE = PlanOptions()


def make_plan(desired: CourseState, observed: CourseState, options: PlanOptions = NO_PRUNE) -> Plan:
    """Every action that makes ``observed`` match ``desired``, in dependency order."""
    claims = Claims()
    record = observed.ownership
    # Files first: every HTML field that shows one needs its Canvas id (or waits for it).
    files = plan_files(desired, observed, options.prune, claims)
    desired = with_known_files(desired, files)
    assignments = split_marked(observed.assignments, "assignment", _assignment_id, record)
    owned_assignments = {a.assignment_id for a in assignments.owned.values() if a.assignment_id}
    groups = plan_assignment_groups(desired, observed, owned_assignments, claims)
    actions: list[Action] = list(groups.actions)
    actions += plan_group_sets(desired, observed, claims)
    actions += files.actions
    page_actions, blocked_pages, page_keys, slugs = _plan_pages(desired, observed, options, claims)
    actions += page_actions
    # Descriptions link to pages too: they are resolved against the same slugs as page bodies.
    assignment_actions, blocked_assignments = plan_assignments(
        desired, observed, options.prune, assignments, groups, claims, slugs
    )
    actions += assignment_actions
    assignment_keys = {
        a.assignment_id: k for k, a in assignments.owned.items() if a.assignment_id is not None
    }
    actions += plan_modules(
        desired, observed, blocked_pages | blocked_assignments, page_keys, assignment_keys, claims
    )
    # Deletions of content go last so module items are removed first and nothing dangles;
    # files last of all, once no page or description shows them.
    last_kinds = (DeletePage, DeleteAssignment, DeleteFile)
    ordered = [a for a in actions if not isinstance(a, last_kinds)]
    ordered += [a for a in actions if isinstance(a, DeletePage | DeleteAssignment)]
    ordered += [a for a in actions if isinstance(a, DeleteFile)]
    first, last = record_actions(ordered, record, claims.ids, claims.resolved)
    return Plan(
        course_id=desired.course_id,
        time_zone=desired.time_zone,
        actions=tuple(first + ordered + last),
        up_to_date=_up_to_date(desired, ordered),
        notes=_notes(observed),
        target=PlanTarget(
            url=observed.host,
            course_id=desired.course_id,
            course_name=observed.course_name,
            cohort=desired.cohort,
        ),
        prune=options.prune,
    )


def _notes(observed: CourseState) -> tuple[str, ...]:
    if not observed.page_bodies_read_one_by_one:
        return ()
    return (
        "this Canvas leaves page bodies out of its pages list (as older releases do), so "
        f"pd-sync read each of the {len(observed.pages)} pages on its own: one more request "
        "per page on every plan and apply",
    )


def _assignment_id(assignment: AssignmentState) -> int | None:
    return assignment.assignment_id


def _page_id(page: PageState) -> int | None:
    return page.page_id


def _up_to_date(desired: CourseState, actions: list[Action]) -> tuple[tuple[str, str], ...]:
    touched = {(object_type_of(a), a.name) for a in actions}
    touched |= {
        ("module", a.name.split(" / ")[0]) for a in actions if a.object_type == "module item"
    }
    touched |= {("group set", a.name.split(" / ")[0]) for a in actions if a.object_type == "group"}
    touched |= {
        ("file", a.path) for a in actions if isinstance(a, CreateFile | UpdateFile | DeleteFile)
    }
    candidates = [("page", p.title) for p in desired.pages if not p.absent]
    candidates += [("assignment", a.name) for a in desired.assignments if not a.absent]
    candidates += [("assignment group", g.name) for g in desired.assignment_groups if not g.absent]
    candidates += [("group set", s.name) for s in desired.group_sets if not s.absent]
    candidates += [("module", m.name) for m in desired.modules if not m.absent]
    candidates += [("file", f.path) for f in desired.files if f.path is not None]
    return tuple(c for c in candidates if c not in touched)


# -- pages ---------------------------------------------------------------------------------


def _plan_pages(
    desired: CourseState, observed: CourseState, options: PlanOptions, claims: Claims
) -> tuple[list[Action], frozenset[str], dict[str, str], dict[str, str]]:
    """The page actions, the keys blocked by a conflict, owned pages' keys by URL, slugs."""
    split = split_marked(observed.pages, "page", _page_id, observed.ownership)
    owned = split.owned
    for page_id in split.claimed:
        claims.claim("page", page_id)
    duplicates: list[Action] = [
        DeletePage(p.key, p.url, p.title, Action.DUPLICATE)
        for p in split.seconds
        if p.key is not None and p.url is not None
    ]
    notices: list[Action] = [
        copy_notice("page", p.title, p.key) for p in split.copies if p.key is not None
    ]
    unmanaged_titles = {p.title: p for p in observed.pages if p.key is None}
    unmanaged_titles |= {p.title: p for p in split.copies}
    wanted = [p for p in desired.pages if not p.absent]
    wanted_keys = {p.key for p in wanted}

    # Slugs first: links between pages need every page's final slug before any body is built.
    taken = {p.url for p in observed.pages if p.url is not None}
    slugs: dict[str, str] = {}
    matches: dict[str, PageState] = {}
    blocked: set[str] = set()
    # pd-sync's own pages (the record says so) whose marker a hand edit removed.
    unmarked: dict[str, PageState] = {}
    record = observed.ownership
    for page in wanted:
        if page.key is None:
            raise PlanError("a curriculum page has no key")
        current = owned.get(page.key)
        if current is None and page.renamed_from is not None:
            current = owned.get(page.renamed_from)
        if current is not None:
            matches[page.key] = current
            if current.title == page.title and current.url is not None:
                slugs[page.key] = current.url
    for page in wanted:
        if page.key is None:
            raise PlanError("a curriculum page has no key")
        if page.key in slugs:
            continue
        current = matches.get(page.key)
        hand = unmanaged_titles.get(page.title) if current is None else None
        if hand is not None and page.adopt and hand.url is not None:
            # Taken over as the curriculum says: it keeps its URL and gets the marker.
            matches[page.key] = hand
            claims.claim("page", hand.page_id)
            slugs[page.key] = hand.url
            continue
        if hand is not None and hand.url and hand.key is None and record.has("page", hand.page_id):
            unmarked[page.key] = hand
            slugs[page.key] = hand.url  # links keep reaching it, where it is
            continue
        if hand is not None:
            blocked.add(page.key)
            continue
        if current is not None and current.url is not None:
            taken.discard(current.url)
        slug = unique_slug(canvas_slug(page.title), taken)
        taken.add(slug)
        slugs[page.key] = slug

    # Where the matched pages are in Canvas now, to tell a body that changes only because its
    # links follow a renamed page from one the curriculum changed.
    old_slugs = {k: m.url for k, m in matches.items() if m.url is not None}
    titles = {p.key: p.title for p in wanted}
    actions: list[Action] = []
    creates: list[Action] = []
    for page in wanted:
        if page.key is None:
            raise PlanError("a curriculum page has no key")
        if page.key in unmarked:
            actions.append(marker_gone_notice(page.title))
            continue
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
        # What Canvas would drop is said whenever the HTML is sent, not on every plan.
        notice = loss_notice("page", page.title, page.lost)
        inner = resolve_page_links(page.body, desired.course_id, slugs)
        body, digest = wrap_with_marker(inner, page.key)
        current = matches.get(page.key)
        if current is None:
            actions += [notice] if notice is not None else []
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
        old_inner, moved = links_followed(page.body, desired.course_id, old_slugs, slugs)
        followed: tuple[str, ...] = ()
        if moved and wrap_with_marker(old_inner, page.key)[1] == current.digest:
            followed = tuple(titles[key] for key in moved)
        update = _page_update(page, current, body, digest, slugs[page.key], followed)
        if update is not None:
            actions += [notice] if notice is not None and update.body is not None else []
            actions.append(update)
    deletes = _page_deletions(owned.values(), desired, options.prune)
    duplicates = [d for d in duplicates if isinstance(d, DeletePage) and d.key in wanted_keys]
    page_keys = {p.url: k for k, p in (owned | unmarked).items() if p.url is not None}
    actions = creates + actions + deletes + duplicates + notices
    return actions, frozenset(blocked), page_keys, slugs


def _page_update(
    page: PageState,
    current: PageState,
    body: str,
    digest: str,
    new_url: str,
    followed: tuple[str, ...] = (),
) -> UpdatePage | None:
    """The update ``current`` needs to become ``page``; ``followed`` names the renamed pages
    whose new URL is the only change to the body (each said as the reason, not "body changed").
    """
    if page.key is None or current.url is None:
        raise PlanError("a curriculum page has no key; an observed page has no URL")
    changes: list[FieldChange] = []
    reasons: list[str] = []
    drift = current.content_digest != current.digest
    if current.key != page.key:
        changes.append(FieldChange("key", current.key, page.key))
        reasons.append(f"key renamed from {current.key}")
    if current.title != page.title:
        changes.append(FieldChange("title", current.title, page.title))
        reasons.append("title changed")
    # A file uploaded by this plan gets its id only then: the body must be sent again.
    uploads = sorted(pending_files(body))
    body_changed = digest != current.digest or drift or bool(uploads)
    if body_changed:
        changes.append(FieldChange("body", current.content_digest, digest))
        if uploads:
            reasons.append(f"shows {', '.join(uploads)}, uploaded in this run")
        elif digest != current.digest:
            reasons += [f"links to '{t}' updated (its URL changed)" for t in followed] or [
                "body changed in the curriculum"
            ]
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


def _page_deletions(owned: Iterable[PageState], desired: CourseState, prune: bool) -> list[Action]:
    actions: list[Action] = []
    wanted = wanted_keys(desired.pages)
    for current in owned:
        if current.key is None or current.url is None:
            continue
        reason = deletion_reason(current.key, wanted, prune)
        if reason:
            actions.append(DeletePage(current.key, current.url, current.title, reason))
        elif reason == "":
            actions.append(kept_orphan("page", current.title, current.key))
    return actions
