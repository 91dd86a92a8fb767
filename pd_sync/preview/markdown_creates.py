"""PURE: what a plan creates, listed compactly for the Markdown comment (``markdown_report``).

A first sync creates every page with its whole body; shown one collapsed diff each, that is most
of a comment and tells a reviewer little the curriculum does not. Here each created object is
one table row or list item with what a reviewer checks before apply — an assignment's due date,
points, submission types and group; a page's published state — and groups and module items are
one line per group set and module. Every value from the curriculum goes through
``pd_sync.preview.inert.markdown_text``.

The listing is made of ``Section``\\s of ``Entry``\\s, the units ``markdown_report`` shortens or
leaves out from the end when the comment would exceed GitHub's limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pd_sync.plan import (
    Action,
    CreateAssignment,
    CreateAssignmentGroup,
    CreateGroup,
    CreateGroupSet,
    CreateModule,
    CreateModuleItem,
    CreatePage,
    Plan,
)
from pd_sync.preview.inert import markdown_text
from pd_sync.preview.text import local_due

# Every create type listed here; any other "+" action is shown with the changes instead.
LISTED = (
    CreateAssignmentGroup,
    CreateGroupSet,
    CreateGroup,
    CreatePage,
    CreateAssignment,
    CreateModule,
    CreateModuleItem,
)


@dataclass(frozen=True)
class Entry:
    """One unit of the comment: ``full``; ``short`` once its details must go (the same text
    when it has none); ``actions``, how many of the plan's actions it shows."""

    full: str
    short: str
    actions: int

    @property
    def shortens(self) -> bool:
        return self.short != self.full


@dataclass(frozen=True)
class Section:
    """Entries under a header; shown, header and trailer too, while any entry is."""

    header: str
    entries: tuple[Entry, ...]
    trailer: str = "\n"
    creates: bool = True


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _points(points: float) -> str:
    return f"{points:g}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _assignment_groups(actions: Sequence[Action]) -> Section | None:
    groups = [a for a in actions if isinstance(a, CreateAssignmentGroup)]
    if not groups:
        return None
    entries = []
    for group in groups:
        weight = "" if group.group_weight is None else f" (weight {group.group_weight:g}%)"
        line = f"- {markdown_text(group.group_name)}{weight}\n"
        entries.append(Entry(line, line, 1))
    return Section(f"**Assignment groups to create** ({len(groups)})\n\n", tuple(entries))


def _grouped(
    actions: Iterable[Action],
    parent: type[Action],
    child: type[Action],
    key: Callable[[Action], str],
) -> list[tuple[str, bool, list[Action]]]:
    """``(parent name, parent created here, children)`` in the order the plan names them."""
    order: dict[str, tuple[bool, list[Action]]] = {}
    for action in actions:
        if isinstance(action, parent | child):
            _, children = order.setdefault(key(action), (False, []))
            if isinstance(action, parent):
                order[key(action)] = (True, children)
            else:
                children.append(action)
    return [(name, created, children) for name, (created, children) in order.items()]


def _titled_entry(
    name: str, created: bool, kind: str, child: str, titles: list[str], extra: int
) -> Entry:
    """``- **name** (new KIND): N CHILDs — a · b · c``; its short form without the titles."""
    head = f"- **{markdown_text(name)}**" + (f" (new {kind})" if created else "")
    if not titles:
        line = head + "\n"
        return Entry(line, line, extra)
    count = f"{head}: {_plural(len(titles), child)}" + ("" if created else " added")
    return Entry(f"{count} — {' · '.join(titles)}\n", count + "\n", len(titles) + extra)


def _group_sets(actions: Sequence[Action]) -> Section | None:
    sets = _grouped(actions, CreateGroupSet, CreateGroup, lambda a: getattr(a, "set_name", ""))
    if not sets:
        return None
    entries = tuple(
        _titled_entry(
            name,
            created,
            "group set",
            "group",
            [markdown_text(getattr(g, "group_name", "")) for g in groups],
            int(created),
        )
        for name, created, groups in sets
    )
    return Section("**Group sets and groups to create**\n\n", entries)


def _pages(actions: Sequence[Action]) -> Section | None:
    pages = [a for a in actions if isinstance(a, CreatePage)]
    if not pages:
        return None
    rows = []
    for page in pages:
        row = f"| {markdown_text(page.title)} | {_yes(page.published)} |\n"
        rows.append(Entry(row, row, 1))
    header = f"**Pages to create** ({len(pages)})\n\n| page | published |\n|---|---|\n"
    return Section(header, tuple(rows))


def _assignments(actions: Sequence[Action], time_zone: str) -> Section | None:
    assignments = [a for a in actions if isinstance(a, CreateAssignment)]
    if not assignments:
        return None
    rows = []
    for item in assignments:
        due = "(none)" if item.due_at is None else local_due(item.due_at, time_zone)
        cells = (
            item.title,
            due,
            _points(item.points_possible),
            ", ".join(item.submission_types) or "(none)",
            item.assignment_group,
            _yes(item.published),
        )
        row = "| " + " | ".join(markdown_text(cell) for cell in cells) + " |\n"
        rows.append(Entry(row, row, 1))
    header = (
        f"**Assignments to create** ({len(assignments)})\n\n"
        "| assignment | due | points | submission types | group | published |\n"
        "|---|---|--:|---|---|---|\n"
    )
    return Section(header, tuple(rows))


def _item_title(item: Action) -> str:
    kind, title = getattr(item, "kind", ""), markdown_text(getattr(item, "title", ""))
    if kind == "SubHeader":
        return f"_{title}_"  # the headings that structure a module, set apart from its items
    return title if kind == "Page" else f"{title} ({markdown_text(kind.lower())})"


def _modules(actions: Sequence[Action]) -> Section | None:
    modules = _grouped(
        actions, CreateModule, CreateModuleItem, lambda a: getattr(a, "module_name", "")
    )
    if not modules:
        return None
    entries = tuple(
        _titled_entry(
            name, created, "module", "item", [_item_title(i) for i in items], int(created)
        )
        for name, created, items in modules
    )
    return Section("**Modules and module items to create**\n\n", entries)


def create_sections(plan: Plan) -> list[Section]:
    """The plan's creates of the ``LISTED`` types, by object type."""
    creates = [a for a in plan.actions if isinstance(a, LISTED)]
    sections = (
        _assignment_groups(creates),
        _group_sets(creates),
        _pages(creates),
        _assignments(creates, plan.time_zone),
        _modules(creates),
    )
    return [section for section in sections if section is not None]
