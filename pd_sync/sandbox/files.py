"""Course files and folders, and Canvas's three-step upload (doc/api/file_uploads.md).

1. ``POST /api/v1/courses/:id/files`` (the preflight, ``api_attachment_preflight`` in
   lib/api/v1/attachment.rb): creates the attachment *pending* (``file_state`` "deleted",
   ``workflow_state`` "unattached") in the folder ``parent_folder_path`` names, made on the way
   (``Folder.assert_path``), and answers ``upload_url`` + signed ``upload_params``.
2. ``POST upload_url`` (``FilesController#api_create``, local storage): multipart, **no token**
   (the signed policy is the credential); stores the bytes and redirects (302) to
   ``create_success``.
3. ``GET /api/v1/files/:id/create_success?uuid=…`` (``FilesController#api_create_success``):
   only for a pending attachment with that uuid (else 400); makes it available, then applies
   ``on_duplicate`` (``Attachment#handle_duplicates``, app/models/attachment.rb): "overwrite"
   (the default) deletes every other live file of that name in the folder, pointing it at its
   replacement; "rename" gives this one a free name ("x-1.png").

When the sandbox models hosted Canvas (``Sandbox(file_service=…)``), step 1 answers an
``upload_url`` on the file service instead (``inst_fs.service_ticket``) and steps 2 and 3 happen
there (``file_service.py``).

Lists hold only available files; a deleted file stays as a row (soft delete, like Canvas).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import mimetypes
import posixpath
import re
from typing import Any
from urllib.parse import parse_qs, urlencode

from .courses import require_course
from .inst_fs import service_ticket
from .params import as_str, ruby_to_i
from .store import Row, Store, fetch_all, fetch_one, insert, now, update
from .wire import (
    ApiError,
    Request,
    Response,
    json_response,
    message_error,
    not_found,
    paged_response,
)

ROOT_FOLDER = "course files"
UNFILED = "unfiled"
UPLOAD_PATH = "/api/v1/files_api"
_SECRET = b"pd-sync sandbox upload policy"
_LIVE = "file_state = 'available'"


def file_uuid(file_id: int) -> str:
    """The attachment's uuid: what Canvas puts in ``verifier=`` (40 characters, like
    ``CanvasSlug.generate_securish_uuid``). Derived from the id so that the read-side rewrite
    of page bodies (``sanitize.rewrite_outgoing``) needs no database."""
    return hashlib.sha256(b"sandbox attachment %d" % file_id).hexdigest()[:40]


def file_json(req: Request, row: Row) -> dict[str, Any]:
    """``attachment_json`` (lib/api/v1/attachment.rb): no checksum of the content anywhere."""
    verifier = file_uuid(row["id"])
    url = f"{req.base}/files/{row['id']}/download?download_frd=1&verifier={verifier}"
    return {
        "id": row["id"],
        "uuid": verifier,
        "folder_id": row["folder_id"],
        "display_name": row["display_name"],
        "filename": row["filename"],
        "upload_status": "success",
        "content-type": row["content_type"],
        "url": url,
        "size": row["size"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "unlock_at": None,
        "locked": False,
        "hidden": False,
        "lock_at": None,
        "hidden_for_user": False,
        "thumbnail_url": None,
        "modified_at": row["updated_at"],
        "mime_class": _mime_class(str(row["content_type"])),
        "media_entry_id": None,
        "category": "uncategorized",
        "locked_for_user": False,
    }


def _mime_class(content_type: str) -> str:
    if content_type.startswith("image/"):
        return "image"
    return {"application/pdf": "pdf", "text/plain": "text"}.get(content_type, "file")


def folder_json(req: Request, row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "full_name": row["full_name"],
        "context_id": row["course_id"],
        "context_type": "Course",
        "parent_folder_id": row["parent_folder_id"],
        "created_at": row["created_at"],
        "updated_at": row["created_at"],
        "locked": False,
        "hidden": False,
        "folders_url": f"{req.base}/api/v1/folders/{row['id']}/folders",
        "files_url": f"{req.base}/api/v1/folders/{row['id']}/files",
    }


# --- folders ----------------------------------------------------------------------------------


def _folder(req: Request, course_id: int, parent: int | None, name: str, full: str) -> Row:
    found = fetch_one(
        req.conn,
        "SELECT * FROM folders WHERE course_id = ? AND full_name = ? "
        "AND workflow_state = 'visible'",
        (course_id, full),
    )
    if found is not None:
        return found
    values = {
        "course_id": course_id,
        "parent_folder_id": parent,
        "name": name,
        "full_name": full,
        "workflow_state": "visible",
        "created_at": now(),
    }
    return insert(req.conn, "folders", values)


def assert_path(req: Request, course_id: int, path: str) -> Row:
    """``Folder.assert_path`` (app/models/folder.rb): every folder on ``path`` under the root,
    made where missing; empty segments are skipped."""
    folder = _folder(req, course_id, None, ROOT_FOLDER, ROOT_FOLDER)
    for segment in (s for s in path.split("/") if s.strip()):
        full = f"{folder['full_name']}/{segment}"
        folder = _folder(req, course_id, folder["id"], segment, full)
    return folder


def list_folders(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    assert_path(req, course["id"], "")
    rows = fetch_all(
        req.conn,
        "SELECT * FROM folders WHERE course_id = ? AND workflow_state = 'visible' ORDER BY id",
        (course["id"],),
    )
    return paged_response(req, rows, lambda r: folder_json(req, r))


# --- the three steps --------------------------------------------------------------------------


def _sign(policy: str) -> str:
    return hmac.new(_SECRET, policy.encode("ascii"), hashlib.sha256).hexdigest()


def preflight(req: Request, course_id: str) -> Response:
    course = require_course(req, course_id)
    params = req.params
    name = as_str(params.get("name") or params.get("filename"), "name")
    if not name:
        # Attachment validates presence of its filename; the controller renders the errors.
        raise ApiError(400, {"errors": {"filename": [{"message": "can't be blank"}]}})
    on_duplicate = as_str(params.get("on_duplicate"), "on_duplicate")
    if on_duplicate and on_duplicate not in ("rename", "overwrite"):
        raise message_error(400, "invalid on_duplicate option")
    path = params.get("parent_folder_path") or params.get("folder")
    if path is not None and params.get("parent_folder_id") is not None:
        raise message_error(400, "Can't set folder path and folder id")
    if params.get("parent_folder_id") is not None:
        folder = fetch_one(
            req.conn,
            "SELECT * FROM folders WHERE id = ? AND course_id = ? AND workflow_state = 'visible'",
            (ruby_to_i(params["parent_folder_id"]), course["id"]),
        )
        if folder is None:
            raise not_found()
    else:
        folder = assert_path(req, course["id"], as_str(path, "path") if path else UNFILED)
    content_type = as_str(params.get("content_type"), "content_type") or (
        mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    stamp = now()
    row = insert(
        req.conn,
        "attachments",
        {
            "course_id": course["id"],
            "folder_id": folder["id"],
            "display_name": name,
            "filename": name,
            "content_type": content_type,
            "size": None,
            "file_state": "deleted",
            "workflow_state": "unattached",
            "created_at": stamp,
            "updated_at": stamp,
        },
    )
    if req.file_service is not None:
        ticket = service_ticket(
            req.file_service, row["id"], name, content_type, on_duplicate or None
        )
        return json_response(ticket)
    policy = json.dumps({"attachment_id": row["id"]}, separators=(",", ":"))
    # "overwrite" is the default, so Canvas leaves it out of the URLs (on_duplicate = nil).
    query = f"?{urlencode({'on_duplicate': on_duplicate})}" if on_duplicate == "rename" else ""
    return json_response(
        {
            "upload_url": f"{req.base}{UPLOAD_PATH}{query}",
            "upload_params": {
                "Filename": name,
                "content_type": content_type,
                "Policy": policy,
                "Signature": _sign(policy),
            },
            "file_param": "file",
        }
    )


def upload(req: Request) -> Response:
    """Step 2. A bad or missing signature is a bare 400, as ``head :bad_request``."""
    policy = req.params.get("Policy")
    signature = req.params.get("Signature")
    if not isinstance(policy, str) or not isinstance(signature, str):
        return Response(400, b"", "text/plain")
    if not hmac.compare_digest(_sign(policy), signature):
        return Response(400, b"", "text/plain")
    attachment_id = int(json.loads(policy)["attachment_id"])
    row = fetch_one(req.conn, "SELECT * FROM attachments WHERE id = ?", (attachment_id,))
    data = req.params.get("file")
    if row is None or not isinstance(data, bytes):
        return Response(400, b"", "text/plain")
    update(req.conn, "attachments", row["id"], {"data": data, "size": len(data)})
    query = {"uuid": file_uuid(row["id"])}
    on_duplicate = req.params.get("on_duplicate")
    if isinstance(on_duplicate, str) and on_duplicate:
        query["on_duplicate"] = on_duplicate
    location = f"{req.base}/api/v1/files/{row['id']}/create_success?{urlencode(query)}"
    return Response(302, b"", "text/html; charset=utf-8", [("Location", location)])


def create_success(req: Request, file_id: str) -> Response:
    row = fetch_one(req.conn, "SELECT * FROM attachments WHERE id = ?", (int(file_id),))
    uuid = req.params.get("uuid")
    if row is None or uuid != file_uuid(row["id"]) or row["file_state"] != "deleted":
        return Response(400, b"", "text/plain")
    if row["workflow_state"] != "unattached":
        return Response(400, b"", "text/plain")  # a file deleted since is not revived
    on_duplicate = as_str(req.params.get("on_duplicate"), "on_duplicate") or "overwrite"
    if on_duplicate not in ("rename", "overwrite"):
        raise message_error(400, "invalid on_duplicate option")
    stamp = now()
    row = update(
        req.conn,
        "attachments",
        row["id"],
        {"file_state": "available", "workflow_state": "processed", "updated_at": stamp},
    )
    row = handle_duplicates(req, row, on_duplicate)
    return json_response(file_json(req, row))


def handle_duplicates(req: Request, row: Row, method: str) -> Row:
    others = fetch_all(
        req.conn,
        f"SELECT * FROM attachments WHERE folder_id = ? AND id != ? AND {_LIVE}",
        (row["folder_id"], row["id"]),
    )
    if method == "overwrite":
        for other in others:
            if other["display_name"] == row["display_name"]:
                update(
                    req.conn,
                    "attachments",
                    other["id"],
                    {
                        "file_state": "deleted",
                        "replacement_attachment_id": row["id"],
                        "deleted_at": now(),
                    },
                )
        return row
    taken = {str(o["display_name"]) for o in others}
    name = str(row["display_name"])
    if name not in taken:
        return row
    stem, ext = posixpath.splitext(name)
    n = 1
    while f"{stem}-{n}{ext}" in taken:
        n += 1
    return update(req.conn, "attachments", row["id"], {"display_name": f"{stem}-{n}{ext}"})


# --- the file itself (outside /api/v1) --------------------------------------------------------

_DOWNLOAD = re.compile(r"(?:/courses/(\d+))?/files/(\d+)/(?:download|preview)")


def is_download(path: str) -> bool:
    return _DOWNLOAD.fullmatch(path) is not None


def download(store: Store, path: str, query: str) -> Response:
    """``FilesController#show`` for the file's bytes: with no login session, only the file's
    ``verifier`` (its uuid, as the API hands out in ``url``) lets a reader have them."""
    match = _DOWNLOAD.fullmatch(path)
    verifier = parse_qs(query).get("verifier", [""])[0]
    if match is None:  # pragma: no cover - the caller checks is_download first
        return Response(404, b"", "text/plain")
    file_id = int(match.group(2))
    with store.transaction(write=False) as conn:
        row = fetch_one(conn, "SELECT * FROM attachments WHERE id = ?", (file_id,))
    course = match.group(1)
    if (
        row is None
        or row["file_state"] != "available"
        or (course is not None and int(course) != row["course_id"])
    ):
        return Response(404, b"", "text/plain")
    if not hmac.compare_digest(verifier, file_uuid(file_id)):
        return Response(401, b"", "text/plain")
    return Response(200, bytes(row["data"] or b""), str(row["content_type"]))


# --- list, show, delete -----------------------------------------------------------------------


def list_files(req: Request, course_id: str) -> Response:
    """``FilesController#api_index``: sorted by name unless ``sort`` says otherwise."""
    course = require_course(req, course_id)
    rows = fetch_all(
        req.conn,
        f"SELECT * FROM attachments WHERE course_id = ? AND {_LIVE} "
        "ORDER BY display_name COLLATE NOCASE, id",
        (course["id"],),
    )
    return paged_response(req, rows, lambda r: file_json(req, r))


def _require_file(req: Request, file_id: str, course_id: str | None = None) -> Row:
    row = fetch_one(req.conn, "SELECT * FROM attachments WHERE id = ?", (int(file_id),))
    if row is None or row["file_state"] != "available":
        raise not_found()
    if course_id is not None and row["course_id"] != int(course_id):
        raise not_found()
    return row


def show_file(req: Request, file_id: str, course_id: str | None = None) -> Response:
    return json_response(file_json(req, _require_file(req, file_id, course_id)))


def delete_file(req: Request, file_id: str) -> Response:
    """``FilesController#destroy``: soft delete; answers the file as it was."""
    row = _require_file(req, file_id)
    update(req.conn, "attachments", row["id"], {"file_state": "deleted", "deleted_at": now()})
    return json_response(file_json(req, row))


_FILE = r"/files/(?P<file_id>\d+)"

ROUTES = [
    ("POST", r"/courses/(?P<course_id>\d+)/files", preflight),
    ("GET", r"/courses/(?P<course_id>\d+)/files", list_files),
    ("GET", r"/courses/(?P<course_id>\d+)/files/(?P<file_id>\d+)", show_file),
    ("GET", r"/courses/(?P<course_id>\d+)/folders", list_folders),
    ("POST", "/files_api", upload),
    ("GET", _FILE + "/create_success", create_success),
    ("GET", _FILE, show_file),
    ("DELETE", _FILE, delete_file),
]

# Steps 2 and 3 carry no token: the signed policy, then the uuid, are the credentials
# (canvasapi's Uploader posts with use_auth=False, and requests follows the redirect bare).
OPEN = frozenset({upload, create_success})
