"""The import's rendering against kramdown itself (Debian's ruby-kramdown and
ruby-kramdown-parser-gfm, which scripts/test installs; missing, the test fails): every case of
the kramdown tests renders to the HTML kramdown makes, once the differences pd-sync makes on
purpose are named.

Those differences: task-list checkboxes are ☐/☑ (Canvas drops ``<input>``); the table of
contents carries no ``markdown-toc`` ids; a heading id never ends in ``-`` (pd-sync's ids drop
the space kramdown keeps before an inline anchor). How a tag is written (quotes, ``/>``, an
empty attribute value, whitespace) and whitespace between block tags carry no meaning.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pd_sync.curriculum import render_markdown
from pd_sync.jekyll.kramdown import convert_markdown

from .test_kramdown import CASES as BASICS
from .test_kramdown_fidelity import CASES as FIDELITY

REFERENCE = Path(__file__).parent / "kramdown_reference.rb"
# (name, source, parse_block_html): the basic cases are written for a site without it.
ALL = [(f"basic: {n}", src, False) for n, (src, _) in sorted(BASICS.items())] + [
    (f"fidelity: {n}", src, True) for n, (src, _) in FIDELITY.items()
]


def _kramdown_available() -> bool:
    if shutil.which("ruby") is None:
        return False
    probe = ["ruby", "-e", "require 'kramdown'; require 'kramdown-parser-gfm'"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def _reference() -> dict[str, str]:
    # Missing kramdown is a failure, not a skip, as missing Chromium is for the report's test:
    # the README's test command installs both.
    if not _kramdown_available():
        pytest.fail(
            "kramdown not found: run scripts/test, which installs ruby-kramdown and "
            "ruby-kramdown-parser-gfm with apt-get, or install Ruby with those two gems"
        )
    cases = [[source, block_html] for _, source, block_html in ALL]
    done = subprocess.run(
        ["ruby", str(REFERENCE)], input=json.dumps(cases), capture_output=True, text=True,
        check=True, timeout=120,
    )  # fmt: skip
    return {name: html for (name, _, _), html in zip(ALL, json.loads(done.stdout), strict=True)}


class _Canonical(HTMLParser):
    """Tags rewritten one way: double quotes, no ``/>``, ``attr`` for ``attr=""``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = "".join(f' {k}="{html.escape(v)}"' if v else f" {k}" for k, v in attrs)
        self.out.append(f"<{tag}{written}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")


def _canonical(text: str) -> str:
    parser = _Canonical()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)


def _normal(html: str) -> str:
    html = _canonical(html)
    html = re.sub(r'(<h[1-6] id="[^"]*?)-+"', r'\1"', html)
    html = re.sub(
        r'<input type="checkbox" class="task-list-item-checkbox" disabled="disabled"'
        r'( checked="checked")?>',
        lambda m: "☑ " if m.group(1) else "☐ ",
        html,
    )
    html = re.sub(r' class="task-list(?:-item)?"| id="markdown-toc(?:-[^"]*)?"', "", html)
    html = re.sub(r"\s*(</?(?:ul|ol|li|p|h[1-6]|div|section|iframe|table|tr|td|th)\b[^>]*>)\s*",
                  r"\1", html.strip())  # fmt: skip
    return re.sub(r">\s+<", "><", html)


def test_the_import_renders_every_case_as_kramdown_does() -> None:
    reference = _reference()
    different = {}
    for name, source, block_html in ALL:
        ours = render_markdown(convert_markdown(source, block_html).markdown, lambda t: None).html
        if _normal(ours) != _normal(reference[name]):
            different[name] = (_normal(ours), _normal(reference[name]))
    assert different == {}
