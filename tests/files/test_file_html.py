"""PURE: file references in HTML — resolved as Canvas's editor writes them, finished at apply
with the marker's digest taken again, and compared through Canvas's read-side rewrite."""

from __future__ import annotations

from pd_sync.desired import content_digest, read_marker, wrap_with_marker
from pd_sync.plan import finish_files, pending_files
from pd_sync.plan.files import resolve_files

BODY = (
    '<p><img src="pd-sync-file:images/a%20b.png" alt="x">'
    '<a href="pd-sync-file:files/plan.pdf">plan</a></p>'
)


def test_known_ids_become_preview_and_download_urls_and_uploads_stay_symbolic() -> None:
    done = resolve_files(BODY, 7, {"images/a b.png": 42}, frozenset({"files/plan.pdf"}))
    assert '<img src="/courses/7/files/42/preview" alt="x">' in done
    assert 'href="pd-sync-file:files/plan.pdf"' in done
    assert pending_files(done) == {"files/plan.pdf"}
    # A file neither known nor uploaded (in conflict) loses its reference, never guessed.
    assert resolve_files(BODY, 7, {}, frozenset()) == '<p><img alt="x"><a>plan</a></p>'


def test_finishing_at_apply_rewraps_with_the_digest_canvas_will_read_back() -> None:
    partly = resolve_files(BODY, 7, {"images/a b.png": 42}, frozenset({"files/plan.pdf"}))
    body, _ = wrap_with_marker(partly, "overview")
    finished = finish_files(body, 7, {"files/plan.pdf": 43})
    assert 'href="/courses/7/files/43/download"' in finished and not pending_files(finished)
    marker = read_marker(finished)
    assert marker is not None and marker.key == "overview"
    # What Canvas hands back on read: absolute, with each file's verifier and data-api-*.
    host = "https://canvas.example.edu"
    read_back = finished.replace(
        '"/courses/7/files/42/preview"', f'"{host}/courses/7/files/42/preview?verifier=abc"'
    ).replace(
        '"/courses/7/files/43/download"',
        f'"{host}/courses/7/files/43/download?verifier=def" data-api-returntype="File"',
    )
    assert content_digest(read_back, canvas_origin=host) == marker.digest
    edited = read_back.replace("files/43/", "files/44/")
    assert content_digest(edited, canvas_origin=host) != marker.digest
