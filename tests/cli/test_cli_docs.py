"""Every command has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click

from pd_sync.cli import cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found += _commands(command, full)
        else:
            found.append((full, command))
    return found


def test_every_command_has_help_and_is_in_the_readme() -> None:
    commands = _commands(cli, "pd-sync")
    assert {name for name, _ in commands} >= {
        "pd-sync validate",
        "pd-sync plan",
        "pd-sync apply",
        "pd-sync schema",
        "pd-sync cohorts",
        "pd-sync sandbox serve",
    }
    for name, command in commands:
        assert command.help and command.help.strip(), name
        assert f"`{name}" in README, f"{name} is missing from README.md"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts} has no help"
