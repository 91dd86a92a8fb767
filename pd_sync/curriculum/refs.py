"""Rules that span objects and files: unique keys, references, weeks, links between pages.

Each rule reports at the place that has to change: a duplicate at its second occurrence (naming
the first), a dangling reference where it is written, a link where it sits in the Markdown.
Rules whose facts are incomplete (a file that did not parse, a page whose key could not be
read) are skipped for that kind of object, so one mistake is not reported many times over.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

from pd_sync.curriculum.collected import Collected, Item, PageKey, SourceFile
from pd_sync.curriculum.due import parse_relative_due
from pd_sync.curriculum.excerpt import excerpt, quoted
from pd_sync.curriculum.links import PageIndex, normalise_site_path
from pd_sync.curriculum.markdown import link_problems, reserved_attribute_problems
from pd_sync.curriculum.model import PageSpec, Presence
from pd_sync.curriculum.module_rules import check_modules
from pd_sync.curriculum.record import Record, Value
from pd_sync.curriculum.yaml_nodes import Position, Sequence, where
from pd_sync.errors import Problem


def check_all(collected: Collected) -> None:
    """Run every cross-object rule, adding to ``collected.problems``."""
    rules = _Rules(collected)
    rules.program_once()
    rules.unique_names()
    rules.unique_pages()
    rules.references()
    rules.weeks()
    rules.links()
    check_modules(collected)
    for check in collected.links:
        collected.problems.extend(
            reserved_attribute_problems(check.markdown, check.placement, check.owner)
        )


class _Rules:
    def __init__(self, collected: Collected) -> None:
        self.c = collected
        self.deliverables = [
            (m.file, d)
            for m in collected.items["modules"]
            for d in m.record.records("deliverables")
        ]
        for category, identifier in (
            ("assignment_groups", "name"),
            ("group_sets", "name"),
            ("modules", "key"),
        ):
            if any(i.record.text(identifier) is None for i in collected.items[category]):
                self.c.incomplete.add(category)

    def problem(self, file: SourceFile, position: Position, message: str) -> None:
        self.c.problems.append(Problem(file.display, position.line, position.column, message))

    # --- the program ---------------------------------------------------------------------------

    def program_once(self) -> None:
        programs = self.c.items["program"]
        if not programs and "program" not in self.c.incomplete:
            if self.c.files:
                shown = self.c.files[0].display
                message = (
                    "no 'program' in any .yml file of the curriculum; add a 'program:' block "
                    "with name and time_zone to one of them"
                )
            else:
                shown = self.c.root
                message = (
                    "no .yml files in the curriculum directory; add one with a 'program:' "
                    "block (name and time_zone)"
                )
            self.c.problems.append(Problem(shown, 1, 1, message))
        for extra in programs[1:]:
            self.problem(
                extra.file,
                extra.record.position,
                f"a second 'program' {where('program')} (the first is at {programs[0].ref()}); "
                "keep exactly one program in the curriculum",
            )

    # --- uniqueness ----------------------------------------------------------------------------

    def unique_names(self) -> None:
        items = self.c.items
        self._unique("assignment group name", _named(items["assignment_groups"], "name"))
        self._unique("group set name", _named(items["group_sets"], "name"))
        self._unique("module key", _named(items["modules"], "key"))
        self._unique("module title", _named(items["modules"], "title"))
        self._unique("cohort name", _named(items["cohorts"], "name"))
        self._unique("course_id", _named(items["cohorts"], "course_id"))
        deliverables = [Item(f, d) for f, d in self.deliverables]
        self._unique("deliverable key", _named(deliverables, "key"))
        for group_set in items["group_sets"]:
            names = [(group_set.file, v) for v in _list_values(group_set.record, "groups")]
            self._unique("group name", iter(names))

    def unique_pages(self) -> None:
        first_key: dict[str, PageKey] = {}
        first_alias: dict[str, tuple[PageKey, Value]] = {}
        for page in self.c.page_keys:
            record = page.item.record
            field_name = _key_field(record)
            earlier = first_key.setdefault(page.key, page)
            if earlier is not page:
                derived = "" if field_name == "key" else " (made from its source path)"
                first_at = earlier.item.record.at(_key_field(earlier.item.record))
                self.problem(
                    page.item.file,
                    record.at(field_name),
                    f"duplicate page key {quoted(page.key)}{derived} "
                    f"{where(record.path_of(field_name))}"
                    f" (first used at {_at(earlier.item.file, first_at)}); "
                    "give each page its own key",
                )
            for alias in page.aliases:
                normal = normalise_site_path(str(alias.value))
                seen = first_alias.setdefault(normal, (page, alias))
                if seen[0] is not page:
                    self.problem(
                        page.item.file,
                        alias.position,
                        f"alias {_shown(alias.value)} already belongs to another page "
                        f"{where(alias.path)}"
                        f" (at {_at(seen[0].item.file, seen[1].position)}); a site path can name "
                        "only one page",
                    )

    def _unique(self, what: str, values: Iterator[tuple[SourceFile, Value]]) -> None:
        first: dict[object, tuple[SourceFile, Value]] = {}
        for file, value in values:
            seen = first.setdefault(value.value, (file, value))
            if seen[1] is not value:
                self.problem(
                    file,
                    value.position,
                    f"duplicate {what} {_shown(value.value)} {where(value.path)} (first used "
                    "at "
                    f"{_at(seen[0], seen[1].position)}); each {what} must be unique",
                )

    # --- references ----------------------------------------------------------------------------

    def references(self) -> None:
        groups = {i.record.text("name"): i.record for i in self.c.items["assignment_groups"]}
        if "assignment_groups" not in self.c.incomplete:
            for file, deliverable in self.deliverables:
                value = deliverable.get("assignment_group")
                if value is None:
                    continue
                target = groups.get(str(value.value))
                if target is None:
                    self._dangling(file, value, "assignment group", groups, "assignment_groups")
                elif _absent(target) and not _absent(deliverable):
                    self._uses_absent(file, value, "assignment group")
        sets = {i.record.text("name"): i.record for i in self.c.items["group_sets"]}
        if "group_sets" not in self.c.incomplete:
            for item in self.c.items["modules"]:
                for week in item.record.records("weeks"):
                    self._discussion_group(item.file, week, sets)
        if "pages" not in self.c.incomplete:
            keys = {p.key: p for p in self.c.page_keys}
            for item in self.c.items["modules"]:
                for value in _page_refs(item.record):
                    if str(value.value) not in keys:
                        self._dangling(item.file, value, "page key", keys, "pages")

    def _discussion_group(
        self, file: SourceFile, week: Record, sets: dict[str | None, Record]
    ) -> None:
        value = week.get("discussion_group")
        if value is None:
            return
        target = sets.get(str(value.value))
        if target is None:
            self._dangling(file, value, "group set", sets, "group_sets")
            return
        if _absent(target):
            self._uses_absent(file, value, "group set")
        number = week.integer("number")
        meets = [int(str(w.value)) for w in _list_values(target, "weeks")]
        if meets and target.complete("weeks") and number is not None and number not in meets:
            listed = ", ".join(str(w) for w in meets)
            self.problem(
                file,
                value.position,
                f"group set {_shown(value.value)} does not meet in week {number} (its weeks "
                "are "
                f"{listed}) {where(value.path)}; add {number} to its weeks, or name another "
                "group set",
            )

    def _dangling(
        self, file: SourceFile, value: Value, what: str, known: Iterable[object], home: str
    ) -> None:
        names = sorted(str(k) for k in known if k is not None)
        close = difflib.get_close_matches(str(value.value), names, n=1, cutoff=0.6)
        if close:
            fix = f"did you mean {quoted(close[0])}?"
        elif names:
            fix = f"use one defined under {home}: " + ", ".join(excerpt(n) for n in names[:8])
        else:
            fix = f"define it under {home}"
        self.problem(
            file,
            value.position,
            f"unknown {what} {_shown(value.value)} {where(value.path)}; {fix}",
        )

    def _uses_absent(self, file: SourceFile, value: Value, what: str) -> None:
        self.problem(
            file,
            value.position,
            f"{what} {_shown(value.value)} is marked state: absent, but is still used "
            f"{where(value.path)}; move this to another {what}, or mark it absent too",
        )

    # --- weeks ---------------------------------------------------------------------------------

    def weeks(self) -> None:
        longest = 0
        for item in self.c.items["modules"]:
            weeks = item.record.get("weeks")
            # Counted from the YAML list itself, so a week with a mistake still counts.
            count = len(weeks.node.items) if weeks and isinstance(weeks.node, Sequence) else 0
            longest = max(longest, count)
            for week in item.record.records("weeks"):
                self._week_number(item.file, week)
            if count:
                for deliverable in item.record.records("deliverables"):
                    self._due_week(item.file, deliverable, count)
        if "modules" in self.c.incomplete or not self.c.items["modules"]:
            return
        for item in self.c.items["group_sets"]:
            for value in _list_values(item.record, "weeks"):
                if isinstance(value.value, int) and value.value > longest:
                    self.problem(
                        item.file,
                        value.position,
                        f"week {value.value} does not exist: no module has more than {longest} "
                        f"weeks {where(value.path)}; use a week from 1 to {longest}",
                    )

    def _week_number(self, file: SourceFile, week: Record) -> None:
        value = week.get("number")
        expected = _index(week.path) + 1
        if value is not None and value.value != expected:
            self.problem(
                file,
                value.position,
                f"week numbered {value.value} is week {expected} of the list {where(value.path)};"
                f" number the weeks 1..N in order, so this one is {expected}",
            )

    def _due_week(self, file: SourceFile, deliverable: Record, weeks: int) -> None:
        value = deliverable.get("due")
        if value is None:
            return
        try:
            week = parse_relative_due(str(value.value)).week
        except ValueError:
            return  # reported when the deliverable was built
        if week > weeks:
            self.problem(
                file,
                value.position,
                f"due in week {week}, but the module has {weeks} weeks {where(value.path)}; "
                f"use a week from 1 to {weeks}",
            )

    # --- links ---------------------------------------------------------------------------------

    def links(self) -> None:
        if "pages" in self.c.incomplete:
            return
        targets = PageIndex(
            PageSpec(
                key=p.key,
                title=p.key,
                source=p.source,
                body_markdown="",
                aliases=tuple(str(a.value) for a in p.aliases),
            )
            for p in self.c.page_keys
        )
        for check in self.c.links:
            self.c.problems.extend(
                link_problems(
                    check.markdown, check.placement, check.linking_source, targets, check.owner
                )
            )


def _shown(value: object) -> str:
    """A value in a message: text quoted and cut short, a number as it is."""
    return quoted(value) if isinstance(value, str) else excerpt(str(value))


def _at(file: SourceFile, position: Position) -> str:
    return f"{file.display}:{position.line}:{position.column}"


def _named(items: Iterable[Item], field_name: str) -> Iterator[tuple[SourceFile, Value]]:
    for item in items:
        value = item.record.get(field_name)
        if value is not None:
            yield item.file, value


def _list_values(record: Record, field_name: str) -> tuple[Value, ...]:
    value = record.get(field_name)
    return value.value if value is not None and isinstance(value.value, tuple) else ()


def _page_refs(module: Record) -> Iterator[Value]:
    for name in ("overview", "repeat_plan"):
        value = module.get(name)
        if value is not None:
            yield value
    goals = module.record("learning_goals")
    if goals is not None and (page := goals.get("page")) is not None:
        yield page
    for week in module.records("weeks"):
        if (page := week.get("page")) is not None:
            yield page
        yield from _list_values(week, "pages")
    yield from _list_values(module, "supplemental")
    yield from _list_values(module, "resources")


def _key_field(page: Record) -> str:
    """Where a page's key is written: its ``key``, or the ``source`` it is made from."""
    return "key" if page.get("key") is not None else "source"


def _absent(record: Record) -> bool:
    return record.text("state") == Presence.ABSENT.value


def _index(path: str) -> int:
    match = re.search(r"\[(\d+)\]$", path)
    return int(match.group(1)) if match else 0
