"""A small valid curriculum loads into exactly the expected ``Program``.

The fixture under ``fixtures/valid`` exercises the defaults: page keys made from their source
paths, titles from front matter (and YAML winning over it), aliases, links of every form (a
page key, a relative .md path, a site path with suffix, anchor or trailing slash), inline and
file descriptions, learning goals, numbered groups named after their set, a page marked
absent, and a cohort time zone taken from the program.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pd_sync.curriculum import load_curriculum
from pd_sync.curriculum.model import (
    AssignmentGroupSpec,
    CohortSpec,
    Competency,
    DeliverableSpec,
    GroupSetSpec,
    LearningGoals,
    ModuleSpec,
    PageSpec,
    Presence,
    Program,
    RelativeDue,
    SourceRef,
    WeekSpec,
)

FIXTURES = Path(__file__).parent / "fixtures"
MODULE_YML = "valid/modules/mod1/module.yml"

EXPECTED = Program(
    name="Example PD",
    time_zone="America/Denver",
    modules=(
        ModuleSpec(
            key="mod1",
            title="Module 1: Professional Development",
            overview="mod1-overview",
            weeks=(
                WeekSpec(
                    number=1,
                    title="Defining Your Story",
                    page="modules/mod1/week1",
                    activities=("Read the overview", "Meet your homeroom"),
                    discussion_group="Homeroom Groups",
                ),
                WeekSpec(
                    number=2,
                    title="Networking",
                    page="mod1-week2",
                    discussion_group="Mix It Up Groups",
                ),
                WeekSpec(number=3, title="LinkedIn", page="mod1-week3"),
            ),
            deliverables=(
                DeliverableSpec(
                    key="mod1-networking-activity",
                    title="Networking Activity",
                    description_markdown=(
                        "Complete one networking activity.\n\nSee [week 2](week2.md) for ideas.\n"
                    ),
                    due=RelativeDue(week=2, weekday="friday", time=dt.time(17, 0)),
                    points=10.0,
                    submission_types=("online_text_entry",),
                    assignment_group="Professional Development",
                    description_line=42,
                    links_from="modules/mod1/module.yml",
                ),
                DeliverableSpec(
                    key="mod1-linkedin-draft",
                    title="LinkedIn Rough Draft",
                    description_markdown="Draft your profile, see [week 3](../week3.md).\n",
                    due=RelativeDue(week=3, weekday="friday", time=dt.time(23, 59)),
                    points=5.0,
                    submission_types=("online_url", "online_upload"),
                    assignment_group="Professional Development",
                    checklist=("Professional-looking headshot", "Updated headline"),
                    description_source="modules/mod1/deliverables/linkedin.md",
                    description_line=4,
                    links_from="modules/mod1/deliverables/linkedin.md",
                    published=False,
                ),
            ),
            learning_goals=LearningGoals(
                page="mod1-goals",
                competencies=(
                    Competency(
                        name="Networking",
                        goals=("Create and describe your goals in networking",),
                    ),
                    Competency(
                        name="Materials",
                        goals=(
                            "Utilize your understanding of your story to create a strong "
                            "LinkedIn profile",
                        ),
                    ),
                ),
            ),
            supplemental=("pd-networking",),
            repeat_plan="mod1-repeat",
            renamed_from="Mod 1 PD",
        ),
    ),
    pages=(
        PageSpec(
            key="mod1-overview",
            title="Module 1 Overview",
            source="modules/mod1/overview.md",
            body_markdown=(
                "\n## Overview\n\n"
                "Start with [week 1](week1.md), then [week 2](/module_one/mod1_week2.html#top).\n"
            ),
            body_line=5,
            aliases=("/module_one", "/module_one/index"),
        ),
        PageSpec(
            key="modules/mod1/week1",
            title="Week 1 from YAML",
            source="modules/mod1/week1.md",
            body_markdown="Back to the [overview](page:mod1-overview).\n",
            body_line=4,
        ),
        PageSpec(
            key="mod1-week2",
            title="Week 2",
            source="modules/mod1/week2.md",
            body_markdown="# Week 2\n\nNetworking. See the [overview](/module_one/).\n",
            body_line=1,
            published=False,
            aliases=("/module_one/mod1_week2",),
        ),
        PageSpec(
            key="mod1-week3",
            title="Week 3: LinkedIn",
            source="modules/mod1/week3.md",
            body_markdown="Build your profile. [External](https://www.linkedin.com).\n",
            body_line=4,
        ),
        PageSpec(
            key="mod1-goals",
            title="Module 1 Learning Goals",
            source="modules/mod1/learning_goals.md",
            body_markdown="The goals of this module, by competency.\n",
            body_line=4,
        ),
        PageSpec(
            key="mod1-repeat",
            title="Repeating Module 1",
            source="modules/mod1/repeat_plan.md",
            body_markdown="Make a plan; see [networking activities](/networking_activities/).\n",
            body_line=4,
            renamed_from="m1-repeat-plan",
        ),
        PageSpec(
            key="pd-networking",
            title="Networking Activities",
            source="supplemental/networking.md",
            body_markdown="Back to [module 1](../modules/mod1/overview.md).\n",
            body_line=4,
            aliases=("/networking_activities",),
        ),
        PageSpec(
            key="supplemental/retired",
            title="Retired Page",
            source="supplemental/retired.md",
            body_markdown="No longer used.\n",
            state=Presence.ABSENT,
        ),
    ),
    assignment_groups=(AssignmentGroupSpec(name="Professional Development", position=1),),
    group_sets=(
        GroupSetSpec(
            name="Homeroom Groups",
            groups=("Homeroom Group 1", "Homeroom Group 2"),
            weeks=(1, 3),
        ),
        GroupSetSpec(
            name="Mix It Up Groups",
            groups=("Red Team", "Blue Team"),
            weeks=(2,),
            meeting_day="thursday",
            description="Mixed groups across programs.",
        ),
    ),
    cohorts=(
        CohortSpec(
            name="2611-example",
            course_id=7,
            start_date=dt.date(2026, 11, 30),
            time_zone="America/Denver",
            breaks=(dt.date(2026, 12, 21),),
        ),
    ),
    root="valid",
)


@pytest.fixture
def program(monkeypatch: pytest.MonkeyPatch) -> Program:
    monkeypatch.chdir(FIXTURES)
    return load_curriculum("valid")


def test_loads_the_exact_program(program: Program) -> None:
    assert program == EXPECTED


def test_specs_remember_where_they_were_written(program: Program) -> None:
    module = program.modules[0]
    assert module.where == SourceRef(MODULE_YML, 22, 5)
    assert module.weeks[1].where == SourceRef(MODULE_YML, 31, 9)
    assert module.deliverables[1].where == SourceRef(MODULE_YML, 49, 9)
    assert program.pages[6].where == SourceRef("valid/supplemental/pages.yml", 3, 5)
    assert program.pages[0].where == SourceRef(MODULE_YML, 3, 5)
    assert program.cohorts[0].where == SourceRef("valid/program.yml", 21, 5)


def test_outputs_are_immutable(program: Program) -> None:
    assert isinstance(program.pages, tuple)
    assert isinstance(program.modules[0].weeks[0].activities, tuple)
    with pytest.raises(AttributeError):
        program.name = "changed"  # type: ignore[misc]


def test_loading_is_deterministic(program: Program) -> None:
    again = load_curriculum("valid")
    assert again == program
    assert [p.where for p in again.pages] == [p.where for p in program.pages]


def test_accepts_a_path_object_and_an_empty_yaml_file(tmp_path: Path) -> None:
    target = tmp_path / "copy"
    shutil.copytree(FIXTURES / "valid", target)
    (target / "empty.yml").write_text("# nothing here yet\n", encoding="utf-8")
    loaded = load_curriculum(target)
    assert loaded.pages == EXPECTED.pages
    assert loaded.root == str(target)
