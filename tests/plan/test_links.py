"""Every HTML field the planner sends resolves links to pages the same way (issue 14)."""

from __future__ import annotations

import datetime as dt

from pd_sync.curriculum import PAGE_LINK_SCHEME
from pd_sync.desired import (
    AssignmentGroupState,
    AssignmentState,
    CourseState,
    OwnershipRecord,
    PageState,
    wrap_with_marker,
)
from pd_sync.plan import (
    CreateAssignment,
    CreatePage,
    Notice,
    RecordOwnership,
    UpdateAssignment,
    make_plan,
)
from pd_sync.plan.links import loss_notice, resolve_page_links

DUE = dt.datetime(2027, 1, 29, 23, 59, tzinfo=dt.UTC)


def _assignment(description: str, **extra: object) -> AssignmentState:
    fields: dict[str, object] = {
        "name": "LinkedIn Rough Draft",
        "description": description,
        "points_possible": 10.0,
        "due_at": DUE,
        "submission_types": ("online_url",),
        "assignment_group": "PD",
        "published": True,
        "key": "linkedin",
    }
    return AssignmentState(**(fields | extra))  # type: ignore[arg-type]


def _course(pages: list[PageState], assignments: list[AssignmentState]) -> CourseState:
    return CourseState(
        course_id=7,
        time_zone="America/Denver",
        pages=tuple(pages),
        assignments=tuple(assignments),
        assignment_groups=(AssignmentGroupState(name="PD", group_id=3),),
        # What these observed ids stand for was made by pd-sync (its ownership record).
        ownership=OwnershipRecord(
            frozenset({("assignment group", 3), ("page", 1), ("assignment", 9)})
        ),
    )


def _owned_page(key: str, title: str, url: str) -> PageState:
    body, digest = wrap_with_marker("<p>x</p>", key)
    return PageState(
        title, body, True, key=key, url=url, page_id=1, digest=digest, content_digest=digest
    )


def test_an_assignment_description_links_to_the_pages_slug() -> None:
    week3 = PageState("Week 3: Your Story", "<p>x</p>", True, key="mod1-week3")
    link = f'<p>See <a href="{PAGE_LINK_SCHEME}mod1-week3#what-to-do">week 3</a>.</p>'
    desired = _course([week3], [_assignment(link)])

    plan = make_plan(desired, _course([], []))

    create = next(a for a in plan.actions if isinstance(a, CreateAssignment))
    assert 'href="/courses/7/pages/week-3-your-story#what-to-do"' in create.description
    assert PAGE_LINK_SCHEME not in create.description


def test_a_renamed_page_rewrites_the_descriptions_that_link_to_it() -> None:
    link = f'<a href="{PAGE_LINK_SCHEME}mod1-week3">week 3</a>'
    observed_page = _owned_page("mod1-week3", "Week 3", "week-3")
    sent, digest = wrap_with_marker('<a href="/courses/7/pages/week-3">week 3</a>', "linkedin")
    observed = _course(
        [observed_page],
        [
            _assignment(
                sent, assignment_id=9, assignment_group_id=3, digest=digest, content_digest=digest
            )
        ],
    )
    renamed = PageState("Week 3: Your Story", "<p>x</p>", True, key="mod1-week3")

    unchanged = make_plan(
        _course([PageState("Week 3", "<p>x</p>", True, key="mod1-week3")], [_assignment(link)]),
        observed,
    )
    plan = make_plan(_course([renamed], [_assignment(link)]), observed)

    assert not any(isinstance(a, UpdateAssignment) for a in unchanged.actions)
    update = next(a for a in plan.actions if isinstance(a, UpdateAssignment))
    assert update.description is not None
    assert 'href="/courses/7/pages/week-3-your-story"' in update.description


def test_a_link_to_a_page_that_will_not_exist_loses_its_href_instead_of_a_guess() -> None:
    gone = PageState("Old Page", "<p>x</p>", True, key="old-page", absent=True)
    body = f'<p><a href="{PAGE_LINK_SCHEME}old-page">old</a> and <a href="/x">kept</a></p>'
    page = PageState("Overview", body, True, key="overview")

    plan = make_plan(_course([gone, page], []), _course([], []))

    create = next(a for a in plan.actions if isinstance(a, CreatePage))
    assert "<a>old</a>" in create.body and 'href="/x"' in create.body
    assert "/pages/old-page" not in create.body


def test_resolution_touches_only_symbolic_page_links() -> None:
    html = (
        f'<a class="x" href="{PAGE_LINK_SCHEME}a&amp;b#top">1</a>'
        '<a href="https://example.com/pd-sync-page:a">2</a>'
    )
    assert resolve_page_links(html, 3, {"a&b": "a-b"}) == (
        '<a class="x" href="/courses/3/pages/a-b#top">1</a>'
        '<a href="https://example.com/pd-sync-page:a">2</a>'
    )


def test_what_canvas_drops_is_said_when_the_html_is_sent_never_as_a_write() -> None:
    lost = ("week1.md:3:4: the aria-current attribute on <a>",)
    page = PageState("Week 1", "<p>x</p>", True, key="w1", lost=lost)
    observed_page = _owned_page("w1", "Week 1", "week-1")

    created = make_plan(_course([page], []), _course([], []))
    notices = [a for a in created.actions if isinstance(a, Notice)]
    assert notices == [loss_notice("page", "Week 1", lost)] and lost[0] in notices[0].reason
    assert [type(a) for a in created.writes] == [CreatePage, RecordOwnership]
    # Once it is in Canvas as sent, the plan is empty: nothing to write, nothing new to say.
    assert make_plan(_course([page], []), _course([observed_page], [])).actions == ()
    assert loss_notice("page", "Week 1", ()) is None
