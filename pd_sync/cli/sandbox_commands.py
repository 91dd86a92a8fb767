"""``pd-sync sandbox serve``: the embedded sandbox Canvas in the foreground.

Part of the CLI, so it may import click.
"""

from __future__ import annotations

import errno

import click

from pd_sync.cli.target import SANDBOX_DB, ensure_data_dir, open_sandbox_db
from pd_sync.errors import ConfigError

_LISTEN_ERRORS = (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL)


@click.group()
def sandbox() -> None:
    """The embedded sandbox Canvas (a local Canvas API for trying pd-sync and for tests)."""


@sandbox.command("serve")
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
def serve(port: int, db: str | None, latency: float, manage_sis: bool, canvas_version: str) -> None:
    """Run the sandbox in the foreground; prints the URL and token to use."""
    from pd_sync.sandbox import run_foreground

    fix = "pass --db FILE in a folder you can write to"
    if db is None:
        db = str(ensure_data_dir() / SANDBOX_DB)
        fix = "set PD_SYNC_DATA_DIR to a folder you can write to, or pass --db FILE"
    # The file must open (or the error names the fix) before the port is taken.
    open_sandbox_db(db, fix).store.close()
    try:
        run_foreground(port, db, manage_sis, latency, "sandbox-token", click.echo, canvas_version)
    except OSError as error:
        if error.errno not in _LISTEN_ERRORS:
            raise
        raise ConfigError(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror}; pass another --port, "
            "or --port 0 to pick a free one"
        ) from None
