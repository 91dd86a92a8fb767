"""The only way the loader touches the disk: files inside the curriculum directory, bounded.

A pull request can add a symbolic link (``env.md -> /proc/self/environ``) or a FIFO under any
name; whoever reads it in the plan job would read the job's secrets, or hang. So every path is
resolved with symbolic links followed and must land inside the resolved curriculum directory
on a regular file before it is opened; it is opened without following a link again, checked
once more on the open descriptor, and read no further than the size bound. The whole
curriculum has a byte budget too. A refusal says what is wrong, never what the link points at.

Walking the directory skips hidden entries and never descends into a symbolic link to a
directory (those inside would be read twice, or loop; those outside must not be read at all).
"""

from __future__ import annotations

import enum
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pd_sync.curriculum.limits import ATTACHMENT_MAX_BYTES, CURRICULUM_MAX_BYTES, FILE_MAX_BYTES


class Refusal(enum.Enum):
    """Why a file was not read; each value is the fix-free half of a message."""

    MISSING = "not found"
    OUTSIDE = "resolves outside the curriculum directory"
    NOT_REGULAR = "is not a regular file"
    TOO_LARGE = f"is larger than {FILE_MAX_BYTES // 1024} KiB, the limit for one file"
    TOO_LARGE_ATTACHMENT = (
        f"is larger than {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MiB, the limit for one image "
        "or attachment"
    )
    BUDGET = (
        f"would make the curriculum larger than {CURRICULUM_MAX_BYTES // (1024 * 1024)} MiB, "
        "the limit for all its files together"
    )
    UNREADABLE = "cannot be read"


FIXES = {
    Refusal.MISSING: "create it, or fix the path (it is relative to this YAML file)",
    Refusal.OUTSIDE: (
        "replace the symbolic link with the file itself, inside the curriculum directory"
    ),
    Refusal.NOT_REGULAR: "use a regular file (not a device, FIFO, socket or directory)",
    Refusal.TOO_LARGE: "split it into smaller files",
    Refusal.TOO_LARGE_ATTACHMENT: (
        "make it smaller (compress the image, or link to the file where it is published)"
    ),
    Refusal.BUDGET: "make the files smaller, or split the curriculum into several",
    Refusal.UNREADABLE: "check its permissions",
}


@dataclass(frozen=True)
class Found:
    """A file found by walking: its path under the root and curriculum-relative name."""

    path: Path
    relative: str
    is_link: bool


class CurriculumFiles:
    """Reads the files of one curriculum directory, and nothing outside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._inside = os.path.realpath(root)
        self._budget = CURRICULUM_MAX_BYTES

    def walk(self) -> Iterator[Found]:
        """Every non-hidden file-like entry under the root, in sorted order of relative path."""
        found: list[Found] = []
        pending = [(self.root, "")]
        while pending:
            directory, prefix = pending.pop()
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue  # an unreadable directory holds nothing the loader can use
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                relative = f"{prefix}{entry.name}"
                link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), relative + "/"))
                elif not (link and entry.is_dir()):
                    found.append(Found(Path(entry.path), relative, link))
        return iter(sorted(found, key=lambda f: f.relative))

    def read(self, path: Path, attachment: bool = False) -> bytes | Refusal:
        """The bytes of ``path``, or why they may not be read; an ``attachment`` (an image or
        file to upload, not text to parse) has its own, larger size bound."""
        limit = ATTACHMENT_MAX_BYTES if attachment else FILE_MAX_BYTES
        too_large = Refusal.TOO_LARGE_ATTACHMENT if attachment else Refusal.TOO_LARGE
        resolved = os.path.realpath(path)
        if os.path.commonpath([resolved, self._inside]) != self._inside:
            return Refusal.OUTSIDE
        try:
            before = os.stat(resolved)
        except FileNotFoundError:
            return Refusal.MISSING
        except OSError:
            return Refusal.UNREADABLE
        if not stat.S_ISREG(before.st_mode):
            return Refusal.NOT_REGULAR
        try:
            # O_NOFOLLOW: a link swapped in since realpath is not followed; O_NONBLOCK: a FIFO
            # swapped in does not hang the open.
            fd = os.open(resolved, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return Refusal.UNREADABLE
        with os.fdopen(fd, "rb") as file:
            opened = os.fstat(file.fileno())
            if not stat.S_ISREG(opened.st_mode):
                return Refusal.NOT_REGULAR
            if opened.st_size > limit:
                return too_large
            # One byte more than allowed tells a file that grew since fstat from one that fits.
            data = file.read(limit + 1)
        if len(data) > limit:
            return too_large
        if len(data) > self._budget:
            return Refusal.BUDGET
        self._budget -= len(data)
        return data


def refusal_message(what: str, refusal: Refusal, at: str) -> str:
    """``<what> <why> <at>; <fix>`` for a file that was not read."""
    return f"{what} {refusal.value} {at}; {FIXES[refusal]}"
