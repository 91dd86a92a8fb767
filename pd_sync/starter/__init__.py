"""``pd-sync init``: a new curriculum repository written from the template in ``template/``.

The template is package data: a curriculum (one module of two weeks, a deliverable, a
cohort) that validates and syncs as written, a README, a ``.gitignore`` and a GitHub
workflow. Names that would be hidden or special in the package (``gitignore``, ``github/``)
get their leading dot when written. Imports only ``errors`` and the version from pd_sync.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from pd_sync import __version__
from pd_sync.errors import ConfigError

_DOTTED = ("gitignore", "github")

# Where pd-sync lives on GitHub. A placeholder until the project has its public home: change it
# here, and the README and the reusable workflow's action reference with it (a test compares).
GITHUB_REPOSITORY = "pd-sync/pd-sync"
# The commit of GITHUB_REPOSITORY whose reusable workflows (pd-sync-reusable.yml and
# pd-sync-drift-reusable.yml) the workflows that init writes call. A full SHA, since a tag or
# branch could be moved to run other code with the course's Canvas token; move it with each
# release (a test checks the commit has both workflows with the inputs the callers pass).
WORKFLOW_COMMIT = "e33d4c7fc81f9dcf479e194948e7d40e15a8da90"

_FILLED = {
    "@PD_SYNC_VERSION@": __version__,
    "@PD_SYNC_REPOSITORY@": GITHUB_REPOSITORY,
    "@PD_SYNC_WORKFLOW_COMMIT@": WORKFLOW_COMMIT,
}


def _fill(text: str) -> str:
    for placeholder, value in _FILLED.items():
        text = text.replace(placeholder, value)
    return text


def template_files() -> dict[str, str]:
    """Each file the template writes, by its path in the new repository, with its text."""
    files: dict[str, str] = {}

    def walk(node: Traversable, at: PurePosixPath) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            name = f".{child.name}" if not at.parts and child.name in _DOTTED else child.name
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, at / name)
            else:
                text = child.read_text(encoding="utf-8")
                files[str(at / name)] = _fill(text)

    walk(resources.files(__package__).joinpath("template"), PurePosixPath())
    return files


def write_starter(directory: Path) -> list[Path]:
    """Write the template into ``directory`` (made if missing; refused unless empty)."""
    if directory.exists() and not directory.is_dir():
        raise ConfigError(f"{directory} is a file; pd-sync init needs a new or empty directory")
    if directory.is_dir() and any(directory.iterdir()):
        raise ConfigError(
            f"{directory} is not empty; pd-sync init writes only into a new or empty "
            "directory (pick another name, e.g. pd-sync init my-curriculum)"
        )
    written: list[Path] = []
    try:
        for relative, text in template_files().items():
            target = directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
    except OSError as error:
        raise ConfigError(f"cannot write into {directory}: {error.strerror}") from None
    return written
