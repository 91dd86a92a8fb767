"""The curriculum as typed, immutable specs: what ``load`` produces and ``desired`` consumes.

Nothing here knows about YAML or Canvas. Every spec remembers where it was written
(``where``) so later stages can point a person at the right line; ``where`` takes no part in
equality, so moving a block inside a file does not make two specs differ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal


@dataclass(frozen=True)
class SourceRef:
    """A place in a curriculum file; 1-based like editors show it."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = SourceRef("<generated>")


class Presence(Enum):
    """``state:`` of an object: ``present`` (default) or ``absent`` (delete it from Canvas)."""

    PRESENT = "present"
    ABSENT = "absent"


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


@dataclass(frozen=True)
class RelativeDue:
    """A due date relative to the cohort calendar, e.g. ``Friday of week 4 at 23:59``."""

    week: int
    weekday: Weekday
    time: dt.time

    def __str__(self) -> str:
        return f"{self.weekday.capitalize()} of week {self.week} at {self.time:%H:%M}"


@dataclass(frozen=True)
class PageSpec:
    """A Canvas page: title plus a Markdown body read from ``source``.

    ``body_markdown`` is the file's text without its front matter; ``body_line`` is the line in
    ``source`` where that text starts, so rendering problems can be located. ``aliases`` are
    site paths (``/module_one/mod1_week2``) that links may use to reach this page.
    """

    key: str
    title: str
    source: str
    body_markdown: str
    body_line: int = 1
    published: bool = True
    aliases: tuple[str, ...] = ()
    renamed_from: str | None = None
    state: Presence = Presence.PRESENT
    where: SourceRef = field(default=NOWHERE, compare=False)
    adopt: bool = False


@dataclass(frozen=True)
class AssignmentGroupSpec:
    """A Canvas assignment group, identified by name (``renamed_from`` declares a rename)."""

    name: str
    position: int | None = None
    group_weight: float | None = None
    renamed_from: str | None = None
    adopt: bool = False
    state: Presence = Presence.PRESENT
    where: SourceRef = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class GroupSetSpec:
    """A Canvas group set (group category) whose groups meet on ``meeting_day`` of ``weeks``."""

    name: str
    groups: tuple[str, ...]
    weeks: tuple[int, ...] = ()
    meeting_day: Weekday = "wednesday"
    description: str = ""
    renamed_from: str | None = None
    adopt: bool = False
    state: Presence = Presence.PRESENT
    where: SourceRef = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Competency:
    """A learning-goal competency (Networking, Interviewing, Materials, …) and its goals."""

    name: str
    goals: tuple[str, ...]


@dataclass(frozen=True)
class LearningGoals:
    """The page that lists a module's learning goals, and the goals by competency."""

    page: str
    competencies: tuple[Competency, ...]


@dataclass(frozen=True)
class WeekSpec:
    """One week of a module: its page, activities and which discussion group meets."""

    number: int
    title: str
    page: str
    activities: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()  # the week's other pages, listed after ``page``
    discussion_group: str | None = None
    where: SourceRef = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class DeliverableSpec:
    """A deliverable, synced as a Canvas assignment in ``assignment_group``.

    ``description_source`` is the curriculum-relative ``.md`` file of the description (None when
    it is written inline in YAML); ``links_from`` is the curriculum-relative file the description
    is written in (that ``.md`` file, or the YAML file), whose directory relative links start from.
    """

    key: str
    title: str
    description_markdown: str
    due: RelativeDue
    points: float
    submission_types: tuple[str, ...]
    assignment_group: str
    checklist: tuple[str, ...] = ()
    description_source: str | None = None
    description_line: int = 1
    links_from: str = ""
    published: bool = True
    renamed_from: str | None = None
    state: Presence = Presence.PRESENT
    where: SourceRef = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class ModuleSpec:
    """A curriculum module, synced as one Canvas module.

    Page fields (``overview``, ``week.page``, ``supplemental``, ``repeat_plan``,
    ``learning_goals.page``) hold page keys defined in ``Program.pages``.
    """

    key: str
    title: str
    overview: str
    weeks: tuple[WeekSpec, ...]
    deliverables: tuple[DeliverableSpec, ...] = ()
    learning_goals: LearningGoals | None = None
    supplemental: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()  # pages listed under a "Resources" header
    repeat_plan: str | None = None
    published: bool = True
    renamed_from: str | None = None
    adopt: bool = False
    state: Presence = Presence.PRESENT
    where: SourceRef = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class CohortSpec:
    """A target: one Canvas course running the curriculum from ``start_date`` (Monday of week 1).

    ``breaks`` are the Mondays of weeks with no teaching; later weeks shift past them.
    """

    name: str
    course_id: int
    start_date: dt.date
    time_zone: str
    breaks: tuple[dt.date, ...] = ()
    where: SourceRef = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class CurriculumFile:
    """An image or attachment the curriculum references: its path relative to the curriculum
    directory (``images/x.png``) and its bytes, read once by the loader (``attachments``)."""

    path: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Program:
    """The whole curriculum: everything ``load`` read from one directory."""

    name: str
    time_zone: str
    modules: tuple[ModuleSpec, ...]
    pages: tuple[PageSpec, ...]
    assignment_groups: tuple[AssignmentGroupSpec, ...]
    group_sets: tuple[GroupSetSpec, ...]
    cohorts: tuple[CohortSpec, ...]
    root: str = "."
    files: tuple[CurriculumFile, ...] = ()

    def page(self, key: str) -> PageSpec:
        for page in self.pages:
            if page.key == key:
                return page
        raise KeyError(key)

    def cohort(self, name: str) -> CohortSpec:
        for cohort in self.cohorts:
            if cohort.name == name:
                return cohort
        raise KeyError(name)


def program_summary(program: Program) -> str:
    """``1 module, 6 weeks, 14 pages, 2 deliverables, 2 group sets, 1 cohort``."""
    counts = (
        (len(program.modules), "module"),
        (sum(len(m.weeks) for m in program.modules), "week"),
        (len(program.pages), "page"),
        (sum(len(m.deliverables) for m in program.modules), "deliverable"),
        (len(program.group_sets), "group set"),
        (len(program.cohorts), "cohort"),
    )
    return ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts)
