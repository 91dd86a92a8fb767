"""Which part of a curriculum each page of the site is, read from the module indexes.

- A folder is a module when its ``index`` page presents one: its title names a module
  ("Module 3 Professional Development", "Mod 2: Materials") and it has a section a module index
  has (an overview, weeks, deliverables or learning goals). The number in the title orders the
  modules, whatever the folders are called; a second index with the same number is a plain page.
- Its weeks are the index's weekly breakdown (``weeks.py``); the pages each week links to, in
  any folder, are that week's pages, the first of them its main page. Missing week numbers
  (a week commented out) become weeks without pages, so week N stays week N.
- Its learning-goals page is the page its learning-goals section links to, else a page of its
  folder titled as learning goals; its repeat plan a page of its folder titled as one.
- Its other pages (resources) are the pages its index links to that no module claims, then the
  other pages of its folder: reachable under the module, in index order.
- Pages in a folder whose name ends in ``groups`` are discussion-group guides (counted apart);
  every page no module reaches goes to the "More" module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pd_sync.jekyll.naming import page_title
from pd_sync.jekyll.sections import find_section, sections, without_comments
from pd_sync.jekyll.site import SitePage
from pd_sync.jekyll.weeks import FoundWeek, find_weeks, links_in

_MODULE_TITLE = re.compile(r"\bmod(?:ule)?\b[\s_-]*(\d{1,3}\b)?", re.IGNORECASE)
# A module whose title has no number ("Module Alpha") comes after the numbered ones.
UNNUMBERED = 1000
_MODULE_SECTION = re.compile(r"^overview$|\bweek|deliverable|learning goals", re.IGNORECASE)
_GOALS_TITLE = re.compile(r"learning goals|\bgoals\b", re.IGNORECASE)
_REPEAT_TITLE = re.compile(r"\brepeat", re.IGNORECASE)
_GUIDE_FOLDER = re.compile(r"groups$", re.IGNORECASE)

# (href as written, the page linking) -> site path of the page it names, or None
Resolve = Callable[[str, SitePage], str | None]


@dataclass(frozen=True)
class WeekPlan:
    """One week: its main page and other pages (site paths), from line ``line`` of the index."""

    number: int
    title: str  # "" when the index gives none
    pages: tuple[str, ...]
    activities: tuple[str, ...] = ()
    exit_tickets: tuple[tuple[str, str], ...] = ()
    line: int = 1


@dataclass(frozen=True)
class ModuleFolder:
    """A module's pages, by site path. ``extra`` are its resources, in index order."""

    folder: str
    number: int
    index: str
    weeks: tuple[WeekPlan, ...]
    learning_goals: str | None = None
    repeat_plan: str | None = None
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class Classification:
    """The site sorted into modules, guides and the pages no module reaches (``plain``)."""

    modules: tuple[ModuleFolder, ...]
    guides: tuple[str, ...]
    plain: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def unclassified(self) -> tuple[str, ...]:
        """Pages without a role of their own: the More module's pages and modules' resources."""
        extra = tuple(p for m in self.modules for p in m.extra)
        return tuple(sorted(self.plain + extra))


def module_number(page: SitePage) -> int | None:
    """The module number an index page presents, or ``None`` if it presents no module."""
    if page.stem != "index" or not page.folder:
        return None
    match = _MODULE_TITLE.search(page_title(page))
    if match is None:
        return None
    if not any(_MODULE_SECTION.search(s.title) for s in sections(page.body)):
        return None
    return int(match.group(1)) if match.group(1) else UNNUMBERED


def classify(pages: dict[str, SitePage], resolve: Resolve) -> Classification:
    """Classify the site's pages (by site path)."""
    notes: list[str] = []
    indexes: dict[int, SitePage] = {}
    unnumbered = UNNUMBERED
    for path in sorted(pages):
        number = module_number(pages[path])
        if number is None:
            continue
        if number == UNNUMBERED:
            number, unnumbered = unnumbered, unnumbered + 1
        if number in indexes:
            notes.append(f"{path}: a second index for module {number} "
                         f"(after {indexes[number].path}); imported as a plain page")  # fmt: skip
            continue
        indexes[number] = pages[path]
    claimed = {index.path for index in indexes.values()}
    modules: list[ModuleFolder] = []
    for number in sorted(indexes):
        index = indexes[number]
        module = _module(index, number, pages, resolve, claimed, notes)
        claimed.update(_pages_of(module))
        modules.append(module)
    # Resources second, so a page one module's week uses is never another module's resource.
    with_resources = []
    folders = {m.folder for m in modules}
    for module in modules:
        extra = _resources(module, pages, resolve, claimed, folders - {module.folder})
        claimed.update(extra)
        with_resources.append(_with_extra(module, extra))
    rest = [p for p in sorted(pages) if p not in claimed]
    guides = tuple(p for p in rest if "/" in p and _GUIDE_FOLDER.search(p.split("/", 1)[0]))
    return Classification(tuple(with_resources), guides, tuple(rest), tuple(notes))


def _module(
    index: SitePage,
    number: int,
    pages: dict[str, SitePage],
    resolve: Resolve,
    claimed: set[str],
    notes: list[str],
) -> ModuleFolder:
    taken = set(claimed)
    weeks = _weeks(index, find_weeks(index.body), pages, resolve, taken, notes)
    for week in weeks:
        taken.update(week.pages)
    goals = _goals_page(index, pages, resolve, taken)
    taken.update([goals] if goals else [])
    repeat = _in_folder(index, pages, taken, _REPEAT_TITLE)
    return ModuleFolder(index.folder, number, index.path, weeks, goals, repeat)


def _weeks(
    index: SitePage,
    found: tuple[FoundWeek, ...],
    pages: dict[str, SitePage],
    resolve: Resolve,
    taken: set[str],
    notes: list[str],
) -> tuple[WeekPlan, ...]:
    by_number: dict[int, WeekPlan] = {}
    for week in found:
        linked: list[str] = []
        for href in week.hrefs:
            path = resolve(href, index)
            if path is None or path not in pages or path in linked:
                continue
            if path in taken:
                at = f"{index.path}:{index.body_line + week.line - 1}"
                notes.append(f"{at}: week {week.number} links {path}, already a page of an "
                             "earlier module or week")  # fmt: skip
                continue
            linked.append(path)
        taken.update(linked)
        line = index.body_line + week.line - 1
        earlier = by_number.get(week.number)
        if earlier is not None:  # the same week written twice: one week with both
            week_plan = WeekPlan(
                week.number, earlier.title or week.title, earlier.pages + tuple(linked),
                earlier.activities + week.activities, earlier.exit_tickets + week.exit_tickets,
                earlier.line,
            )  # fmt: skip
        else:
            week_plan = WeekPlan(week.number, week.title, tuple(linked), week.activities,
                                 week.exit_tickets, line)  # fmt: skip
        by_number[week.number] = week_plan
    last = max(by_number, default=0)
    return tuple(
        by_number.get(n, WeekPlan(n, "", (), line=index.body_line)) for n in range(1, last + 1)
    )


def _goals_page(
    index: SitePage, pages: dict[str, SitePage], resolve: Resolve, taken: set[str]
) -> str | None:
    section = find_section(index.body, r"learning goals|\bgoals\b|competenc")
    if section is not None:
        for _, href in links_in(without_comments("\n".join(section.lines))):
            path = resolve(href, index)
            if path is not None and path in pages and path not in taken:  # noqa: SIM102
                # A link from the goals section names the goals page only if titled as one.
                if _GOALS_TITLE.search(page_title(pages[path])):
                    return path
    return _in_folder(index, pages, taken, _GOALS_TITLE)


def _in_folder(
    index: SitePage, pages: dict[str, SitePage], taken: set[str], title: re.Pattern[str]
) -> str | None:
    folder = index.folder + "/"
    return next(
        (
            p
            for p in sorted(pages)
            if p.startswith(folder) and p not in taken and title.search(page_title(pages[p]))
        ),
        None,
    )


def _resources(
    module: ModuleFolder,
    pages: dict[str, SitePage],
    resolve: Resolve,
    claimed: set[str],
    other_modules: set[str],
) -> tuple[str, ...]:
    index = pages[module.index]
    found: list[str] = []
    for _, href in links_in(without_comments(index.body)):
        path = resolve(href, index)
        if path is None or path not in pages or path in claimed or path in found:
            continue
        # A page in another module's folder is that module's, whoever links to it.
        if not any(path.startswith(folder + "/") for folder in other_modules):
            found.append(path)
    folder = module.folder + "/"
    found += [p for p in sorted(pages) if p.startswith(folder) and p not in claimed | set(found)]
    return tuple(found)


def _pages_of(module: ModuleFolder) -> set[str]:
    used = {module.index} | {p for w in module.weeks for p in w.pages}
    used |= {p for p in (module.learning_goals, module.repeat_plan) if p is not None}
    return used | set(module.extra)


def _with_extra(module: ModuleFolder, extra: tuple[str, ...]) -> ModuleFolder:
    return ModuleFolder(
        module.folder, module.number, module.index, module.weeks, module.learning_goals,
        module.repeat_plan, extra,
    )  # fmt: skip
