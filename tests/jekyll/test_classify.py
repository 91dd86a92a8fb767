"""Sorting a site's pages into modules (read from their index pages), weeks, goals, plans,
resources, guides and the pages no module reaches."""

from __future__ import annotations

from pd_sync.jekyll.classify import ModuleFolder, WeekPlan, classify, module_number
from pd_sync.jekyll.site import SitePage


def _page(path: str, title: str | None, body: str = "") -> SitePage:
    url = "/" + path.rsplit(".", 1)[0]
    url = url[: -len("index")] if url.endswith("/index") else url
    return SitePage(path, url, title, None, body, 1, True)


def _resolve(href: str, page: SitePage) -> str | None:
    # Site-root links to ``.md`` paths only: enough for these tests, which name every page so.
    return href.lstrip("/") + ".md" if href.startswith("/") else None


INDEX = """## Overview
About the module.

### Learning goals
* **Listening:**
    * Listen. See [the goals](/module_one/goals).

## Weekly Breakdown
* [Week 1](/module_one/mod1_week1): Start
* [Week 2](/module_one/mod1_week2)
"""


def test_module_folder_roles() -> None:
    pages = [
        _page("module_one/index.md", "Module 1", INDEX),
        _page("module_one/mod1_week1.md", "Week One"),
        _page("module_one/mod1_week2.md", "Week Two"),
        _page("module_one/goals.md", "Module 1 Learning Goals"),
        _page("module_one/plan.md", "Plan for Repeating Module 1"),
        _page("module_one/planning_page.md", "Planning"),
        _page("mixed_groups/index.md", "Mix It Up"),
        _page("mixed_groups/prompts.md", "Prompts"),
        _page("index.html", "Home"),
    ]
    found = classify({p.path: p for p in pages}, _resolve)
    assert found.modules == (
        ModuleFolder(
            folder="module_one",
            number=1,
            index="module_one/index.md",
            weeks=(
                WeekPlan(1, "Start", ("module_one/mod1_week1.md",), line=9),
                WeekPlan(2, "", ("module_one/mod1_week2.md",), line=10),
            ),
            learning_goals="module_one/goals.md",
            repeat_plan="module_one/plan.md",
            extra=("module_one/planning_page.md",),
        ),
    )
    assert found.guides == ("mixed_groups/index.md", "mixed_groups/prompts.md")
    assert found.plain == ("index.html", "mixed_groups/index.md", "mixed_groups/prompts.md")
    assert found.notes == ()


def test_a_second_index_with_the_same_number_is_a_plain_page() -> None:
    pages = [
        _page("a/index.md", "Module 2", "## Overview\nOne.\n"),
        _page("b/index.md", "Mod 2 again", "## Deliverables\n* x\n"),
    ]
    found = classify({p.path: p for p in pages}, _resolve)
    assert [m.folder for m in found.modules] == ["a"]
    assert found.plain == ("b/index.md",)
    assert found.notes[0].startswith("b/index.md: a second index for module 2")


def test_an_index_presents_a_module_by_its_title_and_sections() -> None:
    assert module_number(_page("x/index.md", "Module 3 PD", "## Overview\nText\n")) == 3
    assert module_number(_page("x/index.md", "Resources", "## Overview\nText\n")) is None
    assert module_number(_page("x/index.md", "Mod 0 work", "## Part 0\nText\n")) is None
    assert module_number(_page("x/notes.md", "Module 3", "## Overview\nText\n")) is None


def test_a_page_in_another_modules_folder_stays_that_modules_resource() -> None:
    first = "## Overview\nSee the [rubric](/two/rubric) and the [guide](/guides/guide).\n"
    pages = [
        _page("one/index.md", "Module 1", first),
        _page("two/index.md", "Module 2", "## Overview\nText.\n"),
        _page("two/rubric.md", "Rubric"),
        _page("guides/guide.md", "Guide"),
    ]
    found = classify({p.path: p for p in pages}, _resolve)
    assert [(m.folder, m.extra) for m in found.modules] == [
        ("one", ("guides/guide.md",)),
        ("two", ("two/rubric.md",)),
    ]
