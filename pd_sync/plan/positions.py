"""PURE: a module's item list as Canvas numbers it, to plan creates and moves that land right.

ContentTag (app/models/content_tag.rb) is ``acts_as_list scope: :context_module`` and its
destroy only sets ``workflow_state = 'deleted'``, so a deleted item keeps its slot: live
positions can have gaps. ``set_position`` in context_module_items_api_controller.rb calls
``insert_at(n)`` with ``n`` as an absolute position, and ``ContextModule#add_item`` puts a new
item one past the last live one before that. A plan that counts positions 1..n densely sends
the wrong ``n`` as soon as a gap exists, and never converges; ``ItemLine`` instead tracks the
absolute position every live item will have after each planned write, shifting rows the way
``insert_at`` does, so each write is computed from the observed order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


class ItemLine(Generic[Key]):
    """The live items of one module, in Canvas order, with their absolute positions."""

    def __init__(self, observed: Iterable[tuple[Key, int]]) -> None:
        # Ties on position keep observed order (Canvas lists by position, then id).
        self._rows: list[tuple[Key, int]] = list(observed)

    def order(self) -> list[Key]:
        return [key for key, _ in self._rows]

    def position_of(self, key: Key) -> int:
        return next(position for k, position in self._rows if k == key)

    def _top(self) -> int:
        return max((position for _, position in self._rows), default=0) + 1

    def _shift(self, low: int, high: int, by: int) -> None:
        """Every live row with low <= position <= high moves by ``by`` (insert_at's renumber)."""
        self._rows = [
            (key, position + by if low <= position <= high else position)
            for key, position in self._rows
        ]

    def _settle(self, key: Key, position: int) -> None:
        rest = [(k, p) for k, p in self._rows if k != key]
        index = next((n for n, (_, p) in enumerate(rest) if p > position), len(rest))
        rest.insert(index, (key, position))
        self._rows = rest

    def move_before(self, key: Key, anchor: Key | None) -> tuple[int, int]:
        """Move ``key`` just before ``anchor`` (None: to the end); (old position, position sent)."""
        old = self.position_of(key)
        if anchor is None:
            # insert_at one past the last row: the rows after ``old`` close up by one.
            target = self._top() - 1
        else:
            at = self.position_of(anchor)
            target = at if old > at else at - 1
        if target < old:
            self._shift(target, old - 1, +1)
        elif target > old:
            self._shift(old + 1, target, -1)
        self._settle(key, target)
        return old, target

    def insert_before(self, key: Key, anchor: Key | None) -> int:
        """Create ``key`` just before ``anchor`` (None: at the end); the position to send."""
        top = self._top()
        if anchor is None:
            self._settle(key, top)
            return top
        target = self.position_of(anchor)
        # add_item puts the new row at ``top``; insert_at(target) then shifts [target, top).
        self._shift(target, top - 1, +1)
        self._settle(key, target)
        return target
