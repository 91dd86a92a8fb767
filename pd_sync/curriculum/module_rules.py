"""Rules on what a Canvas module and the whole curriculum may hold: counts, and repeated pages.

A module lists a page as one item per reference (overview, learning goals, each week's page,
supplemental pages, repeat plan). The planner matches a module's items to Canvas's by page, so a
page named twice matches one item only: the second is planned anew on every run (the sync never
converges, and the planner's own checks can fail). It is reported at the second reference,
naming the first. The counts are bounds of sense from
``limits``, reported where the first object beyond the bound is written.
"""

from __future__ import annotations

from collections.abc import Iterator

from pd_sync.curriculum.collected import Collected, Item
from pd_sync.curriculum.excerpt import quoted
from pd_sync.curriculum.limits import MODULE_ITEMS_MAX, PAGES_MAX
from pd_sync.curriculum.record import Record, Value
from pd_sync.curriculum.yaml_nodes import where
from pd_sync.errors import Problem


def check_modules(collected: Collected) -> None:
    """Add the problems of every module, and of the page count, to ``collected.problems``."""
    for item in collected.items["modules"]:
        _pages_once(item, collected.problems)
        _item_count(item, collected.problems)
    pages = collected.items["pages"]
    if len(pages) > PAGES_MAX:
        first_beyond = pages[PAGES_MAX]
        position = first_beyond.record.position
        message = (
            f"the curriculum has {len(pages)} pages, more than the limit of {PAGES_MAX} "
            f"{where(first_beyond.record.path)}; split it into several curricula"
        )
        collected.problems.append(
            Problem(first_beyond.file.display, position.line, position.column, message)
        )


def _page_items(module: Record) -> Iterator[Value]:
    """The module's page references in the order its items appear in Canvas."""
    if (overview := module.get("overview")) is not None:
        yield overview
    goals = module.record("learning_goals")
    if goals is not None and (page := goals.get("page")) is not None:
        yield page
    for week in module.records("weeks"):
        if (page := week.get("page")) is not None:
            yield page
        yield from _listed(week, "pages")
    yield from _listed(module, "supplemental")
    yield from _listed(module, "resources")
    if (repeat := module.get("repeat_plan")) is not None:
        yield repeat


def _listed(record: Record, name: str) -> Iterator[Value]:
    listed = record.get(name)
    if listed is not None and isinstance(listed.value, tuple):
        yield from (v for v in listed.value if isinstance(v, Value))


def _pages_once(item: Item, problems: list[Problem]) -> None:
    first: dict[object, Value] = {}
    for value in _page_items(item.record):
        earlier = first.setdefault(value.value, value)
        if earlier is value:
            continue
        message = (
            f"page {quoted(str(value.value))} is already an item of this module "
            f"{where(value.path)} (as {earlier.path}, at {item.file.display}:"
            f"{earlier.position.line}:{earlier.position.column}); list each page once per "
            "module, or make another page for it"
        )
        at = value.position
        problems.append(Problem(item.file.display, at.line, at.column, message))


def _item_count(item: Item, problems: list[Problem]) -> None:
    module = item.record
    count = sum(1 for _ in _page_items(module))
    count += len(module.records("weeks"))  # one SubHeader each
    count += len(module.records("deliverables"))
    count += 1 if module.get("supplemental") is not None else 0  # its SubHeader
    count += 1 if module.get("resources") is not None else 0  # its SubHeader
    count += 1 if module.get("repeat_plan") is not None else 0  # its SubHeader
    if count > MODULE_ITEMS_MAX:
        position = module.position
        message = (
            f"the module would have {count} items, more than the limit of {MODULE_ITEMS_MAX} "
            f"{where(module.path)}; split it into several modules"
        )
        problems.append(Problem(item.file.display, position.line, position.column, message))
