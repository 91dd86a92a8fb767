"""Wiki pages through the real canvasapi client: slugs, defaults, lookups, deletes, pagination."""

from __future__ import annotations

import time
from typing import Any

import pytest
from canvasapi.exceptions import BadRequest, ResourceDoesNotExist

from pd_sync.sandbox import Sandbox
from pd_sync.sandbox.slugs import titleize, to_url

from .conftest import Http


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        # The hand-derived examples from canvas-api.md §5.
        ("Week 1: Intro & Setup", "week-1-intro-and-setup"),
        ("C++ Basics", "c-plus-plus-basics"),
        ("Section 1.2", "section-1-dot-2"),
        ("Hello_World", "hello-world"),
        ("Hello-World", "hello-world"),
        ("Don't Panic", "dont-panic"),
        # The rest of stringex's rules as the spec lists them.
        ("Q&amp;A", "q-and-a"),
        ("Email @ Home", "email-at-home"),
        ("100% Done", "100-percent-done"),
        ("1 + 1 = 2", "1-plus-1-equals-2"),
        ("Issue #5", "issue-number-5"),
        ("Five * Stars", "five-star-stars"),
        ("Either/Or", "either-slash-or"),
        ("Wait... What?", "wait-dot-dot-dot-what"),
        ("$5 Lunch", "5-dollars-lunch"),
        ("Café Résumé Straße", "cafe-resume-strasse"),
        ("<b>Bold</b> Move", "bold-move"),
        ("  Spaced   Out  ", "spaced-out"),
        ("(Parens) [and] {braces}!", "parens-and-braces"),
        ("--Dashes--Everywhere--", "dashes-everywhere"),
        ("UPPER lower", "upper-lower"),
    ],
)
def test_slug_rules(title: str, slug: str) -> None:
    assert to_url(title) == slug


def test_titleize_rebuilds_a_title_from_a_slug() -> None:
    assert titleize("some-new_page") == "Some New Page"


def _page_row(sandbox: Sandbox, page_id: int) -> dict[str, Any]:
    return next(r for r in sandbox.store.rows("pages", 1) if r["id"] == page_id)


def test_create_page_defaults_and_fields(sandbox: Sandbox, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "Week 1: Intro & Setup", "body": "<p>Hi</p>"})

    assert page.url == "week-1-intro-and-setup"
    assert page.title == "Week 1: Intro & Setup"
    assert page.published is False  # teachers create unpublished pages
    assert page.hide_from_students is True
    assert page.front_page is False
    assert page.editing_roles == "teachers"
    assert page.body == "<p>Hi</p>"
    assert page.html_url == f"{sandbox.base_url}/courses/1/pages/week-1-intro-and-setup"
    assert page.created_at.endswith("Z") and len(page.created_at) == 20
    row = _page_row(sandbox, page.page_id)
    assert row["workflow_state"] == "unpublished"
    assert row["url"] == "week-1-intro-and-setup"


def test_create_published_page(sandbox: Sandbox, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "Open", "published": True})
    assert page.published is True
    assert _page_row(sandbox, page.page_id)["workflow_state"] == "active"


def test_rename_rederives_the_slug(sandbox: Sandbox, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "New Page"})
    page.edit(wiki_page={"title": "Renamed: Part 2"})

    assert page.url == "renamed-part-2"
    assert _page_row(sandbox, page.page_id)["url"] == "renamed-part-2"
    with pytest.raises(ResourceDoesNotExist):
        course.get_page("new-page")
    assert course.get_page("renamed-part-2").page_id == page.page_id


def test_duplicate_title_gets_suffixes(sandbox: Sandbox, course: Any) -> None:
    first = course.create_page(wiki_page={"title": "Intro"})
    second = course.create_page(wiki_page={"title": "Intro"})
    third = course.create_page(wiki_page={"title": "Intro"})

    assert (first.url, first.title) == ("intro", "Intro")
    assert (second.url, second.title) == ("intro-2", "Intro-2")
    assert (third.url, third.title) == ("intro-3", "Intro-3")


def test_slug_collision_without_title_collision(course: Any) -> None:
    course.create_page(wiki_page={"title": "Hello World"})
    other = course.create_page(wiki_page={"title": "Hello-World"})
    assert (other.url, other.title) == ("hello-world-2", "Hello-World")


def test_colliding_title_that_already_ends_in_digits_is_refused(course: Any) -> None:
    course.create_page(wiki_page={"title": "Intro"})
    course.create_page(wiki_page={"title": "Intro"})  # becomes "Intro-2"
    with pytest.raises(BadRequest) as err:
        course.create_page(wiki_page={"title": "Intro-2"})
    assert "A page with this title already exists" in str(err.value)


def test_deleted_pages_free_their_slug_and_title(sandbox: Sandbox, course: Any) -> None:
    old = course.create_page(wiki_page={"title": "Intro"})
    old.delete()
    new = course.create_page(wiki_page={"title": "Intro"})

    assert (new.url, new.title) == ("intro", "Intro")
    states = {r["id"]: r["workflow_state"] for r in sandbox.store.rows("pages", 1)}
    assert states == {old.page_id: "deleted", new.page_id: "unpublished"}


def test_delete_is_soft_and_hides_the_page(sandbox: Sandbox, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "Gone"})
    deleted = page.delete()

    assert deleted.url == "gone"
    row = _page_row(sandbox, page.page_id)
    assert row["workflow_state"] == "deleted"
    assert row["deleted_at"] is not None
    assert [p.url for p in course.get_pages()] == []
    with pytest.raises(ResourceDoesNotExist):
        course.get_page("gone")


def test_page_lookup_order(http: Http, course: Any) -> None:
    seven = course.create_page(wiki_page={"title": "Seven"})
    named_like_an_id = course.create_page(wiki_page={"title": str(seven.page_id)})

    assert http.get(f"/api/v1/courses/1/pages/page_id:{seven.page_id}").json()["url"] == "seven"
    # A page whose url is "N" wins over the page whose id is N.
    by_url = http.get(f"/api/v1/courses/1/pages/{seven.page_id}").json()
    assert by_url["page_id"] == named_like_an_id.page_id
    # The param's own slug also matches: "Seven" -> "seven".
    assert http.get("/api/v1/courses/1/pages/Seven").json()["page_id"] == seven.page_id
    # A bare id is the last resort.
    assert http.get(f"/api/v1/courses/1/pages/{named_like_an_id.page_id}").json()["url"] == str(
        seven.page_id
    )


def test_missing_page_is_404_with_canvas_body(http: Http) -> None:
    response = http.get("/api/v1/courses/1/pages/nope")
    assert response.status_code == 404
    assert response.json() == {"message": "page not found"}


def test_put_creates_a_page_when_not_found(sandbox: Sandbox, http: Http) -> None:
    untitled = http.put("/api/v1/courses/1/pages/some-new_page", data={"wiki_page[body]": "x"})
    assert untitled.status_code == 200
    assert (untitled.json()["title"], untitled.json()["url"]) == ("Some New Page", "some-new-page")

    titled = http.put("/api/v1/courses/1/pages/whatever", data={"wiki_page[title]": "Chosen"})
    assert titled.json()["url"] == "chosen"  # the path value never becomes the slug
    assert len(sandbox.store.rows("pages", 1)) == 2


def test_updated_at_moves_only_with_title_or_body(sandbox: Sandbox, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "Clock", "body": "<p>a</p>"})
    created = page.updated_at
    time.sleep(1.05)
    page.edit(wiki_page={"published": True, "editing_roles": "teachers,students"})
    assert page.updated_at == created
    assert page.editing_roles == "teachers,students"
    page.edit(wiki_page={"body": "<p>a</p>"})  # same body: not a revision
    assert page.updated_at == created
    page.edit(wiki_page={"body": "<p>b</p>"})
    assert page.updated_at > created


def test_invalid_editing_roles_and_blank_titles(http: Http) -> None:
    bad_roles = http.post(
        "/api/v1/courses/1/pages",
        data={"wiki_page[title]": "T", "wiki_page[editing_roles]": "teachers,admins"},
    )
    assert bad_roles.status_code == 400
    assert bad_roles.json()["errors"]["editing_roles"][0]["message"] == (
        "The provided editing roles are invalid"
    )
    blank = http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "  "})
    assert blank.status_code == 400
    assert blank.json() == {
        "errors": {"title": [{"attribute": "title", "type": "blank", "message": "can't be blank"}]}
    }
    no_letters = http.post("/api/v1/courses/1/pages", data={"wiki_page[title]": "!!!"})
    assert no_letters.status_code == 400
    assert "at least one letter or number" in no_letters.text


def test_front_page_rules(http: Http, course: Any) -> None:
    page = course.create_page(wiki_page={"title": "Home", "published": True, "front_page": True})
    assert page.front_page is True
    assert http.get("/api/v1/courses/1/front_page").json()["page_id"] == page.page_id

    cannot_delete = http.delete("/api/v1/courses/1/pages/home")
    assert cannot_delete.status_code == 400
    assert cannot_delete.json()["errors"]["front_page"][0]["message"] == (
        "The front page cannot be deleted"
    )
    cannot_unpublish = http.put(
        "/api/v1/courses/1/pages/home", data={"wiki_page[published]": "false"}
    )
    assert cannot_unpublish.status_code == 400
    assert "The front page cannot be unpublished" in cannot_unpublish.text


def test_list_excludes_bodies_unless_included(course: Any) -> None:
    course.create_page(wiki_page={"title": "One", "body": "<p>1</p>"})
    plain = list(course.get_pages())
    assert not hasattr(plain[0], "body")
    with_body = list(course.get_pages(include=["body"]))
    assert with_body[0].body == "<p>1</p>"


def test_list_filters_and_sorting(course: Any) -> None:
    for title, published in [("banana", True), ("Apple", False), ("cherry", True)]:
        course.create_page(wiki_page={"title": title, "published": published})

    assert [p.title for p in course.get_pages()] == ["banana", "Apple", "cherry"]
    assert [p.title for p in course.get_pages(sort="title")] == ["Apple", "banana", "cherry"]
    assert [p.title for p in course.get_pages(sort="title", order="desc")] == [
        "cherry",
        "banana",
        "Apple",
    ]
    assert [p.title for p in course.get_pages(published=True)] == ["banana", "cherry"]
    assert [p.title for p in course.get_pages(published=False)] == ["Apple"]
    assert [p.title for p in course.get_pages(search_term="an")] == ["banana"]


def test_canvasapi_lists_250_pages_through_pagination(sandbox: Sandbox, course: Any) -> None:
    for n in range(250):
        course.create_page(wiki_page={"title": f"Page {n:03d}"})
    sandbox.clear_requests()

    titles = [p.title for p in course.get_pages()]

    assert titles == [f"Page {n:03d}" for n in range(250)]
    gets = [r for r in sandbox.requests() if r.method == "GET"]
    assert len(gets) == 3  # per_page=100 -> three pages, following rel="next"
    assert gets[1].query == "page=2&per_page=100"


def test_link_header_format(sandbox: Sandbox, http: Http, course: Any) -> None:
    for n in range(25):
        course.create_page(wiki_page={"title": f"P{n}"})
    base = f"{sandbox.base_url}/api/v1/courses/1/pages"

    response = http.get(
        "/api/v1/courses/1/pages",
        params=[
            ("sort", "title"),
            ("per_page", "2"),
            ("include[]", "body"),
            ("per_page", "10"),
            ("page", "2"),
        ],
    )

    query = "include%5B%5D=body&sort=title"
    assert response.headers["Link"] == ",".join(
        [
            f'<{base}?{query}&page=2&per_page=10>; rel="current"',
            f'<{base}?{query}&page=3&per_page=10>; rel="next"',
            f'<{base}?{query}&page=1&per_page=10>; rel="prev"',
            f'<{base}?{query}&page=1&per_page=10>; rel="first"',
            f'<{base}?{query}&page=3&per_page=10>; rel="last"',
        ]
    )
    assert len(response.json()) == 10


def test_pagination_edges(sandbox: Sandbox, http: Http, course: Any) -> None:
    for n in range(3):
        course.create_page(wiki_page={"title": f"P{n}"})
    base = f"{sandbox.base_url}/api/v1/courses/1/pages"

    default = http.get("/api/v1/courses/1/pages")
    assert default.headers["Link"] == (
        f'<{base}?page=1&per_page=10>; rel="current",'
        f'<{base}?page=1&per_page=10>; rel="first",'
        f'<{base}?page=1&per_page=10>; rel="last"'
    )
    past_end = http.get("/api/v1/courses/1/pages", params={"page": 5})
    assert (past_end.status_code, past_end.json()) == (200, [])
    assert f'<{base}?page=4&per_page=10>; rel="prev"' in past_end.headers["Link"]
    for raw, size in [("0", 1), ("-3", 1), ("junk", 1), ("1000", 100)]:
        link = http.get("/api/v1/courses/1/pages", params={"per_page": raw}).headers["Link"]
        assert f"per_page={size}>" in link


def test_access_token_param_is_not_echoed_in_links(sandbox: Sandbox) -> None:
    import requests

    response = requests.get(
        f"{sandbox.base_url}/api/v1/courses/1/pages",
        params={"access_token": sandbox.token, "sort": "title"},
        timeout=10,
    )
    assert response.status_code == 200
    assert "access_token" not in response.headers["Link"]
    assert "sort=title&page=1" in response.headers["Link"]
