"""A read ``Site`` → the files of a canonical curriculum, and the report. Pure: no I/O.

Output layout (paths relative to the output directory)::

    program.yml                 program (name from _config.yml title), the assignment group
    cohorts.yml                 only when a cohort was given
    modules.yml                 every module, in the order of their numbers (files load in path
                                order, so one file is what keeps Module 10 after Module 2),
                                then "More": the pages no module reaches
    pages.yml                   the pages outside module folders
    module_one/pages.yml        the pages of a module's folder
    module_one/*.md             its pages, named as on the site
    module_one/deliverables/*.md  deliverable descriptions, cut from the index's list
    module_one/week-6.md, ...   pages the import generates (weeks the site has no page for)
    mixed_groups/*.md, ...      other pages, where they were on the site

Every page keeps its site URL as an alias, so links written by hand in the old form still work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from pd_sync.curriculum import normalise_site_path
from pd_sync.errors import Problem, SiteError
from pd_sync.jekyll.assignments import (
    ASSIGNMENT_GROUP,
    DEFAULT_POINTS,
    DEFAULT_SUBMISSION_TYPES,
    assignment_names,
    deliverable_entries,
)
from pd_sync.jekyll.classify import (
    Classification,
    ModuleFolder,
    classify,
    module_number,
)
from pd_sync.jekyll.deliverables import find_deliverables
from pd_sync.jekyll.emit import yaml_file
from pd_sync.jekyll.goals import competencies, index_competencies, merge
from pd_sync.jekyll.kramdown import Converted, convert_html, convert_markdown
from pd_sync.jekyll.module_entry import (
    Deliverable,
    Output,
    goals_entry,
    module_deliverables,
    week_entries,
)
from pd_sync.jekyll.naming import PageName, as_key, name_pages, unique
from pd_sync.jekyll.relink import SiteLinks, relink, site_path
from pd_sync.jekyll.report import Findings, ImportReport
from pd_sync.jekyll.site import Site, SitePage

MORE_MODULE = "More"
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


class _Builder:
    def __init__(self, site: Site, options: ImportOptions) -> None:
        self.site = site
        self.options = options
        self.pages = {page.path: page for page in site.pages}
        indexes = [p.path for p in site.pages if module_number(p) is not None]
        self.names: dict[str, PageName] = name_pages(site.pages, first=indexes)
        site_url = (options.site_url or "").rstrip("/") or site.config.site_url
        by_url: dict[str, str] = {}
        path_by_key: dict[str, str] = {}
        for page in site.pages:
            by_url.setdefault(normalise_site_path(page.url), self.names[page.path].key)
            path_by_key[self.names[page.path].key] = page.path
        hosts = site.hosts if not options.site_url else (*site.hosts, _host(site_url))
        pages_at = {self.names[p.path].source for p in site.pages}
        assets = frozenset(a for a in site.assets if a not in pages_at)
        self.links = SiteLinks(by_url, site_url, site.config.baseurl, tuple(hosts), assets)
        self.path_by_key = path_by_key
        self.classification: Classification = classify(self.pages, self._resolve)
        self.files: dict[str, str] = {}
        self.assets: set[str] = set()  # the site files the output names, to copy
        self.found = Findings()
        self.aliases: set[str] = set()
        self.deliverable_count = 0
        self.generated: list[dict[str, object]] = []
        self.week_count = 0

    def build(self) -> ImportResult:
        for page in self.site.pages:
            self._write_page(page)
        for warning in self.site.warnings:
            self.found.notes.append(
                f"{warning.file}:{warning.line}:{warning.column}: front matter is not valid "
                f"YAML ({warning.message.removeprefix('YAML: ')}); imported with the title of "
                "its first heading or file name, as Jekyll warns and builds the page"
            )
        folders = {m.folder for m in self.classification.modules}
        modules = self._modules()
        for folder in sorted(folders):
            self._folder_pages(folder)
        outside = [p for p in sorted(self.pages) if self.pages[p].folder not in folders]
        if outside:
            entries = [self._page_entry(path, "") for path in outside]
            header = GENERATED_BY + "\n\nThe pages outside module folders."
            self.files["pages.yml"] = self._yaml("pages.yml", header, {"pages": entries})
        if modules:
            header = GENERATED_BY + "\n\nEvery module, in the order of their numbers."
            if self.deliverable_count:
                header += (
                    "\nThe site gives no points or submission types: the deliverables below get "
                    f"points: {DEFAULT_POINTS}\nand {', '.join(DEFAULT_SUBMISSION_TYPES)}; "
                    "set the real ones here."
                )
            self.files["modules.yml"] = self._yaml("modules.yml", header, {"modules": modules})
        self._program()
        self._check_links_work()
        report = self._report(modules)
        assets = tuple(sorted(a for a in self.assets if a not in self.files))
        return ImportResult(tuple(sorted(self.files.items())), report, assets)

    def _resolve(self, href: str, page: SitePage) -> str | None:
        """The site path of the page ``href`` (on ``page``) names, or ``None``."""
        path = site_path(href, page.url, self.links)
        if path is None:
            return None
        key, _ = self.links.key_for(path)
        key = key or self.links.moved_key(path)
        return self.path_by_key.get(key) if key is not None else None

    # --- pages ---------------------------------------------------------------------------------

    def _write_page(self, page: SitePage) -> None:
        name = self.names[page.path]
        converted: Converted
        if page.is_html:
            converted = convert_html(page.body)
        else:
            converted = convert_markdown(page.body, self.site.config.parse_block_html)
        for note in converted.notes:
            self.found.notes.append(f"{page.path}:{page.body_line + note.line - 1}: {note.message}")
        relinked = relink(converted.markdown, page.url, self.links, name.source)
        self.assets.update(relinked.assets)
        self.found.add_links(
            page.path, relinked.notes, lambda line: page.body_line + converted.source_line(line) - 1
        )
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

    def _folder_pages(self, folder: str) -> None:
        members = [p for p in sorted(self.pages) if self.pages[p].folder == folder]
        entries = [self._page_entry(path, folder) for path in members]
        entries += [
            {**g, "source": str(g["source"])[len(folder) + 1 :]}
            for g in self.generated
            if str(g["source"]).startswith(folder + "/")
        ]
        header = GENERATED_BY + f"\n\nThe pages of the module folder {folder}/."
        path = f"{folder}/pages.yml"
        self.files[path] = self._yaml(path, header, {"pages": entries})

    def _generate_page(self, source: str, title: str, markdown: str) -> str:
        """A page the import writes itself (the site has none for it); its key."""
        taken = set(self.files) | {n.source for n in self.names.values()}
        source = unique(source, taken)
        key = as_key(source[: -len(".md")])
        self.files[source] = markdown
        self.generated.append({"source": source, "key": key, "title": title})
        return key

    # --- modules -------------------------------------------------------------------------------

    def _modules(self) -> list[dict[str, object]]:
        out = Output(self.pages, self.names, self._generate_page)
        modules = self.classification.modules
        dated: list[list[Deliverable]] = []
        for folder in modules:
            found = find_deliverables(self.pages[folder.index].body)
            dated.append(module_deliverables(folder, found, out))
        titles = [self.names[m.index].title for m in modules]
        named = assignment_names(modules, titles, dated)
        entries = [
            self._module(folder, title, list(zip(dated[i], named[i], strict=True)), out)
            for i, (folder, title) in enumerate(zip(modules, titles, strict=True))
        ]
        self.found.skipped.extend(out.skipped)
        self.found.notes.extend(out.notes)
        more = self._more_module()
        return entries + ([more] if more else [])

    def _module(
        self,
        folder: ModuleFolder,
        title: str,
        deliverables: list[tuple[Deliverable, str]],
        out: Output,
    ) -> dict[str, object]:
        index = self.pages[folder.index]
        key = as_key(folder.folder)
        module: dict[str, object] = {
            "key": key,
            "title": title,
            "overview": self.names[folder.index].key,
        }
        goals_page = self.pages[folder.learning_goals] if folder.learning_goals else None
        found_goals = merge(
            index_competencies(index.body), competencies(goals_page.body) if goals_page else ()
        )
        goals = goals_entry(folder, found_goals, title, out)
        resources = [self.names[p].key for p in folder.extra]
        if goals is not None:
            module["learning_goals"] = goals
        elif folder.learning_goals is not None:
            resources.insert(0, self.names[folder.learning_goals].key)
            self.found.notes.append(
                f"{folder.learning_goals}: no competencies with goals on it or in "
                f"{folder.index}'s learning-goals section; listed under the module's Resources"
            )
        weeks = week_entries(folder, {d.due.week for d, _ in deliverables}, title, out)
        self.week_count += len(weeks)
        module["weeks"] = weeks
        if deliverables:
            module["deliverables"] = deliverable_entries(
                folder,
                index,
                key,
                deliverables,
                self.links,
                self.files.__setitem__,
                self.found,
                self.assets,
            )
            self.deliverable_count += len(deliverables)
        if folder.repeat_plan is not None:
            module["repeat_plan"] = self.names[folder.repeat_plan].key
        if resources:
            module["resources"] = resources
        return module

    def _more_module(self) -> dict[str, object] | None:
        """The pages no module reaches, so none is orphaned in Canvas."""
        rest = list(self.classification.plain)
        if not rest:
            return None
        home = next((p for p in rest if p in ("index.md", "index.html")), rest[0])
        others = [self.names[p].key for p in rest if p != home]
        taken = {as_key(m.folder) for m in self.classification.modules}
        key = unique("more", taken)
        module: dict[str, object] = {
            "key": key,
            "title": MORE_MODULE,
            "overview": self.names[home].key,
            "weeks": [],
        }
        if others:
            module["resources"] = others
        return module

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
        weeks = self.week_count
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
            moved_links=tuple(sorted(found.moved)),
            case_links=tuple(sorted(found.case_links)),
            assets=tuple(sorted(found.assets)),
            skipped_deliverables=tuple(sorted(found.skipped)),
            notes=tuple(notes + found.notes),
            generated=tuple(str(g["source"]) for g in self.generated),
        )

    def _yaml(self, path: str, header: str, data: dict[str, object]) -> str:
        return yaml_file(path, header.replace("{site}", self.site.config.title or "site"), data)


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""
