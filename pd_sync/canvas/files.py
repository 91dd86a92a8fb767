"""The course's Files, as ``CanvasCourse`` reads and writes them (a part of it, kept apart for
size): the list, canvasapi's three-step upload, and delete.

Canvas's upload (doc/api/file_uploads.md) is three requests: the preflight that names the file
and its folder, the POST of the bytes to the URL it answers (without the token), and the
confirmation the upload redirects to. canvasapi's ``Course.upload`` sends the first two and
``requests`` follows the redirect for the third. ``on_duplicate=overwrite`` makes the new file
replace the one of the same name in pd-sync's folder (Attachment#handle_duplicates), so a
changed file leaves no second copy and a repeated upload after a lost response is harmless.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from canvasapi.course import Course
from canvasapi.file import File

from pd_sync.desired import FileState, OwnershipRecord, canvas_location
from pd_sync.errors import CanvasError

# Canvas's course permission "Course Files - add / delete" (manage_files_add / _delete).
FILES_ADD = '"Course Files - add" (manage_files_add)'
FILES_DELETE = '"Course Files - delete" (manage_files_delete)'


def file_state(raw: object, record: OwnershipRecord) -> FileState:
    """A course file from Canvas's JSON; path and digest come from pd-sync's record, if any."""
    file_id = getattr(raw, "id", None)
    recorded = record.file(file_id)
    return FileState(
        path=recorded[0] if recorded else None,
        size=int(getattr(raw, "size", 0) or 0),
        digest=recorded[1] if recorded else None,
        file_id=file_id,
        display_name=str(getattr(raw, "display_name", "") or ""),
        folder_id=getattr(raw, "folder_id", None),
    )


class CourseFiles:
    """Upload and delete for ``CanvasCourse`` (which provides ``_course`` and ``_calling``)."""

    _course: Course
    _calling: Callable[..., AbstractContextManager[None]]

    def upload_file(self, path: str, data: bytes) -> FileState:
        """Upload ``data`` as the curriculum file ``path`` into pd-sync's folder.

        Calls: POST /api/v1/courses/:course_id/files; POST <upload_url> (Canvas, or hosted
        Canvas's file service, without the token); GET /api/v1/files/:id/create_success, or
        GET /api/v1/files/:id (the Location of the file service's 201 when its body is empty)
        """
        folder, name = canvas_location(path)
        adapter = self._course._requester._session.get_adapter(self._course._requester.base_url)
        adapter.created_location = None
        with _named_copy(name, data) as local, self._calling(f'upload file "{path}"', FILES_ADD):
            ok, response = self._course.upload(
                local, parent_folder_path=folder, on_duplicate="overwrite"
            )
            location = adapter.created_location
            if not ok and response == {} and location is not None:
                # 201 Created, "{}": doc/api/file_uploads.md, Step 3 - GET the Location.
                response = self._course._requester.request("GET", _url=location).json()
                ok = True
        if not ok or not isinstance(response, dict) or not isinstance(response.get("id"), int):
            raise CanvasError(f'Canvas did not confirm the upload of "{path}"')
        return FileState(
            path=path,
            size=int(response.get("size") or len(data)),
            file_id=response["id"],
            display_name=str(response.get("display_name") or name),
            folder_id=response.get("folder_id"),
        )

    def download_file(self, file_id: int) -> bytes:
        """The bytes of a course file (for the report's side-by-side of a changed image).

        Calls: GET /api/v1/files/:id; GET <its url> (the download, with its verifier)
        """
        with self._calling(f"download file {file_id}"):
            response = self._course._requester.request("GET", f"files/{file_id}")
            found = File(self._course._requester, response.json())
            data = found.get_contents(binary=True)
        return data if isinstance(data, bytes) else bytes(data)

    def delete_file(self, file_id: int) -> None:
        """Calls: DELETE /api/v1/files/:id"""
        with self._calling(f"delete file {file_id}", FILES_DELETE):
            File(self._course._requester, {"id": file_id}).delete()


def list_files(course: Course) -> Any:
    """Calls: GET /api/v1/courses/:course_id/files (one request per 100 files)."""
    return course.get_files()


@contextmanager
def _named_copy(name: str, data: bytes) -> Iterator[str]:
    """The bytes in a temporary file of the given name: canvasapi's upload names the file in
    Canvas after the local file, and reads its size from the descriptor."""
    with tempfile.TemporaryDirectory(prefix="pd-sync-upload-") as folder:
        path = os.path.join(folder, name)
        with open(path, "wb") as out:
            out.write(data)
        yield path
