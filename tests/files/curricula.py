"""A small curriculum whose pages show an image and link to a PDF, written into a directory."""

from __future__ import annotations

from pathlib import Path

# A tiny valid PNG (1x1, transparent) and a stand-in PDF: content matters only by its hash.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n% pd-sync test file\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

CURRICULUM = """\
program:
  name: Files PD
  time_zone: America/Denver
cohorts:
  - name: c1
    course_id: 1
    start_date: 2027-01-04
    time_zone: America/Denver
assignment_groups:
  - name: PD
pages:
  - {source: pages/overview.md, key: overview, title: Overview}
  - {source: pages/week1.md, key: week1, title: Week One}
modules:
  - key: mod1
    title: Module One
    overview: overview
    weeks:
      - number: 1
        title: Start
        page: week1
    deliverables:
      - key: plan
        title: Plan
        description: "Fill in [the template](pages/files/plan.pdf)."
        due: Friday of week 1 at 23:59
        points: 10
        submission_types: [online_text_entry]
        assignment_group: PD
"""

OVERVIEW = """\
# Overview

![The diagram](images/diagram.png)

Download [the plan](files/plan.pdf).
"""

WEEK1 = "# Week one\n\nNothing to show.\n"


def write_curriculum(root: Path, overview: str = OVERVIEW) -> Path:
    """The curriculum under ``root``; returns ``root``."""
    (root / "pages" / "images").mkdir(parents=True)
    (root / "pages" / "files").mkdir()
    (root / "curriculum.yml").write_text(CURRICULUM, "utf-8")
    (root / "pages" / "overview.md").write_text(overview, "utf-8")
    (root / "pages" / "week1.md").write_text(WEEK1, "utf-8")
    (root / "pages" / "images" / "diagram.png").write_bytes(PNG)
    (root / "pages" / "files" / "plan.pdf").write_bytes(PDF)
    return root
