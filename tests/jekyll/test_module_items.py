"""A week's other pages and a module's resources appear where the site's index puts them:
each week's pages under its header, the other pages under a Resources header."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pd_sync.curriculum import load_curriculum
from pd_sync.desired import build_desired
from pd_sync.jekyll.build import CohortOption, ImportOptions, build_curriculum
from pd_sync.jekyll.read import read_site
from pd_sync.jekyll.write import check_output, write_output

SHAPES = Path(__file__).parent / "sites" / "shapes"


def test_week_pages_and_resources_are_module_items(tmp_path: Path) -> None:
    cohort = CohortOption("c", 1, dt.date(2027, 1, 4))
    result = build_curriculum(read_site(SHAPES), ImportOptions(cohort=cohort))
    write_output(tmp_path, result.files, check_output(tmp_path, result.files), force=False)
    program = load_curriculum(tmp_path)
    state = build_desired(program, program.cohorts[0])
    items = {m.name: [(i.kind, i.title) for i in m.items] for m in state.modules}
    assert items["Module 3 Professional Development"][:4] == [
        ("Page", "Module 3 Professional Development"),
        ("SubHeader", "Week 1: Kickoff: Setting Your Goals"),
        ("Page", "Kickoff: Setting Your Goals"),
        ("Page", "Goal Worksheet"),
    ]
    assert items["Module 1 Foundations"][-2:] == [
        ("SubHeader", "Resources"),
        ("Page", "Staff Notes for Module 1"),
    ]
