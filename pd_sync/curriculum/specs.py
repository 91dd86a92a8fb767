"""Checked records → the specs of ``model``, reading the Markdown files they name.

Each builder reports what only it can see (a Markdown file that is missing, a page without a
title, a due date that cannot be read, a start date that is not a Monday, an unknown time zone)
and returns ``None`` when its record had any problem: no ``Program`` is made then anyway, and
the rules across objects still run on the records.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import TypeVar

from pd_sync.curriculum.collected import (
    Collected,
    Item,
    LinkCheck,
    PageKey,
    SourceFile,
    display_path,
)
from pd_sync.curriculum.due import check_time_zone, parse_relative_due
from pd_sync.curriculum.excerpt import quoted
from pd_sync.curriculum.fields import KEY_FORM, KEY_PATTERN
from pd_sync.curriculum.files import CurriculumFiles, Refusal, refusal_message
from pd_sync.curriculum.limits import is_reserved_title
from pd_sync.curriculum.markdown import MarkdownSource, Placement, read_markdown
from pd_sync.curriculum.model import (
    WEEKDAYS,
    AssignmentGroupSpec,
    CohortSpec,
    Competency,
    DeliverableSpec,
    GroupSetSpec,
    LearningGoals,
    ModuleSpec,
    PageSpec,
    Presence,
    Weekday,
    WeekSpec,
)
from pd_sync.curriculum.record import Record
from pd_sync.curriculum.yaml_nodes import Scalar, where
from pd_sync.errors import Problem

T = TypeVar("T")


def split_fix(message: str, default_fix: str) -> tuple[str, str]:
    """A helper message "what is wrong; how to fix" split in two, to put the key path between."""
    what, separator, fix = message.rpartition("; ")
    if separator:
        return what, fix
    what, separator, fix = message.partition(": expected ")
    if separator:
        return what, f"expected {fix}"
    return message, default_fix


class SpecBuilder:
    """Builds specs from ``collected``'s records, adding problems to ``collected.problems``."""

    def __init__(self, files: CurriculumFiles, collected: Collected) -> None:
        self.files = files
        self.collected = collected
        self.problems = collected.problems

    # --- objects -------------------------------------------------------------------------------

    def program(self) -> tuple[str, str] | None:
        """The program's name and time zone, from the first ``program`` found."""
        programs = self.collected.items["program"]
        if not programs:
            return None
        item = programs[0]
        name, time_zone = item.record.text("name"), self._time_zone(item, "time_zone")
        return (name, time_zone) if name is not None and time_zone is not None else None

    def _time_zone(self, item: Item, field: str) -> str | None:
        zone = item.record.text(field)
        if zone is None:
            return None
        message = check_time_zone(zone)
        if message is None:
            return zone
        what, fix = split_fix(message, 'use an IANA name such as "America/Denver"')
        self._problem(item, field, f"{what} {where(item.record.path_of(field))}; {fix}")
        return None

    def assignment_group(self, item: Item) -> AssignmentGroupSpec | None:
        r = item.record
        if not r.ok or (name := r.text("name")) is None:
            return None
        return AssignmentGroupSpec(
            name=name,
            position=r.integer("position"),
            group_weight=r.number("group_weight"),
            renamed_from=r.text("renamed_from"),
            adopt=r.boolean("adopt", False),
            state=_state(r),
            where=item.ref(),
        )

    def group_set(self, item: Item) -> GroupSetSpec | None:
        r = item.record
        groups_value = r.get("groups")
        if not r.ok or (name := r.text("name")) is None or groups_value is None:
            return None
        if isinstance(groups_value.value, int):
            groups = tuple(f"{_singular(name)} {n}" for n in range(1, groups_value.value + 1))
        else:
            groups = r.texts("groups")
        return GroupSetSpec(
            name=name,
            groups=groups,
            weeks=tuple(int(w.value) for w in r.items("weeks") if isinstance(w.value, int)),
            meeting_day=_weekday(r.text("meeting_day")),
            description=r.text("description") or "",
            renamed_from=r.text("renamed_from"),
            adopt=r.boolean("adopt", False),
            state=_state(r),
            where=item.ref(),
        )

    def page(self, item: Item) -> PageSpec | None:
        r = item.record
        source, markdown = self._markdown_file(item, "source")
        key = r.text("key")
        if key is None and source is not None:
            key = source.removesuffix(".md")
            if not re.fullmatch(KEY_PATTERN.strip("^$"), key):
                self._problem(
                    item,
                    "source",
                    f"the key {quoted(key)} made from the source path is not a valid key "
                    f"{where(r.path_of('source'))}; add 'key:' ({KEY_FORM})",
                )
        title = r.text("title") or (markdown.title if markdown is not None else None)
        if title is None and markdown is not None and source is not None:
            self._problem(
                item,
                None,
                f"the page has no title {where(r.path)}; add 'title:' here, or 'title:' to the "
                f"front matter of {self._display(source)}",
            )
        if title is not None and is_reserved_title(title):
            self._problem(
                item,
                "title" if r.text("title") else None,
                f"the page title {quoted(title)} is the one pd-sync gives its ownership record "
                f"{where(r.path)}; choose another title",
            )
            title = None
        if key is None:
            # References to this page cannot be told from dangling ones: check none of them.
            self.collected.incomplete.add("pages")
        else:
            self.collected.page_keys.append(PageKey(item, key, source or "", r.items("aliases")))
        if markdown is None or key is None or title is None or source is None or not r.ok:
            return None
        spec = PageSpec(
            key=key,
            title=title,
            source=source,
            body_markdown=markdown.body,
            body_line=markdown.body_line,
            published=r.boolean("published", True),
            aliases=r.texts("aliases"),
            renamed_from=r.text("renamed_from"),
            adopt=r.boolean("adopt", False),
            state=_state(r),
            where=item.ref(),
        )
        placement = Placement(self._display(source), markdown.body_line)
        self.collected.links.append(
            LinkCheck(markdown.body, placement, source, f"page {quoted(key)}")
        )
        return spec

    def _markdown_file(self, item: Item, field: str) -> tuple[str | None, MarkdownSource | None]:
        """The curriculum-relative path of the ``.md`` named by ``field``, and its content."""
        r = item.record
        written = r.text(field)
        if written is None:
            return None, None
        if not written.endswith(".md"):
            return None, None  # reported by the field check: only Markdown files are read
        at = where(r.path_of(field))
        relative = posixpath.normpath(posixpath.join(item.file.directory, written))
        if PurePosixPath(written).is_absolute() or relative.split("/", 1)[0] == "..":
            self._problem(
                item,
                field,
                f"{quoted(written)} is outside the curriculum directory {at}; "
                "use a path inside it, relative to this YAML file",
            )
            return None, None
        raw = self.files.read(self.files.root / relative)
        if isinstance(raw, Refusal):
            # Named as written: where a link points is not the author's text, and not for output.
            what = quoted(written)
            if raw is Refusal.MISSING:
                what = f"Markdown file {self._display(relative)}"
            self._problem(item, field, refusal_message(what, raw, at))
            return relative, None
        markdown, problems = read_markdown(raw, self._display(relative))
        self.problems.extend(problems)
        return relative, markdown

    def module(self, item: Item) -> ModuleSpec | None:
        r = item.record
        weeks = tuple(self._week(item.at(w)) for w in r.records("weeks"))
        deliverables = tuple(self._deliverable(item.at(d)) for d in r.records("deliverables"))
        goals = r.record("learning_goals")
        if not r.ok:
            return None
        key, title, overview = r.text("key"), r.text("title"), r.text("overview")
        if key is None or title is None or overview is None:
            return None
        return ModuleSpec(
            key=key,
            title=title,
            overview=overview,
            weeks=built(weeks),
            deliverables=built(deliverables),
            learning_goals=_learning_goals(goals) if goals is not None else None,
            supplemental=r.texts("supplemental"),
            resources=r.texts("resources"),
            repeat_plan=r.text("repeat_plan"),
            published=r.boolean("published", True),
            renamed_from=r.text("renamed_from"),
            adopt=r.boolean("adopt", False),
            state=_state(r),
            where=item.ref(),
        )

    def _week(self, item: Item) -> WeekSpec | None:
        r = item.record
        number, title, page = r.integer("number"), r.text("title"), r.text("page")
        if not r.ok or number is None or title is None or page is None:
            return None
        return WeekSpec(
            number=number,
            title=title,
            page=page,
            activities=r.texts("activities"),
            pages=r.texts("pages"),
            discussion_group=r.text("discussion_group"),
            where=item.ref(),
        )

    def _deliverable(self, item: Item) -> DeliverableSpec | None:
        r = item.record
        due = None
        due_text = r.text("due")
        if due_text is not None:
            try:
                due = parse_relative_due(due_text)
            except ValueError as error:
                what, fix = split_fix(str(error), "write it as <Weekday> of week <N> at <HH:MM>")
                self._problem(item, "due", f"{what} {where(r.path_of('due'))}; {fix}")
        description, source, line, links_from = self._description(item)
        key, title, group = r.text("key"), r.text("title"), r.text("assignment_group")
        points = r.number("points")
        if not r.ok or due is None or description is None or points is None:
            return None
        if key is None or title is None or group is None:
            return None
        return DeliverableSpec(
            key=key,
            title=title,
            description_markdown=description,
            due=due,
            points=points,
            submission_types=r.texts("submission_types"),
            assignment_group=group,
            checklist=r.texts("checklist"),
            description_source=source,
            description_line=line,
            links_from=links_from,
            published=r.boolean("published", True),
            renamed_from=r.text("renamed_from"),
            state=_state(r),
            where=item.ref(),
        )

    def _description(self, item: Item) -> tuple[str | None, str | None, int, str]:
        """The deliverable's Markdown, its .md file (None when inline), the line it starts on,
        and the file whose directory relative links start from."""
        r = item.record
        owner = f"deliverable {quoted(r.text('key') or r.path)}"
        if r.get("description_file") is not None:
            source, markdown = self._markdown_file(item, "description_file")
            if source is None or markdown is None:
                return None, None, 1, ""
            placement = Placement(self._display(source), markdown.body_line)
            self.collected.links.append(LinkCheck(markdown.body, placement, source, owner))
            return markdown.body, source, markdown.body_line, source
        value = r.get("description")
        if value is None or not isinstance(value.node, Scalar):
            return None, None, 1, ""
        placement = _inline_placement(item.file, value.node)
        text = str(value.value)
        # Relative links in an inline description start from the YAML file's directory.
        self.collected.links.append(LinkCheck(text, placement, item.file.relative, owner))
        return text, None, placement.first_line, item.file.relative

    def cohort(self, item: Item, default_zone: str | None) -> CohortSpec | None:
        r = item.record
        start = r.date("start_date")
        if start is not None and start.weekday() != 0:
            monday = start - dt.timedelta(days=start.weekday())
            self._problem(
                item,
                "start_date",
                f"start_date {start} is a {start:%A}, not a Monday "
                f"{where(r.path_of('start_date'))}; use the Monday of week 1, e.g. {monday}",
            )
        zone = self._time_zone(item, "time_zone") if r.get("time_zone") else default_zone
        name, course_id = r.text("name"), r.integer("course_id")
        if not r.ok or name is None or course_id is None or start is None or zone is None:
            return None
        return CohortSpec(
            name=name,
            course_id=course_id,
            start_date=start,
            time_zone=zone,
            breaks=tuple(r.dates("breaks")),
            where=item.ref(),
        )

    # --- helpers -------------------------------------------------------------------------------

    def _problem(self, item: Item, field: str | None, message: str) -> None:
        position = item.record.at(field) if field is not None else item.record.position
        self.problems.append(Problem(item.file.display, position.line, position.column, message))

    def _display(self, relative: str) -> str:
        return display_path(self.files.root / relative)


def built(specs: Iterable[T | None]) -> tuple[T, ...]:
    return tuple(spec for spec in specs if spec is not None)


def _state(record: Record) -> Presence:
    return Presence(record.text("state") or Presence.PRESENT.value)


def _weekday(day: str | None) -> Weekday:
    for candidate in WEEKDAYS:
        if candidate == day:
            return candidate
    return "wednesday"


def _singular(name: str) -> str:
    """``Homeroom Groups`` → ``Homeroom Group``: how Canvas-style numbered groups are named."""
    head, _, last = name.rpartition(" ")
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}".strip()


def _learning_goals(record: Record) -> LearningGoals:
    return LearningGoals(
        page=record.text("page") or "",
        competencies=tuple(
            Competency(name=c.text("name") or "", goals=c.texts("goals"))
            for c in record.records("competencies")
        ),
    )


def _inline_placement(file: SourceFile, node: Scalar) -> Placement:
    """Where an inline YAML string's text sits, so link problems point into the YAML file."""
    if node.style in ("|", ">"):
        first = node.position.line + 1
        following = [line for line in file.lines[first - 1 :] if line.strip()]
        indent = len(following[0]) - len(following[0].lstrip(" ")) if following else 0
        return Placement(file.display, first, indent, indent)
    quote = 1 if node.style in ('"', "'") else 0
    return Placement(file.display, node.position.line, node.position.column - 1 + quote, 0)
