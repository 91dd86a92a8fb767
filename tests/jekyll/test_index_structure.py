"""A module read the way a person reads its index page: weeks from the weekly breakdown in
each of its shapes, deliverables however their due dates are phrased, learning goals from the
index and the goals page, and every page reachable from a module.

The fixture site ``sites/shapes`` has five modules, each index written differently, in folders
whose names say nothing (``foundations``, ``career_two``) or sort against their numbers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from pd_sync.jekyll.build import ImportOptions, ImportResult, build_curriculum
from pd_sync.jekyll.read import read_site

SHAPES = Path(__file__).parent / "sites" / "shapes"


@cache
def _imported() -> ImportResult:
    return build_curriculum(read_site(SHAPES), ImportOptions())


def _modules() -> dict[str, dict[str, object]]:
    files = dict(_imported().files)
    data = yaml.safe_load(files["modules.yml"])
    return {str(m["key"]): m for m in data["modules"]}


def _weeks(module: str) -> list[tuple[int, str, str]]:
    weeks = _modules()[module]["weeks"]
    assert isinstance(weeks, list)
    return [(w["number"], w["title"], w["page"]) for w in weeks]


def _due(module: str) -> dict[str, str]:
    deliverables = _modules()[module].get("deliverables", [])
    assert isinstance(deliverables, list)
    return {d["title"]: d["due"] for d in deliverables}


def test_modules_are_recognised_by_their_index_and_ordered_by_number() -> None:
    modules = list(_modules().values())
    assert [(m["key"], m["title"]) for m in modules] == [
        ("foundations", "Module 1 Foundations"),
        ("career_two", "Module 2: Materials"),
        ("module_three", "Module 3 Professional Development"),
        ("module_four", "Module 4 Professional Development"),
        ("module_five", "Module 5 Capstone"),
        ("module_six", "Module 6 Projects"),
        ("more", "More"),
    ]


def test_weeks_from_a_list_of_week_links_take_the_linked_lessons_titles() -> None:
    assert _weeks("foundations") == [
        (1, "Listening Well", "lessons/listening"),
        (2, "Asking Good Questions", "lessons/questions"),
    ]


def test_weeks_from_headings_per_week() -> None:
    assert _weeks("career_two") == [
        (1, "Resumes", "lessons/resume"),
        (2, "Offers", "lessons/offers"),
    ]


def test_weeks_from_bullets_carry_activities_and_every_linked_page() -> None:
    weeks = _modules()["module_three"]["weeks"]
    assert isinstance(weeks, list)
    first, second = weeks[0], weeks[1]
    assert (first["title"], first["page"]) == ("Kickoff: Setting Your Goals", "lessons/kickoff")
    assert first["activities"] == ["Kick off the module and set goals."]
    assert first["pages"] == ["module_three/worksheet"]
    assert (second["title"], second["page"]) == ("Telling Your Story", "lessons/stories")
    assert second["activities"] == ["Practise your story in pairs."]


def test_weeks_from_a_table() -> None:
    weeks = _modules()["module_four"]["weeks"]
    assert isinstance(weeks, list)
    assert [(w["number"], w["title"], w["page"], w["activities"]) for w in weeks] == [
        (1, "Negotiating", "lessons/negotiation", ["Role-play an offer call"]),
        (2, "Wrapping Up the Program", "module_four/wrap_up", ["Share what you learned"]),
    ]


def test_a_module_without_a_weekly_breakdown_keeps_its_pages_in_index_order() -> None:
    module = _modules()["module_five"]
    assert module["weeks"] == []
    assert module["resources"] == ["module_five/pitch", "module_five/plan"]


def test_deliverables_in_each_phrasing_get_their_due_dates() -> None:
    assert _due("foundations") == {
        "Listening log": "Monday of week 2 at 23:59",
        "Peer interview notes": "Thursday of week 1 at 23:59",
        "Week 1 exit ticket": "Friday of week 1 at 23:59",
        "Module 1: Week 2 exit ticket": "Friday of week 2 at 23:59",
    }
    assert _due("career_two") == {"Resume draft": "Monday of week 2 at 23:59"}
    assert _due("module_three") == {
        "Goal worksheet": "Wednesday of week 1 at 23:59",
        "Story recording": "Friday of week 4 at 23:59",
        "Module 3: Week 2 exit ticket": "Friday of week 2 at 23:59",
    }
    assert _due("module_four") == {"Module 4: Week 2 exit ticket": "Thursday of week 2 at 23:59"}


def test_weeks_and_deliverables_under_one_combined_heading() -> None:
    weeks = _modules()["module_six"]["weeks"]
    assert isinstance(weeks, list)
    assert [(w["number"], w["title"], w.get("activities")) for w in weeks] == [
        (1, "Planning a Project", ["Plan the project."]),
        # No page on the site: one is made, and the week is titled by its activity.
        (2, "Build it, then record a demo.", ["Build it, then record a demo."]),
    ]
    assert weeks[1]["page"] == "module_six/week-2"
    assert _due("module_six") == {
        "Project plan": "Friday of week 1 at 23:59",
        "Demo video": "Friday of week 2 at 23:59",
    }


def test_a_deliverable_after_the_last_listed_week_extends_the_module() -> None:
    weeks = _weeks("module_three")
    assert [number for number, _, _ in weeks] == [1, 2, 3, 4]
    assert (weeks[2][1], weeks[3][1]) == ("No lesson on the site", "Deliverables due")


def test_a_deliverable_without_a_date_is_reported_at_its_line() -> None:
    skipped = [str(f) for f in _imported().report.skipped_deliverables]
    assert len(skipped) == 1
    assert skipped[0].startswith("module_three/index.md:15:1: 'Reflection essay'")


def test_learning_goals_from_the_index_and_the_goals_page() -> None:
    goals = _modules()["foundations"]["learning_goals"]
    assert isinstance(goals, dict)
    assert goals["page"] == "foundations/goals"
    assert goals["competencies"] == [
        {
            "name": "Listening",
            "goals": ["Summarise what a peer said before answering", "Notice when they interrupt"],
        },
        {"name": "Asking", "goals": ["Ask one open question per conversation"]},
        {"name": "Speaking", "goals": ["Introduce themselves in one minute", "Name one strength"]},
    ]


def test_learning_goals_from_headings_with_level_suffixes() -> None:
    goals = _modules()["career_two"]["learning_goals"]
    assert isinstance(goals, dict)
    assert goals["page"] == "career_two/learning_goals"
    assert goals["competencies"] == [
        {"name": "Materials", "goals": ["Write a one-page resume", "List two projects"]},
        {"name": "Negotiations", "goals": ["Name the parts of an offer"]},
    ]


def test_every_page_is_reachable_from_a_module() -> None:
    files = dict(_imported().files)
    declared = {
        str(p["key"])
        for name, text in files.items()
        if name.endswith(".yml")
        for p in (yaml.safe_load(text) or {}).get("pages", [])
    }
    reachable: set[str] = set()
    for module in _modules().values():
        reachable.add(str(module["overview"]))
        goals = module.get("learning_goals")
        if isinstance(goals, dict):
            reachable.add(str(goals["page"]))
        for week in module["weeks"]:  # type: ignore[attr-defined]
            reachable.add(str(week["page"]))
            reachable.update(str(p) for p in week.get("pages", []))
        reachable.update(str(p) for p in module.get("resources", []))  # type: ignore[attr-defined]
    assert declared - reachable == set()
    assert "foundations/staff_notes" in _modules()["foundations"]["resources"]  # type: ignore[operator]
    assert _modules()["more"]["overview"] == "index"
