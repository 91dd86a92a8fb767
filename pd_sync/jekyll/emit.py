"""Curriculum YAML as text: deterministic, commented, with the schema modeline.

The modeline's path assumes the imported directory sits where ``curriculum/`` does, next to
``schema/`` at the top of the repository, as every hand-written curriculum file assumes.
"""

from __future__ import annotations

from collections.abc import Mapping

import yaml

SCHEMA = "schema/curriculum.schema.json"


class _IndentedDumper(yaml.SafeDumper):
    """Indents list items under their key, as the hand-written curriculum files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def yaml_file(path: str, header: str, data: Mapping[str, object]) -> str:
    """The text of the YAML file at curriculum-relative ``path``: modeline, header, data.

    Each top-level key is its own block with a blank line between, keys keep their order.
    """
    depth = path.count("/")
    lines = [f"# yaml-language-server: $schema={'../' * (depth + 1)}{SCHEMA}", "#"]
    lines.extend(f"# {line}".rstrip() for line in header.strip().split("\n"))
    blocks = [
        yaml.dump(
            {key: value},
            Dumper=_IndentedDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=100,
        )
        for key, value in data.items()
    ]
    return "\n".join(lines) + "\n\n" + "\n".join(blocks)
