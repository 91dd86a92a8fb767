"""PURE: which observed objects pd-sync can prove it made, and what this plan adds to the record.

Proof comes from the ownership record (``desired.ownership``). Objects with a marker (pages,
assignments) are also claimed when no recorded object has their key: the lowest id is taken as
pd-sync's (a run that died before recording it, or a course synced before the record existed)
and recorded now; any other object carrying the same marker is a copy made in Canvas and is left
alone. Objects matched by name (modules, assignment groups, group sets, groups, SubHeaders) are
pd-sync's only when recorded, announced by a run's intent, or adopted with ``adopt: true``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from pd_sync.desired import OwnershipRecord
from pd_sync.plan.actions import (
    Action,
    CreateAssignmentGroup,
    CreateGroup,
    CreateGroupSet,
    CreateModule,
    CreateModuleItem,
    Notice,
    RecordOwnership,
)
from pd_sync.plan.file_actions import CreateFile, UpdateFile


class _Marked(Protocol):
    @property
    def key(self) -> str | None: ...


_M = TypeVar("_M", bound=_Marked)


@dataclass
class MarkedSplit(Generic[_M]):
    """Marked objects by key: pd-sync's, proven second copies, and copies it cannot claim."""

    owned: dict[str, _M] = field(default_factory=dict)
    seconds: list[_M] = field(default_factory=list)
    copies: list[_M] = field(default_factory=list)
    claimed: list[int] = field(default_factory=list)


def split_marked(
    objects: Iterable[_M], kind: str, id_of: Callable[[_M], int | None], record: OwnershipRecord
) -> MarkedSplit[_M]:
    """Sort marked ``objects`` into owned (one per key), proven second copies and plain copies."""
    split: MarkedSplit[_M] = MarkedSplit()
    by_key: dict[str, list[_M]] = {}
    for obj in sorted(objects, key=lambda o: id_of(o) or 0):
        if obj.key is not None and id_of(obj) is not None:
            by_key.setdefault(obj.key, []).append(obj)
    for key, candidates in by_key.items():
        recorded = [o for o in candidates if record.has(kind, id_of(o))]
        if recorded:
            split.owned[key] = recorded[0]
            split.seconds += recorded[1:]
            split.copies += [o for o in candidates if o not in recorded]
        else:
            split.owned[key] = candidates[0]
            split.claimed.append(id_of(candidates[0]) or 0)
            split.copies += candidates[1:]
    return split


@dataclass
class Claims:
    """What this plan takes as pd-sync's without a record entry yet: recorded when it runs."""

    ids: set[tuple[str, int]] = field(default_factory=set)
    resolved: set[tuple[str, str]] = field(default_factory=set)

    def claim(self, kind: str, object_id: int | None, name: str | None = None) -> None:
        if object_id is not None:
            self.ids.add((kind, object_id))
        if name is not None:
            self.resolved.add((kind, name))


class _Named(Protocol):
    @property
    def name(self) -> str: ...


_N = TypeVar("_N", bound=_Named)


def match_named(
    kind: str,
    wanted: tuple[str, str | None, bool],
    candidates: Sequence[_N],
    id_of: Callable[[_N], int | None],
    record: OwnershipRecord,
    claims: Claims,
) -> tuple[_N | None, str | None]:
    """The observed object a name-matched curriculum object is, or why there is none.

    ``wanted`` is (name, renamed_from, adopt). Only pd-sync's objects match by name or by
    ``renamed_from``; a same-name object pd-sync did not make is adopted only when the
    curriculum says ``adopt: true``, and is otherwise a conflict (the returned reason).
    """
    name, renamed_from, adopt = wanted
    owned = [c for c in candidates if proven(record, kind, id_of(c), c.name)]
    for names in ((name,), (renamed_from,) if renamed_from is not None else ()):
        for candidate in owned:
            if candidate.name in names:
                if not record.has(kind, id_of(candidate)):
                    claims.claim(kind, id_of(candidate), candidate.name)
                return candidate, None
    for candidate in candidates:
        if candidate.name == name and candidate not in owned:
            if adopt:
                claims.claim(kind, id_of(candidate))
                return candidate, None
            return None, not_owned_conflict(kind, name)
    return None, None


def owned_seconds(
    kind: str,
    kept: _N,
    candidates: Sequence[_N],
    id_of: Callable[[_N], int | None],
    record: OwnershipRecord,
) -> list[_N]:
    """Recorded objects with ``kept``'s name besides it: what concurrent runs left twice."""
    return [
        c
        for c in candidates
        if c is not kept and c.name == kept.name and proven(record, kind, id_of(c), c.name)
    ]


def copy_notice(kind: str, name: str, key: str) -> Notice:
    return Notice(
        kind=kind,
        object_name=name,
        reason=f"carries pd-sync's marker for {key}, but pd-sync did not make it (copied in "
        "Canvas?); left alone",
    )


def marker_gone_notice(title: str) -> Notice:
    return Notice(
        kind="page",
        object_name=title,
        reason="its pd-sync marker is gone: edited in Canvas? pd-sync made this page (its "
        "ownership record says so) but leaves it alone while the marker is missing; links to "
        "it keep its URL. To let pd-sync manage it again, add `adopt: true` to the page in the "
        "curriculum: the next apply replaces it with the curriculum's version",
    )


def proven(record: OwnershipRecord, kind: str, object_id: int | None, name: str) -> bool:
    """Whether a name-matched object is pd-sync's: recorded, or announced by a run's intent."""
    return record.has(kind, object_id) or record.announced(kind, name)


def not_owned_conflict(kind: str, name: str) -> str:
    return (
        f'a {kind} named "{name}" exists in Canvas but pd-sync did not make it; pd-sync leaves it '
        f"alone. Rename one of them, or add `adopt: true` to the {kind} in the curriculum to "
        "let pd-sync manage it"
    )


def intent_of(action: Action) -> tuple[str, str] | None:
    """The ``(kind, name)`` a create announces before it runs, for objects with no marker."""
    match action:
        case CreateModule():
            return ("module", action.module_name)
        case CreateAssignmentGroup():
            return ("assignment group", action.group_name)
        case CreateGroupSet():
            return ("group set", action.set_name)
        case CreateGroup():
            return ("group", f"{action.set_name}/{action.group_name}")
        case CreateModuleItem() if action.kind == "SubHeader":
            return ("module item", f"{action.module_name}/{action.title}")
        case CreateFile() | UpdateFile():
            # An upload that lands before its id is recorded is recognised by this (file
            # path) when the next run finds it in pd-sync's folder: uploaded over, not a conflict.
            return ("file", action.path)
        case _:
            return None


def record_actions(
    actions: Sequence[Action],
    record: OwnershipRecord,
    claimed: Iterable[tuple[str, int]],
    resolved: Iterable[tuple[str, str]] = (),
) -> tuple[list[Action], list[Action]]:
    """The record writes this plan needs: (to run first, to run last); none on a no-op.

    A plan that creates anything records the new ids when it finishes; one that creates objects
    without a marker first writes an intent naming them, so a run that dies mid-way still
    proves what it made. Claimed (adopted or recovered) objects are recorded too.
    """
    claimed_ids = set(claimed)
    resolved = set(resolved)
    # A changed file's upload is a new Canvas file (a new id to record) too.
    creates = any(
        type(a).__name__.startswith("Create") or isinstance(a, UpdateFile)
        for a in actions
        if a.writes
    )
    if not creates and claimed_ids <= record.ids and not (record.pending & set(resolved)):
        return [], []
    ids = tuple(sorted(record.ids | claimed_ids))
    files = tuple(sorted(record.files))
    intent = tuple(sorted({i for a in actions if (i := intent_of(a)) is not None}))
    # Announcements whose object is now recorded by id have done their job.
    pending = tuple(sorted(record.pending - set(resolved)))
    if not intent:
        finish = RecordOwnership(
            "finish", ids, pending, record.pages, "records what it made", files
        )
        return [], [finish]
    begin = RecordOwnership(
        "begin",
        ids,
        tuple(sorted(set(pending) | set(intent))),
        record.pages,
        "announces what this run will create",
        files,
    )
    finish = RecordOwnership("finish", ids, pending, (), "records what it made", files)
    return [begin], [finish]
