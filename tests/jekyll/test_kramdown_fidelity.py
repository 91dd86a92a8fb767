"""kramdown syntax that CommonMark reads differently renders as kramdown renders it.

Each case: kramdown source (GFM input, as the site's Jekyll configures it) and the HTML kramdown
makes of it, written here by hand from kramdown's rules; the source goes through the import's
conversion and pd-sync's renderer. Where Canvas would not keep kramdown's HTML (task lists'
``<input>``, which its sanitiser drops) the expected HTML is what shows the same in Canvas.
"""

from __future__ import annotations

import re

import pytest

from pd_sync.curriculum import render_markdown
from pd_sync.jekyll.kramdown import convert_markdown


def _rendered(kramdown: str) -> str:
    html = render_markdown(convert_markdown(kramdown, True).markdown, lambda t: None).html
    # Whitespace around block tags carries no meaning in HTML: drop it.
    return re.sub(r"\s*(</?(?:ul|ol|li|p|h[1-6])\b[^>]*>)\s*", r"\1", html.strip())


CASES = {
    "a list right after an iframe stays a list": (
        '<iframe src="https://v.example.org/e/1"></iframe>\n* Watch it\n* Answer',
        '<iframe src="https://v.example.org/e/1"></iframe><ul><li>Watch it</li>'
        "<li>Answer</li></ul>",
    ),
    "bullets two spaces under a numbered item nest": (
        "1. **Draft**\n  * one page\n  * a summary\n2. **Final**",
        "<ol><li><strong>Draft</strong><ul><li>one page</li><li>a summary</li></ul></li>"
        "<li><strong>Final</strong></li></ol>",
    ),
    "task lists are checkboxes": (
        "- [ ] not started\n- [x] completed",
        "<ul><li>☐ not started</li><li>☑ completed</li></ul>",
    ),
    "a custom heading id": (
        "## Submit your work {#submission}\nText.",
        '<h2 id="submission">Submit your work</h2><p>Text.</p>',
    ),
    "a table of contents": (
        "* TOC\n{:toc}\n\n## Networking\n### Coffee chats\n## Interviewing",
        '<ul><li><a href="#networking">Networking</a><ul><li><a href="#coffee-chats">'
        'Coffee chats</a></li></ul></li><li><a href="#interviewing">Interviewing</a></li></ul>'
        '<h2 id="networking">Networking</h2><h3 id="coffee-chats">Coffee chats</h3>'
        '<h2 id="interviewing">Interviewing</h2>',
    ),
    "typographic dashes, ellipses and quotes": (
        "Weeks 1--2 --- or more... \"Start\" with 'why' and it's done.",
        "<p>Weeks 1\u20132 \u2014 or more\u2026 \u201cStart\u201d with \u2018why\u2019 and "
        "it\u2019s done.</p>",
    ),
    "code, links and attribute lists keep their characters": (
        'Run `a -- b` on [the "page"](https://x.org/a--b){:target="_blank"}.',
        '<p>Run <code>a -- b</code> on <a href="https://x.org/a--b" target="_blank">'
        "the \u201cpage\u201d</a>.</p>",
    ),
    "attributes of a tag over two lines keep their quotes": (
        '"Watch" this:\n\n<iframe width="560"\n  src="https://v.example.org/e/1"></iframe>',
        '<p>\u201cWatch\u201d this:</p><iframe width="560"\n  src="https://v.example.org/e/1">'
        "</iframe>",
    ),
    "a paragraph keeps its line breaks": (
        "First line\nsecond line\n\n* item\n  continued\n\n<div>\njoined\nlines\n</div>",
        "<p>First line<br />\nsecond line</p><ul><li>item<br />\ncontinued</li></ul>"
        "<div><p>joined\nlines</p></div>",
    ),
    "an ordered list starts at 1": (
        "Steps:\n\n3. Draft\n4. Send\n\n* aside\n\n5. Follow up",
        "<p>Steps:</p><ol><li>Draft</li><li>Send</li></ol><ul><li>aside</li></ul>"
        "<ol><li>Follow up</li></ol>",
    ),
    "items separated by blank lines after their nested lists stay tight": (
        "* Act I\n   * Set-up\n\n* Act II\n   * Struggle\n\n* Act III",
        "<ul><li>Act I<ul><li>Set-up</li></ul></li><li>Act II<ul><li>Struggle</li></ul></li>"
        "<li>Act III</li></ul>",
    ),
    "items whose text a blank line follows are paragraphs": (
        "* one\n\n* two",
        "<ul><li><p>one</p></li><li><p>two</p></li></ul>",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_renders_as_kramdown_does(name: str) -> None:
    kramdown, html = CASES[name]
    assert _rendered(kramdown) == html
