"""Stage 5', preview (PURE): a ``Plan`` → text, JSON, Markdown and a self-contained HTML report.

Imports only ``plan`` (and ``errors``); never an I/O library, canvas, apply or cli. It returns
strings: where they go (terminal, file, PR comment) is the CLI's business. ``inert`` owns how
curriculum and Canvas text is neutralised for each destination; the CLI uses it for every line
it prints (``output_line``).
"""

from pd_sync.preview.html_report import render_html
from pd_sync.preview.inert import (
    json_text,
    markdown_text,
    one_line,
    output_line,
    visible_controls,
)
from pd_sync.preview.markdown_report import render_markdown
from pd_sync.preview.text import (
    describe,
    plan_to_dict,
    render_json,
    render_text,
    target_line,
    terminal_lines,
    wrap_line,
)

__all__ = [
    "describe",
    "json_text",
    "markdown_text",
    "one_line",
    "output_line",
    "plan_to_dict",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "target_line",
    "terminal_lines",
    "visible_controls",
    "wrap_line",
]
