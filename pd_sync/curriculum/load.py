"""A curriculum directory → ``Program``, or a ``CurriculumError`` listing every problem found.

Reading goes in three passes so one run reports everything: each ``*.yml`` file is parsed and
checked against the field table (``load_record``); each object becomes a spec, reading the
Markdown it names (``load_markdown``); then the rules that span objects and files run
(``load_refs``): unique keys, references, weeks, and links between pages. Where one mistake
would make later checks report the same thing again (a page whose key cannot be read makes every
reference to it look dangling), those checks are skipped for what they cannot know.

Files are shown relative to the working directory when they are under it, else as given.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from pd_sync.curriculum.collected import CATEGORIES, Collected, SourceFile, display_path
from pd_sync.curriculum.fields import CURRICULUM
from pd_sync.curriculum.model import Program
from pd_sync.curriculum.record import RecordReader
from pd_sync.curriculum.refs import check_all
from pd_sync.curriculum.specs import SpecBuilder, built
from pd_sync.curriculum.yaml_nodes import parse_yaml
from pd_sync.errors import CurriculumError, Problem


def load_curriculum(path: str | Path) -> Program:
    """Read the curriculum under ``path``; raise ``CurriculumError`` with every problem."""
    return _Loader(Path(path)).load()


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.collected = Collected(root=display_path(root))
        self.problems = self.collected.problems

    def load(self) -> Program:
        if not self.root.is_dir():
            shown = display_path(self.root)
            raise CurriculumError(
                [
                    Problem(
                        shown,
                        1,
                        1,
                        "no curriculum directory found; pass the directory that holds the "
                        "curriculum's .yml files (default: curriculum)",
                    )
                ]
            )
        for relative, path in self._files():
            self._read(relative, path)
        items = self.collected.items
        specs = SpecBuilder(self.root, self.collected)
        program = specs.program()
        groups = built(specs.assignment_group(i) for i in items["assignment_groups"])
        group_sets = built(specs.group_set(i) for i in items["group_sets"])
        pages = built(specs.page(i) for i in items["pages"])
        modules = built(specs.module(i) for i in items["modules"])
        time_zone = program[1] if program is not None else None
        cohorts = built(specs.cohort(i, time_zone) for i in items["cohorts"])
        check_all(self.collected)
        if self.problems or program is None:
            raise CurriculumError(self.problems)
        return Program(
            name=program[0],
            time_zone=program[1],
            modules=modules,
            pages=pages,
            assignment_groups=groups,
            group_sets=group_sets,
            cohorts=cohorts,
            root=self.collected.root,
        )

    # --- files ---------------------------------------------------------------------------------

    def _files(self) -> list[tuple[str, Path]]:
        """Every ``*.yml`` under the root, sorted by path; hidden directories are skipped."""
        found: list[tuple[str, Path]] = []
        for path in self.root.rglob("*"):
            relative = path.relative_to(self.root).as_posix()
            if any(part.startswith(".") for part in PurePosixPath(relative).parts):
                continue
            if path.suffix == ".yaml" and path.is_file():
                self.problems.append(
                    Problem(
                        display_path(path),
                        1,
                        1,
                        "this file is ignored: curriculum files end in .yml; "
                        f"rename it to {path.stem}.yml",
                    )
                )
            elif path.suffix == ".yml" and path.is_file():
                found.append((relative, path))
        return sorted(found)

    def _read(self, relative: str, path: Path) -> None:
        shown = display_path(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            message = (
                f"cannot read the file ({error.strerror}) at the whole file; check its permissions"
            )
            self.problems.append(Problem(shown, 1, 1, message))
            self.collected.incomplete.update(CATEGORIES)
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            message = "the file is not UTF-8 text at the whole file; save it with UTF-8 encoding"
            self.problems.append(Problem(shown, line, 1, message))
            self.collected.incomplete.update(CATEGORIES)
            return
        file = SourceFile(path, shown, relative, tuple(text.splitlines()))
        self.collected.files.append(file)
        tree, problems = parse_yaml(text, file.display)
        self.problems.extend(problems)
        if tree is None:
            if problems:
                self.collected.incomplete.update(CATEGORIES)
            return
        reader = RecordReader(file.display)
        record = reader.read(tree, CURRICULUM, "")
        self.problems.extend(reader.problems)
        if record is None:
            self.collected.incomplete.update(CATEGORIES)
            return
        self.collected.add_file(file, record)
