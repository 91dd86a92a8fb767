"""Where pages go, their keys and titles: unique and stable."""

from __future__ import annotations

from pd_sync.jekyll.naming import PageName, as_key, name_pages, page_title, slug
from pd_sync.jekyll.site import SitePage


def _page(
    path: str, title: str | None = None, subheading: str | None = None, body: str = ""
) -> SitePage:
    return SitePage(path, "/" + path, title, subheading, body, 1, title is not None)


def test_paths_keys_and_titles_are_unique() -> None:
    names = name_pages(
        [
            _page("module_one/index.md", "Module 1"),
            _page("module_one/planning_page.md", "Module 1"),
            _page("index.md", "Home"),
            _page("index.html", "Home page"),
            _page("module_one/m1_PD_Repeat plan.md", "Repeat"),
        ]
    )
    assert names == {
        "index.html": PageName("index.md", "index", "Home page"),
        "index.md": PageName("index-2.md", "index-2", "Home"),
        "module_one/index.md": PageName("module_one/index.md", "module_one/index", "Module 1"),
        "module_one/m1_PD_Repeat plan.md": PageName(
            "module_one/m1_PD_Repeat plan.md", "module_one/m1_pd_repeat-plan", "Repeat"
        ),
        "module_one/planning_page.md": PageName(
            "module_one/planning_page.md", "module_one/planning_page", "Module 1 (2)"
        ),
    }


def test_titles_fall_back_to_heading_then_file_name() -> None:
    assert page_title(_page("a.md", "Mix It Up", "Networking")) == "Mix It Up: Networking"
    assert page_title(_page("a.md", "Prompts for Week 2", "Week 2")) == "Prompts for Week 2"
    assert page_title(_page("a.md", body="Intro\n\n## The **first** heading\n")) == (
        "The first heading"
    )
    assert page_title(_page("career_journal-template.md")) == "Career journal template"


def test_key_and_slug_forms() -> None:
    assert as_key("_drafts/Week 1") == "drafts/week-1"
    assert as_key("-/x") == "x"
    assert slug("1 Mentor Coffee Chat!") == "1-mentor-coffee-chat"
    assert slug("***") == "item"


def test_a_repeated_title_gets_its_folder_not_its_file_name() -> None:
    names = name_pages(
        [
            _page("optional_sessions/index.md", "Read Me"),
            _page("session_archives/index.md", "Read Me"),
        ]
    )
    assert [n.title for n in names.values()] == ["Read Me", "Read Me (Session Archives)"]
