"""Canvas-shaped records, shared by what should exist (desired) and what does (observed).

Observed records are converted from Canvas JSON by ``pd_sync.canvas`` at the boundary; desired
records are built by ``pd_sync.desired.build``. Ids are ``None`` on desired records. All are
frozen and compare with ``==``, so plans built from them are data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageState:
    """A Canvas page.

    Observed: ``body`` is the HTML as read back; ``key``/``digest`` come from the pd-sync marker
    inside it (``None`` for a page pd-sync does not own) and ``content_digest`` is the digest of
    the content as it is now, so ``content_digest != digest`` means someone edited it in Canvas.

    Desired: ``body`` is the rendered HTML reduced to what Canvas keeps, with internal links
    still symbolic (``pd-sync-page:KEY``); the planner resolves them to slugs and adds the
    marker. ``lost`` says what Canvas's sanitiser would have removed from the curriculum's HTML,
    one ``file:line:column: what`` each.
    """

    title: str
    body: str
    published: bool
    key: str | None = None
    url: str | None = None
    page_id: int | None = None
    digest: str | None = None
    content_digest: str | None = None
    renamed_from: str | None = None
    absent: bool = False
    source: str | None = field(default=None, compare=False)
    lost: tuple[str, ...] = field(default=(), compare=False)
    # Take over the same-title page pd-sync did not make, or whose marker is gone.
    adopt: bool = False


@dataclass(frozen=True)
class AssignmentState:
    """A Canvas assignment; ``due_at`` is aware (desired: cohort zone; observed: UTC).

    ``description`` and ``lost`` are as a page's ``body`` and ``lost``.

    ``unpublishable`` (observed): Canvas's own flag, false once students have submitted, when
    Canvas refuses to unpublish it.
    """

    name: str
    description: str
    points_possible: float
    due_at: dt.datetime | None
    submission_types: tuple[str, ...]
    assignment_group: str
    published: bool
    key: str | None = None
    assignment_id: int | None = None
    assignment_group_id: int | None = None
    digest: str | None = None
    content_digest: str | None = None
    renamed_from: str | None = None
    absent: bool = False
    source: str | None = field(default=None, compare=False)
    lost: tuple[str, ...] = field(default=(), compare=False)
    unpublishable: bool = True


@dataclass(frozen=True)
class AssignmentGroupState:
    """A Canvas assignment group, identified by name."""

    name: str
    position: int | None = None
    group_weight: float | None = None
    group_id: int | None = None
    renamed_from: str | None = None
    absent: bool = False
    adopt: bool = False


@dataclass(frozen=True)
class GroupState:
    """A group inside a group set."""

    name: str
    group_id: int | None = None


@dataclass(frozen=True)
class GroupSetState:
    """A Canvas group category and its groups, identified by name."""

    name: str
    groups: tuple[GroupState, ...]
    group_set_id: int | None = None
    renamed_from: str | None = None
    absent: bool = False
    adopt: bool = False


@dataclass(frozen=True)
class ModuleItemState:
    """An item of a Canvas module.

    ``kind`` is Canvas's item type: Page, Assignment, SubHeader or ExternalUrl. Desired items
    name their content by ``ref`` (page key / deliverable key / sub-header title); observed items
    carry Canvas's ``page_url`` / ``content_id`` and ``ref`` when the content is pd-sync's own.
    """

    kind: str
    title: str
    published: bool
    ref: str | None = None
    item_id: int | None = None
    position: int | None = None
    page_url: str | None = None
    content_id: int | None = None
    external_url: str | None = None
    indent: int = 0


@dataclass(frozen=True)
class ModuleState:
    """A Canvas module, identified by name, with its items in order."""

    name: str
    published: bool
    items: tuple[ModuleItemState, ...]
    key: str | None = None
    module_id: int | None = None
    position: int | None = None
    renamed_from: str | None = None
    absent: bool = False
    items_complete: bool = True
    adopt: bool = False


@dataclass(frozen=True)
class FileState:
    """A file in the course's Files.

    Desired: ``path`` relative to the curriculum directory (``images/x.png``), its ``size``,
    the ``digest`` of its content (``sha256:…``) and the bytes (``data``, never compared).
    Observed: Canvas's ``file_id``, ``display_name``, ``folder_id`` and ``size``; ``path`` and
    ``digest`` are what pd-sync's ownership record says it uploaded there (Canvas's file JSON
    carries no checksum), ``None`` for a file pd-sync did not upload.
    """

    path: str | None
    size: int
    digest: str | None = None
    file_id: int | None = None
    display_name: str = ""
    folder_id: int | None = None
    data: bytes = field(default=b"", compare=False, repr=False)


@dataclass(frozen=True)
class OwnershipRecord:
    """What pd-sync has proven it made in one course, read from its record pages.

    ``ids`` are ``(kind, Canvas id)`` pairs (kinds in ``desired.ownership.KINDS``); ``pending``
    are ``(kind, name)`` pairs a run announced before creating them, so a run that died between
    a create and its record still proves what it made. ``pages`` are the URLs of the record
    pages read (several after concurrent runs: their union is the record). ``files`` are
    ``(file id, curriculum path, content digest)`` of each file pd-sync uploaded.
    """

    ids: frozenset[tuple[str, int]] = frozenset()
    pending: frozenset[tuple[str, str]] = frozenset()
    pages: tuple[str, ...] = ()
    files: frozenset[tuple[int, str, str]] = frozenset()

    def file(self, file_id: int | None) -> tuple[str, str] | None:
        """The (path, digest) pd-sync recorded for an uploaded file, or None."""
        if not self.has("file", file_id):
            return None
        return next(((p, d) for i, p, d in sorted(self.files) if i == file_id), None)

    def has(self, kind: str, object_id: int | None) -> bool:
        return object_id is not None and (kind, object_id) in self.ids

    def announced(self, kind: str, name: str) -> bool:
        return (kind, name) in self.pending


@dataclass(frozen=True)
class CourseState:
    """Everything pd-sync manages in one course: desired or observed.

    ``page_bodies_read_one_by_one`` (observed only): Canvas's pages list came without bodies,
    as older releases send it, so each page was read on its own to find its marker.
    ``course_name`` (observed only) is the course's name as Canvas reports it; ``cohort``
    (desired only) the cohort the state was built for; ``host`` (observed only) the Canvas
    address it was read from.
    """

    course_id: int
    time_zone: str
    pages: tuple[PageState, ...] = ()
    assignments: tuple[AssignmentState, ...] = ()
    assignment_groups: tuple[AssignmentGroupState, ...] = ()
    group_sets: tuple[GroupSetState, ...] = ()
    modules: tuple[ModuleState, ...] = ()
    files: tuple[FileState, ...] = ()
    host: str = ""
    ownership: OwnershipRecord = OwnershipRecord()
    page_bodies_read_one_by_one: bool = False
    course_name: str = ""
    cohort: str = ""
