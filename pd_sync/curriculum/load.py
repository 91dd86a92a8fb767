"""A curriculum directory → ``Program``, or a ``CurriculumError`` listing every problem found.

Reading goes in three passes so one run reports everything: each ``*.yml`` file is parsed and
checked against the field table (``load_record``); each object becomes a spec, reading the
Markdown it names (``load_markdown``); then the rules that span objects and files run
(``load_refs``): unique keys, references, weeks, and links between pages. Where one mistake
would make later checks report the same thing again (a page whose key cannot be read makes every
reference to it look dangling), those checks are skipped for what they cannot know.

Every file is read through ``files.CurriculumFiles``, which refuses anything that resolves
outside the curriculum directory or is not a regular file, and bounds sizes (``limits``).
Files are shown relative to the working directory when they are under it, else as given.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from pd_sync.curriculum.attachments import check_attachments
from pd_sync.curriculum.collected import CATEGORIES, Collected, SourceFile, display_path
from pd_sync.curriculum.fields import CURRICULUM
from pd_sync.curriculum.files import CurriculumFiles, Found, Refusal, refusal_message
from pd_sync.curriculum.markdown import decode_utf8
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
        self.files = CurriculumFiles(root)
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
                        "curriculum's .yml files (default: curriculum), or start a new "
                        "curriculum repository with `pd-sync init DIR`",
                    )
                ]
            )
        for entry in self._files():
            self._read(entry)
        items = self.collected.items
        specs = SpecBuilder(self.files, self.collected)
        program = specs.program()
        groups = built(specs.assignment_group(i) for i in items["assignment_groups"])
        group_sets = built(specs.group_set(i) for i in items["group_sets"])
        pages = built(specs.page(i) for i in items["pages"])
        modules = built(specs.module(i) for i in items["modules"])
        time_zone = program[1] if program is not None else None
        cohorts = built(specs.cohort(i, time_zone) for i in items["cohorts"])
        check_all(self.collected)
        files = check_attachments(self.collected, self.files, self.root)
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
            files=files,
        )

    # --- files ---------------------------------------------------------------------------------

    def _files(self) -> list[Found]:
        """Every ``*.yml`` under the root, sorted by path; hidden entries are skipped."""
        found: list[Found] = []
        for entry in self.files.walk():
            suffix = PurePosixPath(entry.relative).suffix
            if suffix == ".yaml":
                self.problems.append(
                    Problem(
                        display_path(entry.path),
                        1,
                        1,
                        "this file is ignored: curriculum files end in .yml; "
                        f"rename it to {entry.path.stem}.yml",
                    )
                )
            elif suffix == ".yml":
                found.append(entry)
        return found

    def _read(self, entry: Found) -> None:
        shown = display_path(entry.path)
        raw = self.files.read(entry.path)
        if isinstance(raw, Refusal):
            what = "this symbolic link" if entry.is_link else "this file"
            message = refusal_message(what, raw, "at the whole file")
            self.problems.append(Problem(shown, 1, 1, message))
            self.collected.incomplete.update(CATEGORIES)
            return
        text = decode_utf8(raw, shown)
        if isinstance(text, Problem):
            self.problems.append(text)
            self.collected.incomplete.update(CATEGORIES)
            return
        file = SourceFile(entry.path, shown, entry.relative, tuple(text.splitlines()))
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
