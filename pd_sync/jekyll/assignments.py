"""A module's dated deliverables → its ``deliverables:`` entries (Canvas assignments).

Each description is cut from the index into ``<module folder>/deliverables/<name>.md``, with its
links resolved as page bodies' are. Assignment names are unique across the whole course, since
Canvas lists every module's assignments together: a name two modules share gets its module
("Module 2: Week 1 exit ticket"); a name repeated within one module gets "(2)", "(3)", ….
"""

from __future__ import annotations

from collections.abc import Callable

from pd_sync.jekyll.classify import UNNUMBERED, ModuleFolder
from pd_sync.jekyll.module_entry import Deliverable
from pd_sync.jekyll.naming import slug, unique, unique_title
from pd_sync.jekyll.relink import SiteLinks, relink
from pd_sync.jekyll.report import Findings
from pd_sync.jekyll.site import SitePage

ASSIGNMENT_GROUP = "Deliverables"
DEFAULT_POINTS = 0
DEFAULT_SUBMISSION_TYPES = ("online_text_entry",)


def assignment_names(
    modules: tuple[ModuleFolder, ...], titles: list[str], dated: list[list[Deliverable]]
) -> list[list[str]]:
    """For each module (titled ``titles``), the names of its deliverables, in order."""
    modules_with: dict[str, set[int]] = {}
    for module, items in zip(modules, dated, strict=True):
        for item in items:
            modules_with.setdefault(item.found.title.casefold(), set()).add(module.number)
    named: list[list[str]] = []
    for module, module_title, items in zip(modules, titles, dated, strict=True):
        label = f"Module {module.number}" if module.number < UNNUMBERED else module_title
        used: set[str] = set()
        names: list[str] = []
        for item in items:
            title = item.found.title
            if len(modules_with[title.casefold()]) > 1:
                title = f"{label}: {title}"
            title = unique_title(title, used)
            used.add(title.casefold())
            names.append(title)
        named.append(names)
    return named


def deliverable_entries(
    folder: ModuleFolder,
    index: SitePage,
    module_key: str,
    deliverables: list[tuple[Deliverable, str]],
    links: SiteLinks,
    write: Callable[[str, str], None],
    found: Findings,
    assets: set[str],
) -> list[dict[str, object]]:
    """The entries, writing each description through ``write(path, Markdown)``; the site files
    the descriptions now name by a relative path (to copy) are added to ``assets``."""
    entries: list[dict[str, object]] = []
    used: set[str] = set()
    for deliverable, title in deliverables:
        item = deliverable.found
        name = unique(slug(item.title), used)
        used.add(name)
        source = f"{folder.folder}/deliverables/{name}.md"
        relinked = relink(item.description, index.url, links, source)
        assets.update(relinked.assets)
        found.add_links(folder.index, relinked.notes, _in_index(index.body_line + item.line - 1))
        write(source, relinked.markdown)
        entries.append(
            {
                "key": f"{module_key}-{name}".replace("_", "-").replace("/", "-"),
                "title": title,
                "description_file": source,
                "due": str(deliverable.due),
                "points": DEFAULT_POINTS,
                "submission_types": list(DEFAULT_SUBMISSION_TYPES),
                "assignment_group": ASSIGNMENT_GROUP,
            }
        )
    return entries


def _in_index(first: int) -> Callable[[int], int]:
    """Line ``n`` of a description that starts on line ``first`` of the index → its line there."""
    return lambda line: first + line - 1
