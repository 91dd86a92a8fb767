"""Stage 2, desired: a ``Program`` + one cohort → the Canvas-shaped ``CourseState`` to reach.

Rendered bodies, absolute due dates, markers and slugs, and the ``*State`` records that desired
and observed share. Imports only ``curriculum`` and ``errors``; never canvasapi, requests, click,
tenacity, or a later stage.
"""

from pd_sync.desired.build import build_desired
from pd_sync.desired.files import OWNED_FOLDER, canvas_location, file_digest
from pd_sync.desired.htmlcanon import content_digest, read_marker, wrap_with_marker
from pd_sync.desired.ownership import (
    merge_records,
    read_record,
    record_html,
)
from pd_sync.desired.schedule import canvas_due_equal, to_canvas_utc
from pd_sync.desired.slug import canvas_slug, unique_slug
from pd_sync.desired.state import (
    AssignmentGroupState,
    AssignmentState,
    CourseState,
    FileState,
    GroupSetState,
    GroupState,
    ModuleItemState,
    ModuleState,
    OwnershipRecord,
    PageState,
)

__all__ = [
    "OWNED_FOLDER",
    "AssignmentGroupState",
    "AssignmentState",
    "CourseState",
    "FileState",
    "GroupSetState",
    "GroupState",
    "ModuleItemState",
    "ModuleState",
    "OwnershipRecord",
    "PageState",
    "build_desired",
    "canvas_due_equal",
    "canvas_location",
    "canvas_slug",
    "content_digest",
    "file_digest",
    "merge_records",
    "read_marker",
    "read_record",
    "record_html",
    "to_canvas_utc",
    "unique_slug",
    "wrap_with_marker",
]
