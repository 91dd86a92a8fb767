"""A read ``Site`` → the files of a canonical curriculum, and the report. Pure: no I/O.

Output layout (paths relative to the output directory)::

    program.yml                 program (name from _config.yml title), the assignment group
    cohorts.yml                 only when a cohort was given
    pages.yml                   discussion-group guides and every other page outside modules
    module_one/module.yml       the module: overview, learning goals, weeks, deliverables, plan
    module_one/*.md             its pages, named as on the site
    module_one/deliverables/*.md  deliverable descriptions, cut from the index's list
    mixed_groups/*.md, ...      other pages, where they were on the site

Every page keeps its site URL as an alias, so links written by hand in the old form still work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pd_sync.curriculum import normalise_site_path
from pd_sync.errors import Problem, SiteError
from pd_sync.jekyll.classify import Classification, ModuleFolder, classify
from pd_sync.jekyll.deliverables import find_deliverables
from pd_sync.jekyll.emit import yaml_file
from pd_sync.jekyll.kramdown import convert_html, convert_markdown
from pd_sync.jekyll.naming import PageName, as_key, name_pages, slug, unique
from pd_sync.jekyll.relink import LinkNote, SiteLinks, relink, site_path
from pd_sync.jekyll.report import Finding, ImportReport
from pd_sync.jekyll.sections import competencies, week_titles
from pd_sync.jekyll.site import Site, SitePage

ASSIGNMENT_GROUP = "Deliverables"
DEFAULT_POINTS = 0
DEFAULT_SUBMISSION_TYPES = ("online_text_entry",)
GENERATED_BY = (
    "Imported by `pd-sync import jekyll` from the Jekyll site\n  {site}\n"
    "Importing again rewrites this file, and stops (unless --force) if it was edited since."
)


@dataclass(frozen=True)
class CohortOption:
    """A cohort to write to ``cohorts.yml``, so the import can be synced at once."""

    name: str
    course_id: int
    start_date: dt.date


@dataclass(frozen=True)
class ImportOptions:
    time_zone: str = "America/Denver"
    site_url: str | None = None  # overrides _config.yml url + baseurl
    cohort: CohortOption | None = None
    program_name: str | None = None  # overrides _config.yml title


@dataclass(frozen=True)
class ImportResult:
    """The files to write (curriculum-relative path, text), sorted by path, and the report;
    ``assets`` are the site's files the pages show or link to, to copy into the curriculum at
    the same relative path (the importer's pure part reads no bytes: the CLI copies them)."""

    files: tuple[tuple[str, str], ...]
    report: ImportReport
    assets: tuple[str, ...] = ()


def build_curriculum(site: Site, options: ImportOptions) -> ImportResult:
    """Turn ``site`` into curriculum files; ``SiteError`` if links cannot be made to work."""
    return _Builder(site, options).build()


@dataclass
class _Findings:
    unresolved: list[Finding] = field(default_factory=list)
    html_links: list[Finding] = field(default_factory=list)
    case_links: list[Finding] = field(default_factory=list)
    assets: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_links(self, file: str, notes: tuple[LinkNote, ...], first_line: int = 1) -> None:
        lists = {
            "unresolved": self.unresolved,
            "html": self.html_links,
            "case": self.case_links,
            "asset": self.assets,
        }
        for note in notes:
            message = f"{note.target} -> {note.now}"
            lists[note.kind].append(Finding(file, note.line + first_line - 1, note.column, message))


class _Builder:
    def __init__(self, site: Site, options: ImportOptions) -> None:
        self.site = site
        self.options = options
        self.pages = {page.path: page for page in site.pages}
        self.classification: Classification = classify(self.pages)
        self.names: dict[str, PageName] = name_pages(site.pages)
        site_url = (options.site_url or "").rstrip("/") or site.config.site_url
        by_url: dict[str, str] = {}
        for page in site.pages:
            by_url.setdefault(normalise_site_path(page.url), self.names[page.path].key)
        pages_at = {self.names[p.path].source for p in site.pages}
        assets = frozenset(a for a in site.assets if a not in pages_at)
        self.links = SiteLinks(by_url, site_url, site.config.baseurl, assets)
        self.files: dict[str, str] = {}
        self.assets: set[str] = set()
        self.found = _Findings()
        self.aliases: set[str] = set()
        self.deliverable_count = 0

    def build(self) -> ImportResult:
        for page in self.site.pages:
            self._write_page(page)
        modules = [self._module(folder) for folder in self.classification.modules]
        outside = self.classification.guides + self.classification.plain
        if outside:
            entries = [self._page_entry(path, "") for path in outside]
            header = GENERATED_BY + "\n\nDiscussion-group guides and every page outside a module."
            self.files["pages.yml"] = self._yaml("pages.yml", header, {"pages": entries})
        self._program()
        self._check_links_work()
        report = self._report(modules)
        assets = tuple(sorted(a for a in self.assets if a not in self.files))
        return ImportResult(tuple(sorted(self.files.items())), report, assets)

    # --- pages ---------------------------------------------------------------------------------

    def _write_page(self, page: SitePage) -> None:
        name = self.names[page.path]
        if page.is_html:
            converted = convert_html(page.body)
        else:
            converted = convert_markdown(page.body, self.site.config.parse_block_html)
        for note in converted.notes:
            self.found.notes.append(f"{page.path}:{page.body_line + note.line - 1}: {note.message}")
        relinked = relink(converted.markdown, page.url, self.links, name.source)
        self.assets.update(relinked.assets)
        self.found.add_links(name.source, relinked.notes)
        self.files[name.source] = relinked.markdown

    def _page_entry(self, path: str, folder: str) -> dict[str, object]:
        name, page = self.names[path], self.pages[path]
        entry: dict[str, object] = {
            "source": name.source[len(folder) + 1 :] if folder else name.source,
            "key": name.key,
            "title": name.title,
        }
        alias = normalise_site_path(page.url)
        if alias not in self.aliases:
            self.aliases.add(alias)
            entry["aliases"] = [page.url]
        return entry

    # --- modules -------------------------------------------------------------------------------

    def _module(self, folder: ModuleFolder) -> dict[str, object]:
        index = self.pages[folder.index]
        key = as_key(folder.folder)
        weeks = [self._week(index, number, path) for number, path in folder.weeks]
        module: dict[str, object] = {
            "key": key,
            "title": self.names[folder.index].title,
            "overview": self.names[folder.index].key,
        }
        goals = competencies(index.body)
        if folder.learning_goals is not None and goals:
            module["learning_goals"] = {
                "page": self.names[folder.learning_goals].key,
                "competencies": [{"name": c.name, "goals": list(c.goals)} for c in goals],
            }
        elif folder.learning_goals is not None:
            self.found.notes.append(
                f"{folder.learning_goals}: no '* **Competency:**' goals in {folder.index}'s "
                "learning-goals section, so the page is not the module's learning-goals item"
            )
        module["weeks"] = weeks
        deliverables = self._deliverables(folder, index, key, len(weeks))
        if deliverables:
            module["deliverables"] = deliverables
        if folder.repeat_plan is not None:
            module["repeat_plan"] = self.names[folder.repeat_plan].key
        ordered = [folder.index]
        ordered += [folder.learning_goals] if folder.learning_goals else []
        ordered += [path for _, path in folder.weeks]
        ordered += [folder.repeat_plan] if folder.repeat_plan else []
        ordered += list(folder.extra)
        pages = [self._page_entry(path, folder.folder) for path in ordered]
        header = GENERATED_BY + f"\n\nModule {key}: its pages, weeks and deliverables."
        if deliverables:
            header += (
                "\nThe site gives no points or submission types: the deliverables below get "
                f"points: {DEFAULT_POINTS}\nand {', '.join(DEFAULT_SUBMISSION_TYPES)}; "
                "set the real ones here."
            )
        path = f"{folder.folder}/module.yml"
        self.files[path] = self._yaml(path, header, {"pages": pages, "modules": [module]})
        return module

    def _week(self, index: SitePage, number: int, path: str) -> dict[str, object]:
        wanted = normalise_site_path(self.pages[path].url)
        title = None
        for target, text in week_titles(index.body).items():
            resolved = site_path(target, index.url, self.links)
            if resolved is not None and normalise_site_path(resolved) == wanted:
                title = text
                break
        return {
            "number": number,
            "title": title or self.names[path].title,
            "page": self.names[path].key,
        }

    def _deliverables(
        self, folder: ModuleFolder, index: SitePage, module_key: str, weeks: int
    ) -> list[dict[str, object]]:
        entries: list[dict[str, object]] = []
        used: set[str] = set()
        for found in find_deliverables(index.body):
            line = index.body_line + found.line - 1
            if found.due is None or found.due.week > weeks:
                reason = (
                    "it names no 'EOD <Weekday> of Week <N>' due date"
                    if found.due is None
                    else f"it is due {found.written!r} but the module has {weeks} week pages"
                )
                self.found.skipped.append(
                    Finding(folder.index, line, 1, f"{found.title!r}: {reason}; "
                            "it stays in the overview page's text")
                )  # fmt: skip
                continue
            name = unique(slug(found.title), used)
            used.add(name)
            source = f"{folder.folder}/deliverables/{name}.md"
            relinked = relink(found.description, index.url, self.links, source)
            self.assets.update(relinked.assets)
            self.found.add_links(source, relinked.notes)
            self.files[source] = relinked.markdown
            entries.append(
                {
                    "key": f"{module_key}-{name}".replace("_", "-"),
                    "title": found.title,
                    "description_file": f"deliverables/{name}.md",
                    "due": str(found.due),
                    "points": DEFAULT_POINTS,
                    "submission_types": list(DEFAULT_SUBMISSION_TYPES),
                    "assignment_group": ASSIGNMENT_GROUP,
                }
            )
        self.deliverable_count += len(entries)
        return entries

    # --- program, cohort, checks, report ---------------------------------------------------------

    def _program(self) -> None:
        config = self.site.config
        name = self.options.program_name or config.title or "Imported curriculum"
        data: dict[str, object] = {"program": {"name": name, "time_zone": self.options.time_zone}}
        if self.deliverable_count:
            data["assignment_groups"] = [{"name": ASSIGNMENT_GROUP}]
        header = GENERATED_BY + "\n\nThe program, and the assignment group of every deliverable."
        self.files["program.yml"] = self._yaml("program.yml", header, data)
        cohort = self.options.cohort
        if cohort is not None:
            entry = {
                "name": cohort.name,
                "course_id": cohort.course_id,
                "start_date": cohort.start_date,
            }
            header = GENERATED_BY + "\n\nThe Canvas course to sync into; add more cohorts here."
            self.files["cohorts.yml"] = self._yaml("cohorts.yml", header, {"cohorts": [entry]})
        else:
            self.found.notes.append(
                "no cohort written: to sync, re-run with --cohort NAME --course-id ID "
                "--start-date YYYY-MM-DD, or add cohorts.yml (docs/curriculum-format.md#cohorts)"
            )

    def _check_links_work(self) -> None:
        if self.links.site_url:
            return
        stranded = self.found.unresolved + self.found.assets
        if stranded:
            raise SiteError(
                [
                    Problem(f.file, f.line, f.column, f"link {f.message.split(' -> ')[0]} names "
                            "no imported page and the site's URL is unknown; set url in "
                            "_config.yml or pass --site-url https://…")
                    for f in stranded
                ]
            )  # fmt: skip

    def _report(self, modules: list[dict[str, object]]) -> ImportReport:
        weeks = sum(len(m["weeks"]) for m in modules if isinstance(m["weeks"], list))
        unclassified = tuple(
            f"{path} -> {self.names[path].source}" for path in self.classification.unclassified
        )
        excluded = self.site.excluded
        notes = list(self.classification.notes)
        if excluded:
            notes.append(f"excluded by _config.yml, not imported: {', '.join(excluded)}")
        found = self.found
        return ImportReport(
            modules=len(modules),
            weeks=weeks,
            pages=len(self.site.pages),
            deliverables=self.deliverable_count,
            guides=len(self.classification.guides),
            unclassified=unclassified,
            unresolved=tuple(sorted(found.unresolved)),
            html_links=tuple(sorted(found.html_links)),
            case_links=tuple(sorted(found.case_links)),
            assets=tuple(sorted(found.assets)),
            skipped_deliverables=tuple(sorted(found.skipped)),
            notes=tuple(notes + found.notes),
        )

    def _yaml(self, path: str, header: str, data: dict[str, object]) -> str:
        return yaml_file(path, header.replace("{site}", self.site.config.title or "site"), data)
