"""Where a curriculum file lives in Canvas, and the digest that says whether it changed.

Shared by the planner (to know which folder a file goes to) and the adapter (to upload it
there); pure.
"""

from __future__ import annotations

import hashlib
import posixpath

# pd-sync's folder in the course's Files; each file keeps its curriculum path under it, so
# ``images/x.png`` is ``course files/pd-sync/images/x.png``.
OWNED_FOLDER = "pd-sync"


def canvas_location(path: str) -> tuple[str, str]:
    """Where pd-sync uploads the curriculum file ``path``: (folder path, file name)."""
    folder, name = posixpath.split(path)
    return (posixpath.join(OWNED_FOLDER, folder) if folder else OWNED_FOLDER), name


def file_digest(data: bytes) -> str:
    """The content digest pd-sync keeps for an uploaded file (in its ownership record)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()
