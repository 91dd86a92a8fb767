"""One classified module → its ``modules.yml`` entry: weeks, learning goals, deliverables.

Pure, like ``build.py`` which calls it; files it makes (deliverable descriptions, the pages of
weeks the site has none for) go through the ``Output`` it is given, so the builder owns every
file name.

- A week's title is the one the index gives, else its main page's title, else its first
  activity; a week with none of these is titled by what it holds ("Deliverables due"), since
  its Canvas header already says "Week N".
- A week with no page of its own (a number the index skips, or a week a deliverable is due in
  after the last listed one) gets a short generated page, since every week needs one.
- Deliverables are the index's, plus the exit tickets linked from its weeks (due the Friday of
  their week at 23:59, the day the site's exit tickets are due); the same deliverable found both
  ways is kept once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pd_sync.curriculum import Competency, RelativeDue
from pd_sync.jekyll.classify import ModuleFolder, WeekPlan
from pd_sync.jekyll.deliverables import END_OF_DAY, LAST_TEACHING_DAY, FoundDeliverable
from pd_sync.jekyll.naming import PageName
from pd_sync.jekyll.report import Finding
from pd_sync.jekyll.site import SitePage


@dataclass
class Output:
    """What the module entry needs from the builder."""

    pages: dict[str, SitePage]
    names: dict[str, PageName]
    # (curriculum-relative path, title, Markdown) -> key of a page the import generates
    generate_page: Callable[[str, str, str], str]
    skipped: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Deliverable:
    """A dated deliverable of a module, before names are made unique across modules."""

    found: FoundDeliverable
    due: RelativeDue


def module_deliverables(
    module: ModuleFolder, found: tuple[FoundDeliverable, ...], out: Output
) -> list[Deliverable]:
    """The module's dated deliverables; undated ones are reported at their file:line."""
    index = out.pages[module.index]
    dated: list[Deliverable] = []
    seen: set[tuple[str, int]] = set()
    for item in found + _exit_tickets(module.weeks, index):
        line = index.body_line + item.line - 1
        if item.due is None:
            out.skipped.append(
                Finding(module.index, line, 1, f"{item.title!r}: it names no due date "
                        "('<Weekday> of week <N>', 'by the end of week <N>'); it stays in the "
                        "overview page's text")
            )  # fmt: skip
            continue
        identity = (item.title.casefold(), item.due.week)
        if identity in seen:
            continue
        seen.add(identity)
        dated.append(Deliverable(item, item.due))
    return dated


def week_entries(
    module: ModuleFolder, due_weeks: set[int], title: str, out: Output
) -> list[dict[str, object]]:
    """The module's weeks, through the last week a deliverable is due in."""
    last_due_week = max(due_weeks, default=0)
    weeks = list(module.weeks)
    index_line = out.pages[module.index].body_line
    weeks += [
        WeekPlan(n, "", (), line=index_line) for n in range(len(weeks) + 1, last_due_week + 1)
    ]
    entries: list[dict[str, object]] = []
    for week in weeks:
        if week.pages:
            page_key = out.names[week.pages[0]].key
            week_title = week.title or out.names[week.pages[0]].title
        else:
            held = "Deliverables due" if week.number in due_weeks else "No lesson on the site"
            week_title = week.title or next(iter(week.activities), held)
            page_key = out.generate_page(
                f"{module.folder}/week-{week.number}.md",
                f"{title}: Week {week.number}",
                f"Week {week.number} of {title}. The site has no page for this week; what is "
                "due in it is listed below.\n",
            )
            out.notes.append(f"{module.index}: week {week.number} has no page on the site; "
                             f"a page for it was generated ({page_key})")  # fmt: skip
        entry: dict[str, object] = {"number": week.number, "title": week_title, "page": page_key}
        if week.activities:
            entry["activities"] = list(week.activities)
        if len(week.pages) > 1:
            entry["pages"] = [out.names[p].key for p in week.pages[1:]]
        entries.append(entry)
    return entries


def goals_entry(
    module: ModuleFolder, found: tuple[Competency, ...], title: str, out: Output
) -> dict[str, object] | None:
    """The module's ``learning_goals``: the goals page (generated when the site has none)."""
    if not found:
        return None
    if module.learning_goals is not None:
        page = out.names[module.learning_goals].key
    else:
        page = out.generate_page(
            f"{module.folder}/learning-goals.md",
            f"{title}: Learning Goals",
            f"The learning goals of {title}, by competency.\n",
        )
    competencies = [{"name": c.name, "goals": list(c.goals)} for c in found]
    return {"page": page, "competencies": competencies}


def _exit_tickets(weeks: tuple[WeekPlan, ...], index: SitePage) -> tuple[FoundDeliverable, ...]:
    found: list[FoundDeliverable] = []
    for week in weeks:
        for text, href in week.exit_tickets:
            if f"week {week.number}" in text.lower():
                title = text[:1].upper() + text[1:]
            else:
                title = f"Week {week.number} {text[:1].lower()}{text[1:]}"
            due = RelativeDue(week.number, LAST_TEACHING_DAY, END_OF_DAY)
            line = week.line - index.body_line + 1
            found.append(FoundDeliverable(title, f"[{text}]({href})\n", due, "", line))
    return tuple(found)
