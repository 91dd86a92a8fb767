"""A redirect answered instead of a request, and Link/html_url on Canvas's configured domain."""

from __future__ import annotations

import pytest
import requests

from pd_sync.sandbox import Sandbox

from .conftest import Http


def test_redirect_next_answers_without_handling(sandbox: Sandbox, http: Http) -> None:
    sandbox.redirect_next("http://elsewhere.invalid/api/v1/courses/1/pages", n=2, status=301)
    for _ in range(2):
        moved = http.post(
            "/api/v1/courses/1/pages", data={"wiki_page[title]": "T"}, allow_redirects=False
        )
        assert moved.status_code == 301
        assert moved.headers["Location"] == "http://elsewhere.invalid/api/v1/courses/1/pages"
    assert sandbox.store.rows("pages") == []  # nothing was handled
    assert http.get("/api/v1/courses/1/pages", allow_redirects=False).status_code == 200
    assert [r.status for r in sandbox.requests()] == [301, 301, 200]


def test_redirect_status_must_be_a_redirect(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="status must be one of"):
        sandbox.redirect_next("http://x.invalid/", status=200)


def test_redirect_over_the_control_api(sandbox: Sandbox, http: Http) -> None:
    spec = {"kind": "redirect_next", "location": "/api/v1/courses/1", "status": 307}
    requests.post(f"{sandbox.base_url}/_sandbox/faults", json=spec, timeout=10)
    moved = http.get("/api/v1/courses/1/pages", allow_redirects=False)
    assert (moved.status_code, moved.headers["Location"]) == (307, "/api/v1/courses/1")


def test_canonical_url_is_written_into_links_and_html_urls(sandbox: Sandbox, http: Http) -> None:
    http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "T"})
    sandbox.canonical_url = "https://canvas.example.edu/"
    listed = http.get("/api/v1/courses/1/pages", params={"per_page": 1})
    assert listed.links["current"]["url"].startswith("https://canvas.example.edu/api/v1/")
    assert listed.json()[0]["html_url"].startswith("https://canvas.example.edu/courses/1/")

    config = {"canonical_url": None}
    requests.post(f"{sandbox.base_url}/_sandbox/config", json=config, timeout=10)
    again = http.get("/api/v1/courses/1/pages", params={"per_page": 1})
    assert again.links["current"]["url"].startswith(f"{sandbox.base_url}/api/v1/")
