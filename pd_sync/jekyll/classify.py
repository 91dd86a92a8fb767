"""Which part of a curriculum each page of the site is, judged by where it sits and its name.

- a top-level ``module_*`` folder with an ``index`` page and at least one week is a module;
  its index is the overview (and names the module), ``mod<N>_week<M>`` pages are its weeks,
  a ``*learning_goals*`` page its learning goals, a ``*repeat_plan*`` page its repeat plan;
- pages in a top-level folder whose name ends in ``groups`` (``mixed_groups``) are
  discussion-group guides;
- everything else is imported as a plain page and listed in the report.

Weeks must run 1..N without gaps (pd-sync numbers weeks that way); a week after a gap, or a
second page for one week number, is a plain page, and the note says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_MODULE_FOLDER = re.compile(r"^module_[^/]+$", re.IGNORECASE)
_WEEK = re.compile(r"^mod(?:ule)?_?\d*_week_?(\d+)$", re.IGNORECASE)
_GUIDE_FOLDER = re.compile(r"groups$", re.IGNORECASE)


@dataclass(frozen=True)
class ModuleFolder:
    """A module's pages, by site path. ``extra`` are its pages that have no role."""

    folder: str
    index: str
    weeks: tuple[tuple[int, str], ...]
    learning_goals: str | None = None
    repeat_plan: str | None = None
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class Classification:
    """The site sorted into modules, guides and plain pages; ``notes`` explain odd cases."""

    modules: tuple[ModuleFolder, ...]
    guides: tuple[str, ...]
    plain: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def unclassified(self) -> tuple[str, ...]:
        """Pages imported without a role: plain pages and modules' extra pages."""
        extra = tuple(p for m in self.modules for p in m.extra)
        return tuple(sorted(self.plain + extra))


def classify(paths: Iterable[str]) -> Classification:
    """Classify site-relative page paths (``module_one/mod1_week2.md``)."""
    by_folder: dict[str, list[str]] = {}
    for path in sorted(paths):
        folder = path.split("/", 1)[0] if "/" in path else ""
        by_folder.setdefault(folder, []).append(path)
    modules: list[ModuleFolder] = []
    guides: list[str] = []
    plain: list[str] = []
    notes: list[str] = []
    for folder, members in sorted(by_folder.items()):
        if folder and _MODULE_FOLDER.match(folder):
            module, why = _module(folder, members, notes)
            if module is not None:
                modules.append(module)
                continue
            notes.append(f"{folder}/: not imported as a module: {why}")
        if folder and _GUIDE_FOLDER.search(folder):
            guides.extend(members)
        else:
            plain.extend(members)
    return Classification(tuple(modules), tuple(guides), tuple(plain), tuple(notes))


def _module(folder: str, members: list[str], notes: list[str]) -> tuple[ModuleFolder | None, str]:
    direct = [p for p in members if p.count("/") == 1]
    index = next((p for p in direct if _stem(p) == "index"), None)
    if index is None:
        return None, "it has no index page to name the module"
    numbered: dict[int, str] = {}
    for path in direct:
        match = _WEEK.match(_stem(path))
        if match is None:
            continue
        number = int(match.group(1))
        if number in numbered:
            notes.append(f"{path}: a second page for week {number}; imported as a plain page")
        else:
            numbered[number] = path
    weeks: list[tuple[int, str]] = []
    while len(weeks) + 1 in numbered:
        weeks.append((len(weeks) + 1, numbered[len(weeks) + 1]))
    for number, path in sorted(numbered.items()):
        if number > len(weeks):
            notes.append(
                f"{path}: week {number} follows a gap after week {len(weeks)}; "
                "imported as a plain page"
            )
    if not weeks:
        return None, "it has no week pages (mod<N>_week<M>) starting at week 1"
    used = {index} | {path for _, path in weeks}
    goals = _first(direct, used, "learning_goals")
    used |= {goals} if goals else set()
    repeat = _first(direct, used, "repeat_plan")
    used |= {repeat} if repeat else set()
    extra = tuple(p for p in members if p not in used)
    return ModuleFolder(folder, index, tuple(weeks), goals, repeat, extra), ""


def _first(paths: list[str], used: set[str], marker: str) -> str | None:
    return next((p for p in paths if p not in used and marker in _stem(p).lower()), None)


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name
