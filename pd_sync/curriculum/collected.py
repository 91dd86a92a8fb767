"""What the loader's passes collect: files, checked records, page keys, Markdown to check.

The passes (``load`` reads files, ``load_specs`` builds specs, ``load_refs`` checks rules across
objects) share this state; ``incomplete`` names the kinds of object whose list could not be
read in full, so rules about them stay quiet instead of reporting one mistake many times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pd_sync.curriculum.markdown import Placement
from pd_sync.curriculum.model import SourceRef
from pd_sync.curriculum.record import Record, Value
from pd_sync.curriculum.yaml_nodes import Sequence
from pd_sync.errors import Problem


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it is under it, else as given.

    Only the directories are resolved: a symbolic link is shown by its own name, never by
    where it points (which may be outside the curriculum, and nobody's business).
    """
    absolute = path.absolute()
    try:
        shown = absolute.parent.resolve() / absolute.name
        return shown.relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


CATEGORIES = ("program", "assignment_groups", "group_sets", "pages", "modules", "cohorts")


@dataclass(frozen=True)
class SourceFile:
    """One curriculum YAML file: on disk, as shown in messages, and relative to the root."""

    path: Path
    display: str
    relative: str
    lines: tuple[str, ...] = ()

    @property
    def directory(self) -> str:
        """The curriculum-relative directory of the file ("" at the root)."""
        return self.relative.rpartition("/")[0]


@dataclass(frozen=True)
class Item:
    """A checked record and the file it is written in."""

    file: SourceFile
    record: Record

    def at(self, record: Record) -> Item:
        return Item(self.file, record)

    def ref(self) -> SourceRef:
        return SourceRef(self.file.display, self.record.position.line, self.record.position.column)


@dataclass(frozen=True)
class PageKey:
    """What links and references need to know of a page, even one with other problems."""

    item: Item
    key: str
    source: str
    aliases: tuple[Value, ...]


@dataclass(frozen=True)
class LinkCheck:
    """Markdown to check for dangling links: where it sits, and whose text it is."""

    markdown: str
    placement: Placement
    linking_source: str
    owner: str


@dataclass
class Collected:
    """Everything read from a curriculum, as the loader's passes fill it in."""

    root: str
    problems: list[Problem] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    items: dict[str, list[Item]] = field(default_factory=lambda: {c: [] for c in CATEGORIES})
    incomplete: set[str] = field(default_factory=set)
    page_keys: list[PageKey] = field(default_factory=list)
    links: list[LinkCheck] = field(default_factory=list)
    # Entries of a ``files:`` list: the file that lists each, and the entry as written.
    listed_files: list[tuple[SourceFile, Value]] = field(default_factory=list)

    def add_file(self, file: SourceFile, record: Record) -> None:
        listed = record.get("files")
        if listed is not None and isinstance(listed.value, tuple):
            self.listed_files.extend((file, item) for item in listed.value)
        for category in CATEGORIES:
            value = record.get(category)
            if value is None:
                if category in record.broken:
                    self.incomplete.add(category)
                continue
            if category == "program":
                program = record.record(category)
                if program is not None:
                    self.items[category].append(Item(file, program))
                continue
            records = record.records(category)
            if isinstance(value.node, Sequence) and len(records) < len(value.node.items):
                self.incomplete.add(category)
            self.items[category].extend(Item(file, r) for r in records)
