"""The sandbox's Files API through canvasapi's own upload (three steps), and file links in page
bodies as Canvas rewrites them on read: checked against the stored rows and the request log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pd_sync.sandbox import Sandbox
from tests.sandbox.conftest import Http


def _upload(course: Any, tmp_path: Path, name: str, data: bytes, **kwargs: Any) -> dict[str, Any]:
    path = tmp_path / name
    path.write_bytes(data)
    ok, response = course.upload(str(path), **kwargs)
    assert ok, response
    return dict(response)


def _live(sandbox: Sandbox) -> list[dict[str, Any]]:
    return [r for r in sandbox.store.rows("attachments", 1) if r["file_state"] == "available"]


def test_three_step_upload_into_a_folder_path(
    sandbox: Sandbox, course: Any, tmp_path: Path
) -> None:
    sandbox.clear_requests()
    made = _upload(course, tmp_path, "x.png", b"png bytes", parent_folder_path="pd-sync/images")
    steps = [(r.method, r.path, r.token_hash != "") for r in sandbox.requests()]
    assert steps == [
        ("POST", "/api/v1/courses/1/files", True),
        ("POST", "/api/v1/files_api", False),  # the token is not sent to the upload URL
        ("GET", f"/api/v1/files/{made['id']}/create_success", False),
    ]
    assert made["display_name"] == "x.png" and made["size"] == 9
    assert made["content-type"] == "image/png"
    assert "md5" not in made and "sha256" not in made  # Canvas's JSON carries no checksum
    folders = {r["id"]: r["full_name"] for r in sandbox.store.rows("folders", 1)}
    assert folders[made["folder_id"]] == "course files/pd-sync/images"
    [row] = _live(sandbox)
    assert row["data"] == b"png bytes"


def test_overwrite_replaces_the_same_name_and_rename_keeps_both(
    sandbox: Sandbox, course: Any, tmp_path: Path
) -> None:
    first = _upload(course, tmp_path, "x.png", b"one", parent_folder_path="pd-sync")
    second = _upload(
        course, tmp_path, "x.png", b"two", parent_folder_path="pd-sync", on_duplicate="overwrite"
    )
    rows = {r["id"]: r for r in sandbox.store.rows("attachments", 1)}
    assert rows[first["id"]]["file_state"] == "deleted"
    assert rows[first["id"]]["replacement_attachment_id"] == second["id"]
    third = _upload(
        course, tmp_path, "x.png", b"three", parent_folder_path="pd-sync", on_duplicate="rename"
    )
    assert third["display_name"] == "x-1.png"
    assert sorted(r["display_name"] for r in _live(sandbox)) == ["x-1.png", "x.png"]


def test_list_show_delete_and_the_bad_requests(
    sandbox: Sandbox, course: Any, http: Http, tmp_path: Path
) -> None:
    made = _upload(course, tmp_path, "plan.pdf", b"%PDF", parent_folder_path="pd-sync/files")
    hand = _upload(course, tmp_path, "hand.txt", b"by hand")
    assert [f.display_name for f in course.get_files()] == ["hand.txt", "plan.pdf"]
    assert http.get(f"/api/v1/files/{made['id']}").json()["folder_id"] == made["folder_id"]
    unfiled = {r["full_name"] for r in sandbox.store.rows("folders", 1)}
    assert "course files/unfiled" in unfiled  # no folder given: Folder.unfiled_folder
    assert http.delete(f"/api/v1/files/{made['id']}").status_code == 200
    assert [f.display_name for f in course.get_files()] == ["hand.txt"]
    assert http.get(f"/api/v1/files/{made['id']}").status_code == 404
    assert http.delete(f"/api/v1/files/{made['id']}").status_code == 404
    bad = http.post("/api/v1/courses/1/files", data={"name": "a.png", "on_duplicate": "keep"})
    assert (bad.status_code, bad.json()) == (400, {"message": "invalid on_duplicate option"})
    both = http.post(
        "/api/v1/courses/1/files",
        data={"name": "a.png", "parent_folder_path": "x", "parent_folder_id": "1"},
    )
    assert both.status_code == 400
    forged = http.post(
        "/api/v1/files_api",
        files={"file": ("a.png", b"x")},
        data={"Policy": "{}", "Signature": "x"},
    )
    assert forged.status_code == 400
    again = http.get(f"/api/v1/files/{hand['id']}/create_success", params={"uuid": hand["uuid"]})
    assert again.status_code == 400  # only a pending upload can be confirmed


def test_file_links_read_back_absolute_with_a_verifier_and_are_stored_without(
    sandbox: Sandbox, course: Any, http: Http, tmp_path: Path
) -> None:
    made = _upload(course, tmp_path, "x.png", b"png", parent_folder_path="pd-sync")
    fid = made["id"]
    body = (
        f'<p><img src="/courses/1/files/{fid}/preview" alt="x">'
        f'<a href="/courses/1/files/{fid}/download?verifier=pasted">get</a></p>'
    )
    page = course.create_page({"title": "With files", "body": body})
    [stored] = [r for r in sandbox.store.rows("pages", 1) if r["id"] == page.page_id]
    assert "verifier" not in stored["body"]
    read = course.get_page(page.url).body
    base = sandbox.base_url
    assert f'src="{base}/courses/1/files/{fid}/preview?verifier={made["uuid"]}"' in read
    assert f'href="{base}/courses/1/files/{fid}/download?verifier={made["uuid"]}"' in read
    assert f'data-api-endpoint="{base}/api/v1/courses/1/files/{fid}"' in read
    assert 'data-api-returntype="File"' in read
