"""What an import made of the site, as data and as the lines the command prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pd_sync.jekyll.relink import LinkNote


@dataclass(frozen=True, order=True)
class Finding:
    """Something the report points at: ``file:line:column: message`` (file as shown)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class ImportReport:
    """Counts of what was made, and everything a person should look at.

    - ``unclassified``: pages imported as plain pages (``site path -> output file``);
    - ``unresolved``: links to pages outside the imported set, now pointing at the site;
    - ``moved_links``: links to a path with no page, resolved to the one page with that file
      name elsewhere on the site (the page moved);
    - ``case_links``: links that matched a page only ignoring letter case;
    - ``assets``: site-relative images and files, now pointing at the site;
    - ``skipped_deliverables``: deliverables that could not become assignments, and why;
    - ``notes``: anything else (Liquid removed, odd folders, how to add a cohort).
    """

    modules: int
    weeks: int
    pages: int
    deliverables: int
    guides: int
    unclassified: tuple[str, ...] = ()
    unresolved: tuple[Finding, ...] = ()
    moved_links: tuple[Finding, ...] = ()
    case_links: tuple[Finding, ...] = ()
    assets: tuple[Finding, ...] = ()
    skipped_deliverables: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    generated: tuple[str, ...] = ()  # pages the import wrote because the site has none

    @property
    def counts(self) -> str:
        """``2 modules, 10 weeks, 44 pages, 5 deliverables (12 guides, 14 unclassified)``."""
        parts = [
            _count(self.modules, "module"),
            _count(self.weeks, "week"),
            _count(self.pages, "page"),
            _count(self.deliverables, "deliverable"),
        ]
        extra = f"{_count(self.guides, 'guide')}, {len(self.unclassified)} unclassified"
        return f"{', '.join(parts)} ({extra})"


def report_lines(report: ImportReport) -> list[str]:
    """The report as printed: counts first, then one titled block per non-empty list."""
    lines = [f"Imported: {report.counts}"]
    blocks: tuple[tuple[str, tuple[object, ...]], ...] = (
        ("Pages without a role (a module's resources, or the More module)",
         report.unclassified),
        ("Unresolved links (pages outside the imported site; now pointing at the site)",
         report.unresolved),
        ("Links to pages that moved (resolved by file name)", report.moved_links),
        ("Links that matched a page only ignoring letter case", report.case_links),
        ("Images and files left on the site", report.assets),
        ("Deliverables not imported as assignments", report.skipped_deliverables),
        ("Pages generated (the site has none for these)", report.generated),
        ("Notes", report.notes),
    )  # fmt: skip
    for title, items in blocks:
        if items:
            lines.append(f"{title}: {len(items)}")
            lines.extend(f"  {item}" for item in items)
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass
class Findings:
    """What the builder gathers for the report while it works."""

    unresolved: list[Finding] = field(default_factory=list)
    moved: list[Finding] = field(default_factory=list)
    case_links: list[Finding] = field(default_factory=list)
    assets: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_links(
        self, file: str, notes: tuple[LinkNote, ...], line_of: Callable[[int], int]
    ) -> None:
        """Links worth reporting, at ``file``'s line ``line_of(line in the relinked text)``."""
        lists = {
            "unresolved": self.unresolved,
            "moved": self.moved,
            "case": self.case_links,
            "asset": self.assets,
        }
        for note in notes:
            message = f"{note.target} -> {note.now}" + (" (moved)" if note.kind == "moved" else "")
            lists[note.kind].append(Finding(file, line_of(note.line), note.column, message))
