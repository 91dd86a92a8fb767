"""The images and files the curriculum shows or links to: found, confined, bounded, read once.

A page, a deliverable description or raw ``<img>`` in either may name a file of the curriculum
by a path relative to the Markdown that names it (``render.FileRef``). Each must exist, be a
regular file inside the curriculum directory after symbolic links are resolved (the plan job
that reads a pull request's curriculum holds the Canvas token, and would upload whatever a link
pointed at), and be under ``limits.ATTACHMENT_MAX_BYTES``. Every refusal is reported where the
reference is written; no reference is read twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pd_sync.curriculum.collected import Collected
from pd_sync.curriculum.excerpt import quoted
from pd_sync.curriculum.files import CurriculumFiles, Refusal, refusal_message
from pd_sync.curriculum.links import file_path
from pd_sync.curriculum.model import CurriculumFile
from pd_sync.curriculum.render import render_markdown
from pd_sync.errors import Problem

_OUTSIDE = (
    "is an absolute path or leaves the curriculum directory; pd-sync uploads only files inside "
    "it: copy the file into the curriculum and write its path relative to this file"
)


@dataclass
class _Read:
    data: dict[str, bytes | Refusal] = field(default_factory=dict)


def _no_page(_target: str) -> str | None:
    return None  # page links are checked by ``refs``; only file references matter here


def check_attachments(
    collected: Collected, files: CurriculumFiles, root: Path
) -> tuple[CurriculumFile, ...]:
    """Every file the curriculum's Markdown references, read; refusals go to ``problems``."""
    read = _Read()
    for check in collected.links:
        source = check.linking_source
        rendered = render_markdown(check.markdown, _no_page, partial(file_path, source))
        for ref in rendered.file_refs:
            line, column = check.placement.locate(ref.line, ref.column)
            what = "image" if ref.kind == "image" else "link to the file"
            if ref.path is None:
                message = f"{what} {quoted(ref.written)} {_OUTSIDE} ({check.owner})"
                collected.problems.append(Problem(check.placement.file, line, column, message))
                continue
            if ref.path not in read.data:
                read.data[ref.path] = files.read(root / ref.path, attachment=True)
            outcome = read.data[ref.path]
            if isinstance(outcome, Refusal):
                at = f"({check.owner})"
                message = refusal_message(f"{what} {quoted(ref.written)}", outcome, at)
                if outcome is Refusal.MISSING:
                    message = (
                        f"{what} {quoted(ref.written)} names {quoted(ref.path)}, which is not in "
                        f"the curriculum {at}; add the file, or fix the path (it is relative to "
                        "the file that names it)"
                    )
                collected.problems.append(Problem(check.placement.file, line, column, message))
    for file, entry in collected.listed_files:
        written = str(entry.value)
        path = file_path(file.relative, written)
        spot = entry.position
        where = f"in {entry.path}"
        if path is None:
            message = f"file {quoted(written)} {_OUTSIDE} ({where})"
            collected.problems.append(Problem(file.display, spot.line, spot.column, message))
            continue
        if path not in read.data:
            read.data[path] = files.read(root / path, attachment=True)
        outcome = read.data[path]
        if isinstance(outcome, Refusal):
            message = refusal_message(f"file {quoted(written)}", outcome, f"({where})")
            collected.problems.append(Problem(file.display, spot.line, spot.column, message))
    return tuple(
        CurriculumFile(path, data)
        for path, data in sorted(read.data.items())
        if isinstance(data, bytes)
    )
