"""Writing an import's files: the only place the importer changes the file system.

Writing is all or nothing with respect to edits: ``check_output`` sorts the files into new,
unchanged and changed (on disk with other content — maybe a hand edit), and the caller decides,
before anything is written, whether changed files may be overwritten. Files already identical
are not touched, so importing over the import's own output writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pd_sync.errors import OverwriteError


@dataclass(frozen=True)
class OutputCheck:
    """Curriculum-relative paths, by what writing them would do."""

    new: tuple[str, ...]
    unchanged: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def to_write(self) -> tuple[str, ...]:
        return tuple(sorted(self.new + self.changed))


def check_output(out: Path, files: Sequence[tuple[str, str | bytes]]) -> OutputCheck:
    """Compare ``files`` with what ``out`` holds now."""
    new: list[str] = []
    unchanged: list[str] = []
    changed: list[str] = []
    for relative, text in files:
        target = out / relative
        if not target.exists():
            new.append(relative)
        elif target.is_file() and target.read_bytes() == _bytes(text):
            unchanged.append(relative)
        else:
            changed.append(relative)
    return OutputCheck(tuple(new), tuple(unchanged), tuple(changed))


def write_output(
    out: Path, files: Sequence[tuple[str, str | bytes]], check: OutputCheck, force: bool
) -> None:
    """Write new and changed files; if any changed and not ``force``, write nothing and say so."""
    if check.changed and not force:
        listed = "\n".join(f"  {out / path}" for path in check.changed)
        raise OverwriteError(
            f"{len(check.changed)} file(s) in {out} differ from what the import would write "
            f"(edited since the last import?):\n{listed}\n"
            "Nothing was written. Pass --force to overwrite them, or import into another --out."
        )
    wanted = set(check.to_write)
    blocked = [out / path for path in sorted(wanted) if (out / path).is_dir()]
    if blocked:
        raise OverwriteError(f"{blocked[0]} is a directory, where the import writes a file")
    for relative, text in files:
        if relative in wanted:
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_bytes(text))


def _bytes(content: str | bytes) -> bytes:
    """Text is written as UTF-8; a copied image or PDF as it is."""
    return content if isinstance(content, bytes) else content.encode("utf-8")
