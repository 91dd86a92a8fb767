"""Where in the curriculum's Markdown each thing Canvas will drop was written.

``canvas_html`` says what Canvas's sanitiser removes from rendered HTML; people fix Markdown, so
each removal is pointed back at its source: the first place at or after the previous one where
the dropped thing is written (``<script``, `` aria-current=``, ``font-weight:``, a URL). Raw HTML
passes through rendering unchanged, so the name is almost always found as written; when it is
not (a URL Markdown re-encoded), the message points at the start of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pd_sync.desired.canvas_html import ATTRIBUTE, CONTENT, ELEMENT, STYLE, STYLE_VALUE, Dropped


def _pattern(item: Dropped) -> re.Pattern[str]:
    """How the dropped thing is written: ``<tag``, `` name=``, ``prop:``, or the URL itself."""
    name = re.escape(item.name)
    if item.what in (ELEMENT, CONTENT):
        return re.compile(rf"<{name}(?=[\s/>])", re.IGNORECASE)
    if item.what == ATTRIBUTE:
        return re.compile(rf"(?<=[\s\"'{{]){name}(?=[\s=/>}}])", re.IGNORECASE)
    if item.what in (STYLE, STYLE_VALUE):
        return re.compile(rf"(?<![\w-]){name}\s*:", re.IGNORECASE)
    return re.compile(name)


def located_losses(
    dropped: Iterable[Dropped],
    markdown: str,
    file: str,
    first_line: int,
    columns: bool = True,
) -> tuple[str, ...]:
    """``file:line:column: what`` for each dropped thing, in order; without the column when
    ``columns`` is false (text inside a YAML string, whose indentation is not known here)."""
    cursor = 0
    messages: list[str] = []
    for item in dropped:
        pattern = _pattern(item)
        match = pattern.search(markdown, cursor) or pattern.search(markdown)
        if match is None:
            line, column = 1, 1
        else:
            found, cursor = match.start(), match.end()
            line = markdown.count("\n", 0, found) + 1
            column = found - (markdown.rfind("\n", 0, found) + 1) + 1
        place = f"{file}:{first_line + line - 1}" + (f":{column}" if columns else "")
        messages.append(f"{place}: {item.describe()}")
    return tuple(messages)
