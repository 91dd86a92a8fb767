"""Markdown → HTML: the dialect, heading ids, internal links and their problems, determinism."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pd_sync.curriculum.markdown_rules import heading_slug
from pd_sync.curriculum.render import (
    PAGE_LINK_SCHEME,
    LinkProblem,
    is_internal_link,
    render_markdown,
)
from tests.shared_material import SEED_PAGE, shared_or_skip


def no_pages(target: str) -> str | None:
    return None


def pages(mapping: dict[str, str]) -> tuple[list[str], object]:
    calls: list[str] = []

    def resolve(target: str) -> str | None:
        calls.append(target)
        return mapping.get(target)

    return calls, resolve


def render(text: str) -> str:
    return render_markdown(text, no_pages).html


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line:column of the ``occurrence``-th ``needle`` in ``text``."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- dialect -----------------------------------------------------------------------------------


def test_tables_render_with_alignment() -> None:
    html = render("| Week | Due |\n|:-----|----:|\n| 1 | Friday |\n")
    assert "<table>" in html
    assert '<th style="text-align:left">Week</th>' in html
    assert '<td style="text-align:right">Friday</td>' in html


def test_strikethrough_becomes_del_which_canvas_keeps() -> None:
    assert render("~~old~~ new") == "<p><del>old</del> new</p>\n"


def test_raw_iframe_passes_through() -> None:
    iframe = '<iframe width="560" src="https://www.youtube.com/embed/x" allowfullscreen></iframe>'
    assert iframe in render(f"Watch:\n\n{iframe}\n")


def test_named_anchor_in_heading_passes_through() -> None:
    html = render('### Lesson Plan (10-15 mins) <a name="lesson"></a>\n')
    assert html == (
        '<h3 id="lesson-plan-10-15-mins">Lesson Plan (10-15 mins) <a name="lesson"></a></h3>\n'
    )


def test_typographer_and_linkify_are_off() -> None:
    assert render('"quotes" -- https://example.com') == (
        "<p>&quot;quotes&quot; -- https://example.com</p>\n"
    )


# --- heading ids -------------------------------------------------------------------------------


def test_duplicate_headings_get_numbered_ids_in_document_order() -> None:
    html = render("# Intro\n\n## Intro\n\n### Intro!\n\n#### intro\n")
    ids = [part.split('"')[1] for part in html.split(" id=")[1:]]
    assert ids == ["intro", "intro-1", "intro-2", "intro-3"]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Week 1: Intro & Setup", "week-1-intro--setup"),
        ("What's *next*?", "whats-next"),
        ("Use `pd-sync plan`", "use-pd-sync-plan"),
        ("Café Crème", "café-crème"),
        ("snake_case stays", "snake_case-stays"),
        ("!!!", "section"),
    ],
)
def test_heading_ids_are_github_style(title: str, slug: str) -> None:
    assert render(f"## {title}\n").startswith(f'<h2 id="{slug}">')


def test_heading_slug_drops_surrounding_space() -> None:
    assert heading_slug("  Key Learning Goals ") == "key-learning-goals"


def test_explicit_heading_id_is_kept_and_reserved() -> None:
    html = render("## Goals\n\n## Other {: #goals}\n")
    assert '<h2 id="goals-1">Goals</h2>' in html
    assert '<h2 id="goals">Other</h2>' in html


# --- kramdown attribute lists ------------------------------------------------------------------


def test_attribute_list_after_link_sets_link_attributes() -> None:
    html = render('[Form](https://forms.gle/x){:target="_blank"} now\n')
    assert html == '<p><a href="https://forms.gle/x" target="_blank">Form</a> now</p>\n'


def test_attribute_list_ending_a_paragraph_applies_to_the_paragraph() -> None:
    assert render("Read this.\n{: .note #tip}\n") == '<p class="note" id="tip">Read this.</p>\n'


def test_attribute_list_elsewhere_is_dropped_not_printed() -> None:
    assert "{:" not in render("before {: .x} after\n")


# --- internal links ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "href",
    [
        "/module_one/mod1_week2",
        "/module_one/mod1_week2.md",
        "/module_one/mod1_week2.html",
        "/module_one/mod1_week2/",
        "/module_one/mod1_week2#lesson",
        "week2.md",
        "../pages/x.md#a",
        "page:mod1-week2",
        "page:mod1-week2#a",
    ],
)
def test_internal_links(href: str) -> None:
    assert is_internal_link(href)


@pytest.mark.parametrize(
    "href",
    [
        "https://example.com/x.md",
        "http://example.com",
        "mailto:pd@turing.edu",
        "tel:+15551234",
        "#lesson",
        "//cdn.example.com/x",
        "slides.pdf",
        "",
    ],
)
def test_external_links(href: str) -> None:
    assert not is_internal_link(href)


def test_site_links_resolve_with_anchor_and_are_collected() -> None:
    calls, resolve = pages({"/module_one/mod1_week2": "mod1-week2", "page:mod1-goals": "goals"})
    text = (
        "See [week 2](/module_one/mod1_week2#lesson), [again](/module_one/mod1_week2) "
        "and [goals](page:mod1-goals).\n"
    )
    result = render_markdown(text, resolve)  # type: ignore[arg-type]
    assert f'href="{PAGE_LINK_SCHEME}mod1-week2#lesson"' in result.html
    assert f'href="{PAGE_LINK_SCHEME}mod1-week2"' in result.html
    assert f'href="{PAGE_LINK_SCHEME}goals"' in result.html
    assert result.page_refs == ("goals", "mod1-week2")
    assert result.problems == ()
    assert calls == ["/module_one/mod1_week2", "/module_one/mod1_week2", "page:mod1-goals"]


def test_relative_md_links_are_passed_decoded_without_anchor_or_query() -> None:
    calls, resolve = pages({"../weeks/week 2.md": "w2"})
    result = render_markdown("[w](<../weeks/week 2.md?x=1#top>)", resolve)  # type: ignore[arg-type]
    assert calls == ["../weeks/week 2.md"]
    assert f'href="{PAGE_LINK_SCHEME}w2#top"' in result.html


def test_external_links_are_left_alone_and_not_resolved() -> None:
    calls, resolve = pages({})
    text = "[a](https://x.org/a.md) [b](#top) [c](mailto:a@b.c) [d](slides.pdf) <https://x.org>"
    result = render_markdown(text, resolve)  # type: ignore[arg-type]
    assert calls == []
    assert result.problems == () and result.page_refs == ()
    assert 'href="https://x.org/a.md"' in result.html and 'href="#top"' in result.html


def test_raw_html_links_are_not_resolved() -> None:
    calls, resolve = pages({})
    render_markdown('<a href="/module_one/x">x</a>\n', resolve)  # type: ignore[arg-type]
    assert calls == []


def test_problem_names_the_link_and_the_fix() -> None:
    (problem,) = render_markdown("[Week 9](/module_one/mod1_week9)\n", no_pages).problems
    assert problem == LinkProblem(
        target="/module_one/mod1_week9",
        line=1,
        column=10,
        message=(
            "link to /module_one/mod1_week9 does not match any page; use page:KEY, a relative "
            "path to the page's .md file, or a path listed in a page's aliases"
        ),
    )


def test_problem_positions_are_exact_across_blocks() -> None:
    text = (
        "# Title\n"
        "\n"
        "Intro with [one](/a) and [two](/a)\n"
        "and a second line with [three](page:missing).\n"
        "\n"
        "- item\n"
        "  - nested [four](../x.md#q)\n"
        "\n"
        "> quoted <page:gone>\n"
        "\n"
        "| col |\n"
        "|-----|\n"
        "| [five](/b/) |\n"
        "\n"
        "See [six][ref].\n"
        "\n"
        "[ref]: /c\n"
    )
    problems = render_markdown(text, no_pages).problems
    found = [(p.target, p.line, p.column) for p in problems]
    assert found == [
        ("/a", *position(text, "/a)")),
        ("/a", *position(text, "/a)", 2)),
        ("page:missing", *position(text, "page:missing")),
        ("../x.md#q", *position(text, "../x.md")),
        ("page:gone", *position(text, "page:gone")),
        ("/b/", *position(text, "/b/")),
        ("/c", *position(text, "/c\n")),
    ]
    assert found[0][1:] == (3, 18)


def test_problem_positions_of_repeated_links_in_one_table_row() -> None:
    text = "| a | b |\n|---|---|\n| [x](/same) | [y](/same) |\n"
    problems = render_markdown(text, no_pages).problems
    assert [(p.line, p.column) for p in problems] == [
        position(text, "/same"),
        position(text, "/same", 2),
    ]


def test_problem_positions_count_crlf_lines_once() -> None:
    text = "first\r\n\r\nsecond [x](/nope)\r\n"
    (problem,) = render_markdown(text, no_pages).problems
    assert (problem.line, problem.column) == (3, 12)


def test_problem_position_with_percent_encoding_and_entities() -> None:
    text = "para\n\nsee [é](/a%20b/é.md) and [amp](/x&amp;y)\n"
    problems = render_markdown(text, no_pages).problems
    assert [(p.target, p.line, p.column) for p in problems] == [
        ("/a b/é.md", *position(text, "/a%20b")),
        ("/x&y", *position(text, "/x&amp;y")),
    ]
    assert problems[0].column == 9


def test_seed_page_site_links_resolve() -> None:
    seed = shared_or_skip(SEED_PAGE)
    text = seed.read_text(encoding="utf-8")

    def resolve(target: str) -> str | None:
        return target.strip("/").replace("/", "-") if target.startswith("/") else None

    result = render_markdown(text, resolve)
    assert result.problems == ()
    assert "module_one-mod1_week1" in result.page_refs
    assert "/module_one/" not in result.html


# --- determinism -------------------------------------------------------------------------------


def test_same_input_same_bytes() -> None:
    text = "# A\n\n# A\n\n| x |\n|---|\n| [l](/p) |\n\n~~s~~ {: .c}\n"
    first = render_markdown(text, no_pages)
    assert all(render_markdown(text, no_pages) == first for _ in range(5))


FRAGMENTS = [
    "# ",
    "## ",
    "- ",
    "1. ",
    "> ",
    "    ",
    "```\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "[link](/module_one/x)",
    "[ok](page:known)",
    "[ext](https://example.com)",
    "[rel](week.md#a)",
    "<page:missing>",
    "[ref][r]\n\n[r]: /y\n",
    "~~gone~~",
    "*em* **strong**",
    "`code`",
    '<iframe src="https://e.com/v"></iframe>',
    '<a name="x"></a>',
    '{:target="_blank"}',
    "{: .note}",
    "&amp; &copy; &#39;",
    "Heading",
    "word",
    "\n",
    "\n\n",
    "\r\n",
    " ",
]

markdown_documents = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40
).map("".join)


def known(target: str) -> str | None:
    return "known" if target == "page:known" else None


@settings(max_examples=200, deadline=None)
@given(markdown_documents)
def test_rendering_is_deterministic_and_locates_every_problem(text: str) -> None:
    first = render_markdown(text, known)
    second = render_markdown(text, known)
    assert first == second
    assert list(first.page_refs) == sorted(set(first.page_refs))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for problem in first.problems:
        assert 1 <= problem.line <= len(lines)
        assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1


# --- page links in raw HTML --------------------------------------------------------------------


def test_page_links_in_raw_html_resolve_like_markdown_links() -> None:
    _, resolve = pages({"page:week-2": "week-2"})
    text = (
        'See <a href="page:week-2#practice">week 2</a>.\n\n<div><a href="page:gone">x</a></div>\n'
    )
    rendered = render_markdown(text, resolve)  # type: ignore[arg-type]
    assert f'<a href="{PAGE_LINK_SCHEME}week-2#practice">week 2</a>' in rendered.html
    assert rendered.page_refs == ("week-2",)
    assert [(p.target, p.line) for p in rendered.problems] == [("page:gone", 3)]
    assert '<a href="https://x.org/">' in render('<a href="https://x.org/">ext</a>')
