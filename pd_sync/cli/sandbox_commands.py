"""``pd-sync sandbox serve``: the embedded sandbox Canvas as a server other commands can use.

It makes the curriculum's cohort courses (or the ``--course`` ids) first, so ``plan`` and
``apply --url … --token …`` work against it at once, and ends its announcement with an
``export`` line to paste. Part of the CLI, so it may import click.
"""

from __future__ import annotations

import errno
from pathlib import Path

import click

from pd_sync.cli.target import SANDBOX_DB, ensure_data_dir, open_sandbox_db
from pd_sync.curriculum import load_curriculum
from pd_sync.errors import ConfigError

SANDBOX_COURSE_ZONE = "America/Denver"
_LISTEN_ERRORS = (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL)


def sandbox_courses(path: str, course_ids: tuple[int, ...]) -> list[tuple[int, str, str]]:
    """The courses to make: each ``--course`` id, or else one per cohort of the curriculum."""
    if course_ids:
        return [(c, f"Sandbox course {c}", SANDBOX_COURSE_ZONE) for c in dict.fromkeys(course_ids)]
    if not Path(path).is_dir():
        raise ConfigError(
            f"no curriculum at {path} to take the cohort courses from: pass the curriculum "
            "directory, or --course ID (repeatable) for empty courses"
        )
    program = load_curriculum(path)
    return [(c.course_id, c.name, c.time_zone) for c in program.cohorts]


@click.group()
def sandbox() -> None:
    """The embedded sandbox Canvas (a local Canvas API for trying pd-sync and for tests)."""


@sandbox.command("serve")
@click.argument("path", default="curriculum", type=click.Path(file_okay=False))
@click.option(
    "--course",
    "course_ids",
    type=int,
    multiple=True,
    help="Make an empty course with this id instead of the cohorts' (repeatable).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option(
    "--db", type=click.Path(dir_okay=False), help="SQLite file (default: the data directory's)."
)
@click.option("--latency", type=float, default=0.0, help="Seconds added to every API request.")
@click.option("--manage-sis", is_flag=True, help="Act as an admin token that may set SIS ids.")
@click.option(
    "--canvas-version",
    type=click.Choice(["current", "old"]),
    default="current",
    show_default=True,
    help="Act as an older Canvas release (old: the pages list ignores include[]=body).",
)
def serve(
    path: str,
    course_ids: tuple[int, ...],
    port: int,
    db: str | None,
    latency: float,
    manage_sis: bool,
    canvas_version: str,
) -> None:
    """Run the sandbox in the foreground with the cohorts' courses (from PATH, default
    curriculum) made; prints the URL, the token and an export line to paste.

    Each page can be read in a browser at its Canvas address, /courses/ID/pages/URL.
    """
    from pd_sync.sandbox import run_foreground

    courses = sandbox_courses(path, course_ids)
    fix = "pass --db FILE in a folder you can write to"
    if db is None:
        db = str(ensure_data_dir() / SANDBOX_DB)
        fix = "set PD_SYNC_DATA_DIR to a folder you can write to, or pass --db FILE"
    # The file must open (or the error names the fix) before the port is taken.
    open_sandbox_db(db, fix).store.close()
    try:
        run_foreground(
            port, db, manage_sis, latency, "sandbox-token", click.echo, canvas_version, courses
        )
    except OSError as error:
        if error.errno not in _LISTEN_ERRORS:
            raise
        raise ConfigError(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror}; pass another --port, "
            "or --port 0 to pick a free one"
        ) from None
