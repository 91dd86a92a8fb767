"""The read-only HTML view at a page's Canvas address (/courses/:id/pages/:url)."""

from __future__ import annotations

import canvasapi
import requests

from pd_sync.sandbox import Sandbox


def test_page_view_shows_title_and_sanitised_body_without_a_token(
    sandbox: Sandbox, canvas: canvasapi.Canvas
) -> None:
    course = canvas.get_course(1)
    page = course.create_page(
        wiki_page={
            "title": "Week 2 <Networking>",
            "body": "<p>Meet <a href='/courses/1/pages/week-3'>week 3</a></p><script>x()</script>",
            "published": False,
        }
    )
    view = requests.get(page.html_url, timeout=10)
    assert view.status_code == 200
    assert "<h1>Week 2 &lt;Networking&gt; <em>(unpublished)</em></h1>" in view.text
    assert "href=" in view.text and "week-3" in view.text
    assert "<script" not in view.text
    assert "<title>Week 2 &lt;Networking&gt;</title>" in view.text
    head = requests.head(page.html_url, timeout=10)
    assert head.status_code == 200 and head.text == ""
    # The view is not part of the API: it is not in the request log.
    assert all("/api/v1/" in r.path for r in sandbox.requests())


def test_page_view_of_a_deleted_page_is_not_found(
    sandbox: Sandbox, canvas: canvasapi.Canvas
) -> None:
    page = canvas.get_course(1).create_page(wiki_page={"title": "Gone", "body": "<p>x</p>"})
    page.delete()
    view = requests.get(page.html_url, timeout=10)
    assert view.status_code == 404
    assert "PD Sandbox Course has no page at gone." in view.text
