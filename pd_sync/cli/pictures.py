"""The bytes the HTML report shows for images a plan uploads: the curriculum's version, and for
a changed one the copy in Canvas (one download each, only when ``--html`` asks for a report)."""

from __future__ import annotations

import contextlib
import mimetypes

from pd_sync.canvas import CanvasCourse
from pd_sync.errors import CanvasError, CanvasUnavailableError
from pd_sync.plan import CreateFile, UpdateFile
from pd_sync.sync import CoursePlan, file_contents

# What the report embeds (preview.html_report shows raster images only).
_PICTURES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def report_pictures(planned: CoursePlan, course: CanvasCourse) -> dict[str, bytes]:
    """By content digest (the curriculum's version) and ``file:<id>`` (the copy in Canvas)."""
    contents = file_contents(planned.desired)
    pictures: dict[str, bytes] = {}
    for action in planned.plan.actions:
        if not isinstance(action, CreateFile | UpdateFile):
            continue
        if mimetypes.guess_type(action.path)[0] not in _PICTURES:
            continue
        if action.digest in contents:
            pictures[action.digest] = contents[action.digest]
        if isinstance(action, UpdateFile):
            # Should the download fail, the report says "(not downloaded)"; the plan stands.
            with contextlib.suppress(CanvasError, CanvasUnavailableError):
                pictures[f"file:{action.file_id}"] = course.download_file(action.file_id)
    return pictures
