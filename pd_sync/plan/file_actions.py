"""The file actions of the plan's vocabulary (``actions`` holds the rest): upload a curriculum
file, upload a changed one over pd-sync's copy, delete one that left the curriculum.

Apart from ``actions`` only to keep that module readable; they are ``Action``s like the others
(``actions.action_types`` finds them once ``pd_sync.plan`` is imported).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pd_sync.plan.actions import Action


def size_text(size: int) -> str:
    """``12 KB`` (decimal, as file managers show it), ``850 B``, ``3.4 MB``."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


@dataclass(frozen=True)
class CreateFile(Action):
    """Upload a curriculum file into pd-sync's folder (``path`` keeps its curriculum path).

    ``digest`` names the bytes to send (apply refuses others) and is what the record keeps."""

    symbol: ClassVar[str] = "+"
    object_type: ClassVar[str] = "file"
    path: str
    size: int
    digest: str
    reason: str = "new in the curriculum"

    @property
    def name(self) -> str:
        return f"{self.path} ({size_text(self.size)})"


@dataclass(frozen=True)
class UpdateFile(Action):
    """Upload a changed file over pd-sync's copy (``file_id``): Canvas gives the upload a new
    id and deletes the old copy (``on_duplicate=overwrite``); pages showing it follow."""

    symbol: ClassVar[str] = "~"
    object_type: ClassVar[str] = "file"
    path: str
    size: int
    digest: str
    file_id: int
    reason: str = "content changed"

    @property
    def name(self) -> str:
        return f"{self.path} ({size_text(self.size)})"


@dataclass(frozen=True)
class DeleteFile(Action):
    symbol: ClassVar[str] = "-"
    object_type: ClassVar[str] = "file"
    path: str
    file_id: int
    reason: str

    @property
    def name(self) -> str:
        return self.path
