"""PURE: what becomes of an object pd-sync owns (by marker key) — pages and assignments alike.

Kept while its key is wanted (or was renamed to a wanted key); deleted when the curriculum says
``state: absent`` or, with ``--prune``, when its key left the curriculum; otherwise kept with a
notice saying how to delete it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from pd_sync.plan.actions import Notice


class _Keyed(Protocol):
    @property
    def key(self) -> str | None: ...
    @property
    def renamed_from(self) -> str | None: ...
    @property
    def absent(self) -> bool: ...


def deletion_reason(key: str, desired: Iterable[_Keyed], prune: bool) -> str | None:
    """Why to delete the owned object with ``key``; ``""`` to keep it; None when it is wanted."""
    reason = ""
    for wanted in desired:
        if wanted.key == key:
            if not wanted.absent:
                return None
            reason = "state: absent"
        elif wanted.renamed_from == key and not wanted.absent:
            return None
    if not reason and prune:
        reason = "left the curriculum (--prune)"
    return reason


def kept_orphan(kind: str, name: str, key: str) -> Notice:
    return Notice(
        kind=kind,
        object_name=name,
        reason=f"made by pd-sync (key {key}) but no longer in the curriculum; "
        "kept (run with --prune to delete it)",
    )
