"""Sorting a site's pages into modules, weeks, goals, plans, guides and plain pages."""

from __future__ import annotations

from pd_sync.jekyll.classify import ModuleFolder, classify


def test_module_folder_roles() -> None:
    found = classify(
        [
            "module_one/index.md",
            "module_one/mod1_week2.md",
            "module_one/mod1_week1.md",
            "module_one/mod1_learning_goals.md",
            "module_one/m1_PD_repeat_plan.md",
            "module_one/planning_page.md",
            "module_one/archive-mod1_week2.md",
            "mixed_groups/index.md",
            "mixed_groups/prompts.md",
            "module-1-prework/index.md",
            "index.html",
        ]
    )
    assert found.modules == (
        ModuleFolder(
            folder="module_one",
            index="module_one/index.md",
            weeks=((1, "module_one/mod1_week1.md"), (2, "module_one/mod1_week2.md")),
            learning_goals="module_one/mod1_learning_goals.md",
            repeat_plan="module_one/m1_PD_repeat_plan.md",
            extra=("module_one/archive-mod1_week2.md", "module_one/planning_page.md"),
        ),
    )
    assert found.guides == ("mixed_groups/index.md", "mixed_groups/prompts.md")
    assert found.plain == ("index.html", "module-1-prework/index.md")
    assert found.unclassified == (
        "index.html",
        "module-1-prework/index.md",
        "module_one/archive-mod1_week2.md",
        "module_one/planning_page.md",
    )
    assert found.notes == ()


def test_weeks_after_a_gap_and_duplicates_become_plain_pages() -> None:
    found = classify(
        [
            "module_two/index.md",
            "module_two/mod2_week1.md",
            "module_two/mod2_week_1.md",
            "module_two/mod2_week3.md",
        ]
    )
    (module,) = found.modules
    assert module.weeks == ((1, "module_two/mod2_week1.md"),)
    assert set(module.extra) == {"module_two/mod2_week_1.md", "module_two/mod2_week3.md"}
    assert any("second page for week 1" in n for n in found.notes)
    assert any("week 3 follows a gap after week 1" in n for n in found.notes)


def test_module_folder_without_index_or_weeks_is_not_a_module() -> None:
    found = classify(["module_x/mod1_week1.md", "module_y/index.md", "module_y/intro.md"])
    assert found.modules == ()
    assert found.plain == ("module_x/mod1_week1.md", "module_y/index.md", "module_y/intro.md")
    assert [n.split(":")[0] for n in found.notes] == ["module_x/", "module_y/"]
    assert "no index page" in found.notes[0] and "no week pages" in found.notes[1]
