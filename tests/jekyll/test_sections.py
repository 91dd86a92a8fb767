"""Reading a module index: sections, week titles, competencies and deliverables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pd_sync.curriculum import Competency, RelativeDue
from pd_sync.jekyll.deliverables import find_deliverables
from pd_sync.jekyll.goals import index_competencies
from pd_sync.jekyll.sections import find_section, plain_text
from pd_sync.jekyll.weeks import find_weeks

INDEX = (Path(__file__).parent / "sites" / "example" / "module_alpha" / "index.md").read_text(
    encoding="utf-8"
)


def test_sections_end_at_a_heading_of_the_same_level() -> None:
    text = "## A\none\n### B\ntwo\n## C\nthree\n```\n## not a heading\n```\n"
    section = find_section(text, "^a$")
    assert section is not None
    assert (section.level, section.first_line) == (2, 2)
    assert section.lines == ("one", "### B", "two")
    c = find_section(text, "^c$")
    assert c is not None and "## not a heading" in c.lines


def test_week_titles_skip_commented_out_lines() -> None:
    assert [(w.number, w.title, w.hrefs) for w in find_weeks(INDEX)] == [
        (1, "Listening Basics", ("/module_alpha/mod1_week1",)),
        (2, "Asking Questions", ("/module_alpha/mod1_week2.md",)),
    ]


def test_competencies_from_four_space_nested_goals() -> None:
    assert index_competencies(INDEX) == (
        Competency(
            "Listening",
            (
                "Summarise what a peer said before answering",
                "Ask one open question per conversation",
            ),
        ),
        Competency("Writing", ("Keep a short weekly reflection",)),
    )
    assert index_competencies("## Overview\nNo goals here.\n") == ()


def test_deliverables_titles_due_dates_and_bodies() -> None:
    found = find_deliverables(INDEX)  # lines count from the top of the file
    friday, thursday = "friday", "thursday"
    eod = dt.time(23, 59)
    assert [(d.title, d.due, d.line) for d in found] == [
        ("Reflection journal", RelativeDue(2, thursday, eod), 27),
        ("Check-in forms", None, 30),
        ("Practice interview", RelativeDue(2, friday, eod), 31),  # "Final" beats the draft
        ("Capstone pitch", RelativeDue(3, friday, eod), 34),
    ]
    assert found[0].description == (
        "**Reflection journal:**\n"
        "* One entry per week, using the [week 1 template]"
        "(/module_alpha/mod1_week1.html#template).\n"
        "* **Due by EOD Thursday of Week 2** through the course form.\n"
    )
    assert found[0].written == "Thursday of Week 2"


def test_deliverable_title_from_a_link_when_not_bold() -> None:
    text = (
        "### Deliverables\n"
        "* Complete [the end of module survey](https://x.org) by EOD Friday of week 5\n"
    )
    (found,) = find_deliverables(text)
    assert found.title == "The end of module survey"
    assert found.due == RelativeDue(5, "friday", dt.time(23, 59))
    assert find_deliverables("## Overview\n* not a deliverable\n") == ()


def test_plain_text_drops_inline_markup() -> None:
    assert plain_text('**[Week 1](/a){:target="_blank"}** and _b_ `c` <em>d</em>:') == (
        "Week 1 and b c d"
    )
