"""PURE: the files half of the planner, and the file references every HTML field carries.

A curriculum file is pd-sync's in Canvas when the ownership record names its id, with the
curriculum path and the content digest it uploaded (Canvas's file JSON has no checksum). The
digest decides: the same digest is up to date (no request), another is uploaded once over the
old copy, and a file that left the curriculum is deleted only with ``--prune``. A file pd-sync
did not upload is never touched; one that sits in pd-sync's folder under a name the curriculum
needs is a conflict (an upload would overwrite it).

Rendering left each reference as ``pd-sync-file:PATH`` (``desired``). ``resolve_files`` makes it
the Canvas URL, as Canvas's editor writes them: ``/courses/:id/files/:file_id/preview`` for an
image, ``…/download`` for a link. A file uploaded by this same plan has no id yet: its
references stay symbolic, and apply resolves them once the upload answers (``finish_files``),
the write waiting for the upload (``apply.deps``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import unquote

from pd_sync.curriculum import FILE_LINK_SCHEME
from pd_sync.desired import (
    CourseState,
    FileState,
    canvas_location,
    read_marker,
    wrap_with_marker,
)
from pd_sync.plan.actions import (
    Action,
    Conflict,
    Notice,
)
from pd_sync.plan.file_actions import (
    CreateFile,
    DeleteFile,
    UpdateFile,
    size_text,
)
from pd_sync.plan.ownership import Claims

_REFERENCE = re.compile(r'\s(src|href)="' + re.escape(FILE_LINK_SCHEME) + r'([^"]*)"')


@dataclass(frozen=True)
class FilePlan:
    """The file actions, the ids of files that need no upload, and the paths this plan uploads."""

    actions: tuple[Action, ...]
    ids: Mapping[str, int]
    uploading: frozenset[str]


def plan_files(
    desired: CourseState, observed: CourseState, prune: bool, claims: Claims
) -> FilePlan:
    owned: dict[str, list[FileState]] = {}
    for seen in observed.files:
        if seen.path is not None and seen.file_id is not None:
            owned.setdefault(seen.path, []).append(seen)
    owned_ids = {f.file_id for copies in owned.values() for f in copies}
    # The folders pd-sync's files are known to be in, to spot a hand-made file in the way.
    folders = {canvas_location(p)[0]: c[-1].folder_id for p, c in owned.items()}
    actions: list[Action] = []
    ids: dict[str, int] = {}
    uploading: set[str] = set()
    current: FileState | None
    for wanted in desired.files:
        path = wanted.path
        if path is None or wanted.digest is None:
            continue
        copies = sorted(owned.get(path, []), key=lambda f: f.file_id or 0)
        current = copies[-1] if copies else None
        actions += [
            DeleteFile(path, c.file_id, Action.DUPLICATE)
            for c in copies[:-1]
            if c.file_id is not None
        ]
        if current is not None and current.file_id is not None:
            if current.digest == wanted.digest and current.size == wanted.size:
                ids[path] = current.file_id
                # An announcement of this upload (by a run killed before recording it) is done.
                claims.claim("file", None, path)
                continue
            reason = (
                "content changed"
                if current.digest != wanted.digest
                else (
                    f"Canvas holds {size_text(current.size)} where pd-sync uploaded "
                    f"{size_text(wanted.size)}: replaced in Canvas?"
                )
            )
            actions.append(UpdateFile(path, wanted.size, wanted.digest, current.file_id, reason))
            uploading.add(path)
            continue
        folder, name = canvas_location(path)
        hand = next(
            (
                f
                for f in observed.files
                if f.file_id not in owned_ids
                and f.display_name == name
                and f.folder_id is not None
                and f.folder_id == folders.get(folder)
            ),
            None,
        )
        if hand is not None and observed.ownership.announced("file", path):
            # Uploaded by a run killed before recording it: uploaded over now, and recorded.
            claims.claim("file", None, path)
        elif hand is not None:
            actions.append(
                Conflict(
                    kind="file",
                    object_name=path,
                    reason=f'a file pd-sync did not upload is at "{folder}/{name}" in the '
                    "course's Files, and uploading would replace it; move or rename that file",
                )
            )
            continue
        actions.append(CreateFile(path, wanted.size, wanted.digest))
        uploading.add(path)
    wanted_paths = {f.path for f in desired.files}
    for path, copies in sorted(owned.items()):
        if path in wanted_paths:
            continue
        for copy in copies:
            if copy.file_id is None:
                continue
            if prune:
                actions.append(DeleteFile(path, copy.file_id, "no longer in the curriculum"))
            else:
                actions.append(
                    Notice(
                        kind="file",
                        object_name=path,
                        reason="no longer in the curriculum; kept (pass --prune to delete it)",
                    )
                )
    return FilePlan(tuple(actions), ids, frozenset(uploading))


def resolve_files(
    html_text: str, course_id: int, ids: Mapping[str, int], uploading: frozenset[str]
) -> str:
    """Every ``pd-sync-file:PATH`` with a known id as its Canvas URL; those being uploaded stay
    symbolic; any other (a file in conflict) loses its attribute, since Canvas would drop the
    unknown scheme anyway and a guessed URL could show someone else's file."""

    def replace_one(match: re.Match[str]) -> str:
        attribute, path = match.group(1), unquote(html.unescape(match.group(2)))
        file_id = ids.get(path)
        if file_id is not None:
            view = "preview" if attribute == "src" else "download"
            return f' {attribute}="/courses/{course_id}/files/{file_id}/{view}"'
        return match.group(0) if path in uploading else ""

    return _REFERENCE.sub(replace_one, html_text) if FILE_LINK_SCHEME in html_text else html_text


def pending_files(html_text: str | None) -> frozenset[str]:
    """The paths ``html_text`` still names symbolically (uploads it must wait for)."""
    if not html_text or FILE_LINK_SCHEME not in html_text:
        return frozenset()
    return frozenset(unquote(html.unescape(m.group(2))) for m in _REFERENCE.finditer(html_text))


def with_known_files(desired: CourseState, plan: FilePlan) -> CourseState:
    """``desired`` with every file reference resolved that this plan can resolve."""

    def resolved(text: str) -> str:
        return resolve_files(text, desired.course_id, plan.ids, plan.uploading)

    return replace(
        desired,
        pages=tuple(replace(p, body=resolved(p.body)) for p in desired.pages),
        assignments=tuple(
            replace(a, description=resolved(a.description)) for a in desired.assignments
        ),
    )


def finish_files(body: str, course_id: int, ids: Mapping[str, int]) -> str:
    """A marked body with its remaining file references resolved against ``ids`` (this run's
    uploads), and its marker's digest taken again over what is now sent."""
    if not pending_files(body):
        return body
    marker = read_marker(body)
    opening_end = body.index(">") + 1
    closing = body.rindex("</")
    inner = resolve_files(body[opening_end:closing], course_id, ids, frozenset())
    if marker is None:
        return inner
    return wrap_with_marker(inner, marker.key)[0]
