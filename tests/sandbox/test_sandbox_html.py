"""The sanitiser on save and the rewriting on read, directly and through the API."""

from __future__ import annotations

from typing import Any

import pytest

from pd_sync.sandbox import Sandbox
from pd_sync.sandbox.sanitize import rewrite_outgoing, sanitize_html


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("<p>a<!-- sync-id: k1 -->b</p>", "<p>ab</p>"),
        ("<p>x</p><script>alert(1)</script><p>y</p>", "<p>x</p><p>y</p>"),
        ("<style>p { color: red }</style><p>y</p>", "<p>y</p>"),
        ('<p onclick="steal()" onmouseover="x">t</p>', "<p>t</p>"),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
        (
            '<a href="mailto:a@b.c" target="_blank">m</a>',
            '<a href="mailto:a@b.c" target="_blank">m</a>',
        ),
        ('<img src="data:image/png;base64,AAA" alt="x">', '<img alt="x">'),
        (
            '<video src="data:video/mp4;base64,AAA"></video>',
            '<video src="data:video/mp4;base64,AAA"></video>',
        ),
        (
            '<div data-pd-sync-key="k1" data-item-id="7">x</div>',
            '<div data-pd-sync-key="k1" data-item-id="7">x</div>',
        ),
        ('<a data-method="delete" href="/x">x</a>', '<a href="/x">x</a>'),
        (
            '<div id=" my id " class="a b" title="t" role="note" lang=\'es\' dir="rtl">x</div>',
            '<div id="myid" class="a b" title="t" role="note" lang="es" dir="rtl">x</div>',
        ),
        (
            '<span aria-label="l" aria-hidden="true">x</span>',
            '<span aria-label="l" aria-hidden="true">x</span>',
        ),
        (
            '<iframe src="https://v.test/e" width="560" allowfullscreen onload="x()"></iframe>',
            '<iframe src="https://v.test/e" width="560" allowfullscreen=""></iframe>',
        ),
        (
            '<span style="color: red; position: fixed">x</span>',
            '<span style="color: red; position: fixed">x</span>',
        ),
        (
            '<span style="color: red; behavior: url(x.htc); width: expression(1)">x</span>',
            '<span style="color: red">x</span>',
        ),
        ("<form action='/x'><input name='a'><button>Go</button></form>", "Go"),
        ("<svg><g><path d='M0'/></g></svg>after", "after"),
        ("<noscript><p>no</p></noscript>yes", "yes"),
        (
            "<p>Tom &amp; Jerry &lt;3 &nbsp;&quot;x&quot;</p>",
            '<p>Tom &amp; Jerry &lt;3 &nbsp;"x"</p>',
        ),
        ('<p title="a &quot;b&quot; &amp; c">x</p>', '<p title="a &quot;b&quot; &amp; c">x</p>'),
        ("<p>line<br/>break</p><hr/>", "<p>line<br>break</p><hr>"),
        ("<track></track><source>", "<track><source>"),
        ("<p>one<p>two", "<p>one</p><p>two</p>"),
        ("<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"),
        ("<b><i>soup</b></i>", "<b><i>soup</i></b>"),
        ("<blink>old</blink><custom-el>x</custom-el>", "oldx"),
        ("<p>ctrl\x01char</p>", "<p>ctrlchar</p>"),
        (
            "<table><tr><td colspan='2' onclick='x'>c</td></tr></table>",
            '<table><tr><td colspan="2">c</td></tr></table>',
        ),
        ("", ""),
    ],
)
def test_sanitiser(given: str, stored: str) -> None:
    assert sanitize_html(given) == stored


def test_sanitiser_is_idempotent_on_its_output() -> None:
    once = sanitize_html(
        '<div id="a b" class=x><p>T &amp; <a href="/courses/1/pages/p">l</a></div>'
    )
    assert sanitize_html(once) == once


def test_rewriting_absolutises_and_tags_canvas_links() -> None:
    base = "http://canvas.test:8080"
    stored = (
        '<p><a href="/courses/1/pages/week-1">w</a>'
        '<a href="/courses/1/assignments/7?x=1#top">a</a>'
        '<a href="/courses/1/modules">m</a>'
        '<a href="https://elsewhere.org/courses/1/pages/x">e</a>'
        '<a href="//cdn.test/x">p</a>'
        '<img src="/images/logo.png"></p>'
    )
    assert rewrite_outgoing(stored, base) == (
        f'<p><a href="{base}/courses/1/pages/week-1" '
        f'data-api-endpoint="{base}/api/v1/courses/1/pages/week-1" data-api-returntype="Page">w</a>'
        f'<a href="{base}/courses/1/assignments/7?x=1#top" '
        f'data-api-endpoint="{base}/api/v1/courses/1/assignments/7" '
        'data-api-returntype="Assignment">a</a>'
        f'<a href="{base}/courses/1/modules" data-api-endpoint="{base}/api/v1/courses/1/modules" '
        'data-api-returntype="[Module]">m</a>'
        '<a href="https://elsewhere.org/courses/1/pages/x">e</a>'
        '<a href="//cdn.test/x">p</a>'
        f'<img src="{base}/images/logo.png"></p>'
    )


def test_rewriting_replaces_stale_api_attributes() -> None:
    base = "http://h"
    stored = '<a href="/courses/1/pages/p" data-api-endpoint="old" data-api-returntype="X">p</a>'
    assert rewrite_outgoing(stored, base).count("data-api-endpoint") == 1
    assert 'data-api-returntype="Page"' in rewrite_outgoing(stored, base)


def test_a_naive_client_reads_back_different_html(sandbox: Sandbox, course: Any) -> None:
    sent = (
        "<!-- pd-sync: intro -->"
        "<div data-pd-sync-key='intro' id='intro'>"
        "<a href='/courses/1/pages/week-2' onclick='x()'>Next</a><script>bad()</script></div>"
    )
    page = course.create_page(wiki_page={"title": "Intro", "body": sent})

    stored = sandbox.store.rows("pages", 1)[0]["body"]
    assert stored == (
        '<div data-pd-sync-key="intro" id="intro"><a href="/courses/1/pages/week-2">Next</a></div>'
    )
    base = sandbox.base_url
    expected = (
        f'<div data-pd-sync-key="intro" id="intro"><a href="{base}/courses/1/pages/week-2" '
        f'data-api-endpoint="{base}/api/v1/courses/1/pages/week-2" '
        'data-api-returntype="Page">Next</a></div>'
    )
    assert page.body == expected
    assert course.get_page("intro").body == expected
    assert next(iter(course.get_pages(include=["body"]))).body == expected


def test_assignment_descriptions_are_sanitised_and_rewritten(sandbox: Sandbox, course: Any) -> None:
    assignment = course.create_assignment(
        {
            "name": "A",
            "description": "<p onclick='x'>Do <a href='/courses/1/assignments/9'>it</a></p>",
        }
    )
    stored = sandbox.store.rows("assignments", 1)[0]["description"]
    assert stored == '<p>Do <a href="/courses/1/assignments/9">it</a></p>'
    assert assignment.description == (
        f'<p>Do <a href="{sandbox.base_url}/courses/1/assignments/9" '
        f'data-api-endpoint="{sandbox.base_url}/api/v1/courses/1/assignments/9" '
        'data-api-returntype="Assignment">it</a></p>'
    )
