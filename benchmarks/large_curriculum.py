"""A generated curriculum of any size, in the canonical format, for benchmarks and count guards.

    python benchmarks/large_curriculum.py OUT_DIR [--modules 4 --weeks 6 --pages 200 ...]

Each module has an overview, a learning-goals page, one page per week and a repeat plan; the
rest of the pages are shared supplemental pages spread over the modules' `supplemental:` lists.
Deliverables are spread evenly over the modules and due on the Friday of a week.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import yaml

_MODELINE = "# yaml-language-server: $schema=../schema/curriculum.schema.json\n"


@dataclass(frozen=True)
class Size:
    modules: int = 4
    weeks: int = 6
    pages: int = 200
    assignments: int = 40
    group_sets: int = 2
    groups_per_set: int = 8
    course_id: int = 1
    # Shared pages that each show an image of their own (``images/diagram_NNN.png``).
    images: int = 0

    @property
    def own_pages(self) -> int:
        """Pages every module has: overview, learning goals, its weeks, the repeat plan."""
        return self.weeks + 3


def _body(title: str, paragraphs: int = 3) -> str:
    lines = [f"## {title}", ""]
    for n in range(1, paragraphs + 1):
        lines += [
            f"Part {n} of {title.lower()}: read the notes, try the exercise, and bring one",
            "question to your group. *Keep* your notes; you will reuse them later.",
            "",
        ]
    lines += ["- one thing you learned", "- one thing to practise", ""]
    return "\n".join(lines)


def _dump(path: Path, data: object, header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + text, encoding="utf-8")


def write_curriculum(root: Path, size: Size = Size()) -> dict[str, int]:
    """Write the curriculum under ``root``; return the counts of what it declares."""
    shared = size.pages - size.modules * size.own_pages
    if shared < 0:
        raise ValueError(f"{size.pages} pages cannot cover {size.modules} modules' own pages")
    set_names = [f"Discussion Set {n}" for n in range(1, size.group_sets + 1)]
    _dump(
        root / "program.yml",
        {
            "program": {"name": "Generated Program", "time_zone": "America/Denver"},
            "assignment_groups": [{"name": "Deliverables", "position": 1}],
            "group_sets": [
                {
                    "name": name,
                    "meeting_day": "wednesday",
                    "weeks": [1],
                    "groups": size.groups_per_set,
                }
                for name in set_names
            ],
        },
        _MODELINE,
    )
    _dump(
        root / "cohorts.yml",
        {
            "cohorts": [
                {
                    "name": "generated",
                    "course_id": size.course_id,
                    "start_date": "2027-01-04",
                    "time_zone": "America/Denver",
                }
            ]
        },
        _MODELINE,
    )
    shared_pages = []
    for n in range(1, shared + 1):
        source = f"shared/activity_{n:03d}.md"
        _write_page(root / source, f"Activity {n:03d}")
        if n <= size.images:
            _add_image(root, source, n)
        shared_pages.append(
            {"source": source, "key": f"activity-{n:03d}", "title": f"Activity {n:03d}"}
        )
    _dump(root / "pages.yml", {"pages": shared_pages}, _MODELINE)
    for m in range(1, size.modules + 1):
        _write_module(root / "modules" / f"mod{m}", m, size, set_names, shared)
    return {
        "pages": size.pages,
        "assignments": size.assignments,
        "group_sets": size.group_sets,
        "groups": size.group_sets * size.groups_per_set,
        "modules": size.modules,
    }


def _add_image(root: Path, source: str, n: int) -> None:
    """A ~4 KB stand-in image (its bytes matter only by their digest), shown by the page."""
    image = root / "images" / f"diagram_{n:03d}.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(bytes((n * 7 + i) % 256 for i in range(4096)))
    page = root / source
    text = page.read_text(encoding="utf-8")
    page.write_text(text + f"\n![Diagram {n}](../images/{image.name})\n", encoding="utf-8")


def _write_page(path: Path, title: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_body(title), encoding="utf-8")


def _write_module(folder: Path, m: int, size: Size, set_names: list[str], shared: int) -> None:
    prefix = f"mod{m}"
    pages = []
    for name in ("overview", "learning_goals", "repeat_plan"):
        title = f"Module {m} {name.replace('_', ' ').title()}"
        _write_page(folder / f"{name}.md", title)
        pages.append(
            {"source": f"{name}.md", "key": f"{prefix}-{name.replace('_', '-')}", "title": title}
        )
    weeks = []
    for w in range(1, size.weeks + 1):
        title = f"Module {m} Week {w}"
        _write_page(folder / f"week{w}.md", title)
        pages.append({"source": f"week{w}.md", "key": f"{prefix}-week{w}", "title": title})
        week: dict[str, object] = {
            "number": w,
            "title": f"Topic {w}",
            "page": f"{prefix}-week{w}",
            "activities": [f"Read the week {w} notes", "Meet your group"],
        }
        if w == 1 and set_names:
            week["discussion_group"] = set_names[0]
        weeks.append(week)
    mine = [n for n in range(1, size.assignments + 1) if (n - 1) % size.modules == m - 1]
    deliverables = [
        {
            "key": f"deliverable-{n:03d}",
            "title": f"Deliverable {n:03d}",
            "description": f"Submit deliverable {n:03d}: a short reflection on the week's work.",
            "due": f"Friday of week {1 + (n % size.weeks)} at 23:59",
            "points": 10,
            "submission_types": ["online_text_entry"],
            "assignment_group": "Deliverables",
        }
        for n in mine
    ]
    supplemental = [
        f"activity-{n:03d}" for n in range(1, shared + 1) if (n - 1) % size.modules == m - 1
    ]
    module: dict[str, object] = {
        "key": prefix,
        "title": f"Module {m}",
        "overview": f"{prefix}-overview",
        "learning_goals": {
            "page": f"{prefix}-learning-goals",
            "competencies": [{"name": "Practice", "goals": ["Practise every week"]}],
        },
        "weeks": weeks,
        "deliverables": deliverables,
        "supplemental": supplemental,
        "repeat_plan": f"{prefix}-repeat-plan",
    }
    header = _MODELINE.replace("../schema", "../../../schema")
    _dump(folder / "module.yml", {"pages": pages, "modules": [module]}, header)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    for name, default in vars(Size()).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    args = vars(parser.parse_args())
    out = args.pop("out")
    print(write_curriculum(out, Size(**args)))


if __name__ == "__main__":
    main()
