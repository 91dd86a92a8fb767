"""HTML reduced to what Canvas keeps: what pd-sync sends is what Canvas stores, and digests agree.

The reference for "what Canvas stores" is the sandbox's sanitiser (canvas_sanitize.rb's tables,
kept equal to pd-sync's by test_canvas_allowlist.py), called directly here; the sync tests
(tests/sync/test_html_fidelity.py) send the same kind of HTML through the real client.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pd_sync.curriculum import PAGE_LINK_SCHEME
from pd_sync.desired.canvas_html import (
    ATTRIBUTE,
    CONTENT,
    ELEMENT,
    STYLE,
    STYLE_VALUE,
    URL,
    Dropped,
    keep_as_canvas,
)
from pd_sync.desired.htmlcanon import content_digest, wrap_with_marker
from pd_sync.sandbox.sanitize import rewrite_outgoing, sanitize_html

HOST = "https://canvas.example.edu"

# (sent, what Canvas drops of it): each is content canvas_sanitize.rb does not keep.
LOSSY = [
    ('<p style="font-weight: bold; color: red">x</p>', [Dropped(STYLE, "font-weight", "p")]),
    ('<p style="text-transform: uppercase">x</p>', [Dropped(STYLE, "text-transform", "p")]),
    ('<div style="bottom: 0; top: 1px">x</div>', [Dropped(STYLE, "bottom", "div")]),
    (
        '<p style="border-top-left-radius: 3px">x</p>',
        [Dropped(STYLE, "border-top-left-radius", "p")],
    ),
    (
        '<p style="background: url(javascript:x)">x</p>',
        [Dropped(STYLE_VALUE, "background", "p")],
    ),
    ('<a href="/x" aria-current="page">x</a>', [Dropped(ATTRIBUTE, "aria-current", "a")]),
    ('<ol><li value="4">x</li></ol>', [Dropped(ATTRIBUTE, "value", "li")]),
    ("<details open><summary>s</summary>t</details>", [Dropped(ATTRIBUTE, "open", "details")]),
    ('<time datetime="2027-01-04">Monday</time>', [Dropped(ATTRIBUTE, "datetime", "time")]),
    ('<a href="sms:+15550100">text me</a>', [Dropped(URL, "sms:+15550100", "a")]),
    ('<a href="pd-sync-page:w1">w</a>', [Dropped(URL, "pd-sync-page:w1", "a")]),
    (
        '<img src="data:image/png;base64,AA" alt="a">',
        [Dropped(URL, "data:image/png;base64,AA", "img")],
    ),
    ('<div data-a:b="1" data-ok="2">d</div>', [Dropped(ATTRIBUTE, "data-a:b", "div")]),
    ("<center>hi</center>", [Dropped(ELEMENT, "center", "center")]),
    ("<p>a<script>x()</script>b</p>", [Dropped(CONTENT, "script", "script")]),
    ('<button type="button">Go</button>', [Dropped(ELEMENT, "button", "button")]),
]


@pytest.mark.parametrize(("sent", "dropped"), LOSSY)
def test_what_canvas_drops_is_named(sent: str, dropped: list[Dropped]) -> None:
    assert list(keep_as_canvas(sent).dropped) == dropped


@pytest.mark.parametrize(("sent", "dropped"), LOSSY)
def test_what_pd_sync_sends_is_what_canvas_stores(sent: str, dropped: list[Dropped]) -> None:
    kept = keep_as_canvas(sent).html
    assert sanitize_html(kept) == kept


@pytest.mark.parametrize(("sent", "dropped"), LOSSY)
def test_digest_of_lossy_html_matches_what_canvas_keeps(sent: str, dropped: list[Dropped]) -> None:
    # Before pd-sync used Canvas's exact tables, font-weight, aria-current, text-transform and
    # bottom counted as content here but not in Canvas: "edited in Canvas" on every run.
    wrapped, digest = wrap_with_marker(sent, "k")
    stored = rewrite_outgoing(sanitize_html(wrapped), HOST)
    assert content_digest(stored, HOST) == digest


def test_allowed_html_is_kept_and_nothing_is_reported() -> None:
    html = (
        '<table border="1"><thead><tr><th scope="col" style="text-align: right">A</th></tr>'
        '</thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>'
        '<iframe src="https://www.youtube.com/embed/x" title="v" allow="autoplay" '
        'allowfullscreen=""></iframe><a name="top"></a>'
        '<a href="mailto:a@example.com">mail</a> <a href="tel:+15550100">call</a> '
        '<a href="#top" aria-label="back">up</a> <span data-kind="tip" class="x">t</span>'
        '<img src="/images/a.png" alt="pic" width="20">'
    )
    kept = keep_as_canvas(html)
    assert kept.dropped == ()
    assert kept.html == html


def test_internal_links_are_let_through_until_the_planner_resolves_them() -> None:
    html = f'<a href="{PAGE_LINK_SCHEME}week-3#goals">week 3</a>'
    kept = keep_as_canvas(html, internal_scheme=PAGE_LINK_SCHEME)
    assert kept.html == html and kept.dropped == ()


def test_urls_lose_surrounding_space_and_escape_inner_space_as_canvas_does() -> None:
    kept = keep_as_canvas('<a href=" /files/my notes.pdf ">n</a>').html
    assert kept == '<a href="/files/my%20notes.pdf">n</a>'


def test_tag_soup_is_stored_repaired() -> None:
    assert keep_as_canvas("<p>one<div>two</div>").html == "<p>one</p><div>two</div>"
    assert keep_as_canvas("<table><tr><td>1</table>").html == (
        "<table><tbody><tr><td>1</td></tr></tbody></table>"
    )


FRAGMENTS = [
    "<p>",
    "</p>",
    "<ul><li>a<li>b</ul>",
    "<table><tr><td>c</td></tr></table>",
    '<p style="font-weight: 700; color: blue">',
    '<a href="sms:1" aria-current="page">',
    "</a>",
    '<ol start="2"><li value="3">',
    "<center>",
    "<script>x</script>",
    '<img src="javascript:x" alt="a">',
    "<br/>",
    "&amp; &nbsp; < > \"'",
    "text",
    "\n",
    "<!-- c -->",
    '<div data-x="1" data-method="post">',
    "</div>",
]
documents = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_any_mix_is_stored_as_sent_and_is_stable(html: str) -> None:
    kept = keep_as_canvas(html).html
    assert keep_as_canvas(kept).html == kept
    assert keep_as_canvas(kept).dropped == ()
    wrapped, digest = wrap_with_marker(kept, "k")
    assert content_digest(rewrite_outgoing(sanitize_html(wrapped), HOST), HOST) == digest
