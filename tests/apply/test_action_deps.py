"""The dependency graph concurrent apply runs: what must wait, and that the rest need not."""

from __future__ import annotations

import itertools
from pathlib import Path

from pd_sync.apply.deps import critical_path, dependency_graph, heights, touches
from pd_sync.curriculum import load_curriculum
from pd_sync.desired import CourseState, build_desired
from pd_sync.plan import (
    Action,
    CreateAssignment,
    CreateGroup,
    CreateGroupSet,
    CreateModule,
    CreateModuleItem,
    CreatePage,
    RecordOwnership,
    UpdateModule,
    make_plan,
)

ROOT = Path(__file__).resolve().parents[2]


def _first_sync_writes() -> tuple[Action, ...]:
    program = load_curriculum(ROOT / "curriculum")
    desired = build_desired(program, program.cohorts[0])
    empty = CourseState(course_id=1, time_zone=desired.time_zone)
    return make_plan(desired, empty).writes


def _reaches(waits: tuple[frozenset[int], ...], later: int, earlier: int) -> bool:
    """Whether ``later`` (transitively) waits for ``earlier``."""
    stack, seen = [later], set()
    while stack:
        node = stack.pop()
        for before in waits[node]:
            if before == earlier:
                return True
            if before not in seen:
                seen.add(before)
                stack.append(before)
    return False


def test_edges_point_backwards_so_the_plan_order_is_a_valid_schedule() -> None:
    waits = dependency_graph(_first_sync_writes())
    assert all(before < index for index, deps in enumerate(waits) for before in deps)


def test_every_pair_that_shares_a_resource_keeps_plan_order() -> None:
    writes = _first_sync_writes()
    waits = dependency_graph(writes)
    for earlier, later in itertools.combinations(range(len(writes)), 2):
        a, b = touches(writes[earlier]), touches(writes[later])
        conflict = a.writes & (b.reads | b.writes) or b.writes & a.reads
        if conflict:
            assert _reaches(waits, later, earlier), (writes[earlier], writes[later])


def test_groups_wait_for_their_set_and_items_for_module_and_content() -> None:
    writes = _first_sync_writes()
    waits = dependency_graph(writes)

    def position(kind: type[Action], **match: object) -> int:
        return next(
            n
            for n, a in enumerate(writes)
            if isinstance(a, kind) and all(getattr(a, k) == v for k, v in match.items())
        )

    for n, action in enumerate(writes):
        if isinstance(action, CreateGroup):
            assert _reaches(waits, n, position(CreateGroupSet, set_name=action.set_name))
        if isinstance(action, CreateModuleItem):
            assert _reaches(waits, n, position(CreateModule, module_name=action.module_name))
            if action.kind == "Page":
                assert _reaches(waits, n, position(CreatePage, key=action.ref))
            if action.kind == "Assignment":
                assert _reaches(waits, n, position(CreateAssignment, key=action.ref))
    publish = next(n for n, a in enumerate(writes) if isinstance(a, UpdateModule))
    items = [n for n, a in enumerate(writes) if isinstance(a, CreateModuleItem)]
    assert items and all(_reaches(waits, publish, n) for n in items)


def test_pages_and_group_sets_do_not_wait_for_anything() -> None:
    writes = _first_sync_writes()
    waits = dependency_graph(writes)
    free = [n for n, a in enumerate(writes) if isinstance(a, CreatePage | CreateGroupSet)]
    assert len(free) >= 10
    # Only the ownership record's announcement runs before them (it precedes every write).
    begin = next(n for n, a in enumerate(writes) if isinstance(a, RecordOwnership))
    assert begin == 0 and isinstance(writes[0], RecordOwnership) and writes[0].stage == "begin"
    assert all(waits[n] == frozenset({begin}) for n in free)
    # One module: its items form the longest chain, far shorter than the plan itself.
    assert critical_path(waits) < len(writes) * 0.75


def test_an_unknown_action_orders_against_everything() -> None:
    class Custom(Action):
        pass

    page = CreatePage("a", "A", "<p>a</p>", True, "a")
    waits = dependency_graph([page, Custom(), page])
    assert waits == (frozenset(), frozenset({0}), frozenset({0, 1}))


def test_heights_count_the_longest_chain_waiting_on_each_write() -> None:
    # 0 <- 1 <- 3, 0 <- 2, and 4 alone
    waits = (frozenset(), frozenset({0}), frozenset({0}), frozenset({1}), frozenset())
    assert heights(waits) == (3, 2, 1, 1, 1)


def test_the_module_chain_is_the_tallest_in_a_first_sync() -> None:
    writes = _first_sync_writes()
    tall = heights(dependency_graph(writes))
    module = next(n for n, a in enumerate(writes) if isinstance(a, CreateModule))
    # The record's announcement heads every chain; after it, the module's is the tallest.
    assert isinstance(writes[0], RecordOwnership) and writes[0].stage == "begin"
    assert tall[module] == max(tall[1:]) == critical_path(dependency_graph(writes)) - 1
