"""PURE: what becomes of an object pd-sync owns (by marker key) — pages and assignments alike.

Kept while its key is wanted (or was renamed to a wanted key); deleted when the curriculum says
``state: absent`` or, with ``--prune``, when its key left the curriculum; otherwise kept with a
notice saying how to delete it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from pd_sync.plan.actions import Notice


class _Keyed(Protocol):
    @property
    def key(self) -> str | None: ...
    @property
    def renamed_from(self) -> str | None: ...
    @property
    def absent(self) -> bool: ...


@dataclass(frozen=True)
class Wanted:
    """The keys the curriculum still wants (present entries and what they were renamed from),
    and the keys it marks absent: built once per plan, so each lookup is O(1)."""

    present: frozenset[str]
    absent: frozenset[str]


def wanted_keys(desired: Iterable[_Keyed]) -> Wanted:
    present: set[str] = set()
    absent: set[str] = set()
    for entry in desired:
        if entry.absent:
            if entry.key is not None:
                absent.add(entry.key)
            continue
        present.update(k for k in (entry.key, entry.renamed_from) if k is not None)
    return Wanted(frozenset(present), frozenset(absent))


def deletion_reason(key: str, wanted: Wanted, prune: bool) -> str | None:
    """Why to delete the owned object with ``key``; ``""`` to keep it; None when it is wanted."""
    if key in wanted.present:
        return None
    if key in wanted.absent:
        return "state: absent"
    return "left the curriculum (--prune)" if prune else ""


def kept_orphan(kind: str, name: str, key: str) -> Notice:
    return Notice(
        kind=kind,
        object_name=name,
        reason=f"made by pd-sync (key {key}) but no longer in the curriculum; "
        "kept (run with --prune to delete it)",
    )
