"""Stage 6, cli: click commands, progress, GitHub mode; thin, and the only importer of click.

May import every stage (through ``pd_sync.sync`` for the sync itself); nothing imports it but
``__main__`` and the console script.
"""

from pd_sync.cli.commands import cli, main

__all__ = ["cli", "main"]
