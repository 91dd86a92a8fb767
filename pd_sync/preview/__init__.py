"""Stage 5', preview (PURE): a ``Plan`` → text, JSON, Markdown and a self-contained HTML report.

Imports only ``plan`` (and ``errors``); never an I/O library, canvas, apply or cli. It returns
strings: where they go (terminal, file, PR comment) is the CLI's business.
"""

from pd_sync.preview.html_report import render_html
from pd_sync.preview.markdown_report import render_markdown
from pd_sync.preview.text import describe, line_colour, render_json, render_text

__all__ = [
    "describe",
    "line_colour",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
]
