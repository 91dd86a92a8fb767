"""kramdown features of the site render as kramdown would render them.

Each case gives kramdown source as the site has it and the HTML kramdown (GFM input, as Jekyll
configures it) makes of it; the source goes through ``convert_markdown`` and pd-sync's own
renderer, and the two HTMLs must match once whitespace between tags is ignored. Heading ids are
pd-sync's (GitHub's rules); the site's links use ``<a name>`` anchors, which pass through.
"""

from __future__ import annotations

import re

import pytest

from pd_sync.curriculum import render_markdown
from pd_sync.jekyll.kramdown import Note, convert_html, convert_markdown


def _html(markdown: str) -> str:
    rendered = render_markdown(markdown, lambda target: None).html
    return _squeeze(rendered)


_BLOCK_TAG = r"</?(?:ul|ol|li|p|h[1-6]|section|div|iframe)\b[^>]*>"


def _squeeze(html: str) -> str:
    """Whitespace around block tags carries no meaning in HTML: drop it."""
    html = re.sub(rf"\s*({_BLOCK_TAG})\s*", r"\1", html.strip())
    return re.sub(r">\s+<", "><", html)


CASES = {
    "attribute list on a link": (
        'Read [the guide](https://x.org/guide){:target="_blank"} first.',
        '<p>Read <a href="https://x.org/guide" target="_blank">the guide</a> first.</p>',
    ),
    "inline HTML anchor in a heading": (
        '### Lesson Plan <a name="lesson"></a>\nText.',
        '<h3 id="lesson-plan">Lesson Plan <a name="lesson"></a></h3><p>Text.</p>',
    ),
    "anchor at the end of a list item": (
        '1. Finish the sheet. <a name="cfu"></a>\n\n2. Submit it.',
        '<ol><li><p>Finish the sheet. <a name="cfu"></a></p></li><li><p>Submit it.</p></li></ol>',
    ),
    "iframe": (
        'Watch:\n\n<iframe width="560" src="https://v.example.org/e/1" allowfullscreen>'
        "</iframe>\n\nThen answer.",
        '<p>Watch:</p><iframe width="560" src="https://v.example.org/e/1" allowfullscreen>'
        "</iframe><p>Then answer.</p>",
    ),
    "bullets nested with 4 spaces": (
        "* **Networking:**\n    * Set a goal\n    * Meet someone\n* **Materials:**\n"
        "    * Update your profile",
        "<ul><li><strong>Networking:</strong><ul><li>Set a goal</li><li>Meet someone</li></ul>"
        "</li><li><strong>Materials:</strong><ul><li>Update your profile</li></ul></li></ul>",
    ),
    "bullets nested with 4 spaces, two levels": (
        "* a\n    * b\n        * c",
        "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>",
    ),
    "bullets nested under a numbered item": (
        "1. **Journal:**\n    * One entry a week\n2. **Pitch**",
        "<ol><li><strong>Journal:</strong><ul><li>One entry a week</li></ul></li>"
        "<li><strong>Pitch</strong></li></ol>",
    ),
    "list interrupting a paragraph (GFM)": (
        "Here are some examples:\n  * Organisation\n  * Communication",
        "<p>Here are some examples:</p><ul><li>Organisation</li><li>Communication</li></ul>",
    ),
    "markdown=1 block without blank lines": (
        '<section class="answer" markdown="1">\n### Benefits\n\n**Context**: real work.\n'
        "</section>",
        '<section class="answer"><h3 id="benefits">Benefits</h3>'
        "<p><strong>Context</strong>: real work.</p></section>",
    ),
    "markdown=1 block, content indented": (
        "<section class='notice' markdown='1'>\n\n   **NOTE:** see the [site](https://x.org/).\n"
        "   \n</section>",
        "<section class='notice'><p><strong>NOTE:</strong> see the "
        '<a href="https://x.org/">site</a>.</p></section>',
    ),
    "markdown=0 block stays raw": (
        '<div markdown="0">\n*not emphasis*\n</div>',
        "<div>*not emphasis*</div>",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_kramdown_renders_equivalently(name: str) -> None:
    source, kramdown_html = CASES[name]
    converted = convert_markdown(source, parse_block_html=False)
    assert _html(converted.markdown) == _squeeze(kramdown_html)


def test_without_conversion_markdown_blocks_would_stay_raw() -> None:
    # Why convert_markdown exists: CommonMark alone leaves the heading as text.
    source = CASES["markdown=1 block without blank lines"][0]
    assert "### Benefits" in _html(source)


def test_parse_block_html_parses_every_block_element() -> None:
    source = '<div class="tip">\nSome *text*.\n</div>'
    parsed = convert_markdown(source, parse_block_html=True).markdown
    assert _html(parsed) == '<div class="tip"><p>Some <em>text</em>.</p></div>'
    raw = convert_markdown(source, parse_block_html=False).markdown
    assert _html(raw) == '<div class="tip">Some *text*.</div>'


def test_fenced_code_is_left_alone() -> None:
    source = '```\n<section markdown="1">\n</section>\n```\n'
    assert convert_markdown(source, parse_block_html=True).markdown == source


def test_liquid_site_root_is_dropped_and_other_tags_reported() -> None:
    source = "[Home]({{ site.baseurl }}/index)\n\n{% include footer.html %}\n{{ page.title }}\n"
    converted = convert_markdown(source, parse_block_html=False)
    assert converted.markdown == "[Home](/index)\n\n\n\n"
    assert converted.notes == (
        Note(3, "removed Liquid '{% include footer.html %}' (pd-sync runs no Liquid)"),
        Note(4, "removed Liquid '{{ page.title }}' (pd-sync runs no Liquid)"),
    )


def test_a_leading_rule_is_not_mistaken_for_front_matter() -> None:
    assert convert_markdown("\n---\nText\n", parse_block_html=False).markdown == "\n---\nText\n"


def test_html_pages_stay_one_raw_block() -> None:
    source = (
        '<section class="hero">\n  <h1>Title</h1>\n\n    <p>Indented after a blank line</p>\n'
        "</section>\n\n<pre>keep\n\nthis</pre>\n"
    )
    converted = convert_html(source)
    html = render_markdown(converted.markdown, lambda target: None).html
    assert "<code>" not in html  # an indented line after a blank would become code
    assert "<p>Indented after a blank line</p>" in html
    assert "<pre>keep&#10;\nthis</pre>" in html  # the browser reads "keep\n\nthis"
    assert html.startswith("<div>\n<section")
    assert convert_html("\n\n").markdown == ""
