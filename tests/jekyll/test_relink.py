"""Site links → page references; links outside the import → the published site."""

from __future__ import annotations

import pytest

from pd_sync.jekyll.relink import LinkNote, SiteLinks, relink, site_path

LINKS = SiteLinks(
    pages={
        "/module_one": "module_one/index",
        "/module_one/mod1_week2": "module_one/mod1_week2",
        "/module_one/m1_pd_repeat_plan": "module_one/m1_pd_repeat_plan",
        "/mixed_groups": "mixed_groups/index",
        "/mixed_groups/week2_prompts": "mixed_groups/week2_prompts",
    },
    site_url="https://careers.example.org",
)
WEEK1 = "/module_one/mod1_week1"


@pytest.mark.parametrize(
    ("href", "from_url", "path"),
    [
        ("/module_one/mod1_week2", WEEK1, "/module_one/mod1_week2"),
        ("mod1_week2.md#goals", WEEK1, "/module_one/mod1_week2.md#goals"),
        ("./week2_prompts", "/mixed_groups/", "/mixed_groups/week2_prompts"),
        ("../mixed_groups/", WEEK1, "/mixed_groups/"),
        ("https://careers.example.org/module_one/?x=1#top", WEEK1, "/module_one/?x=1#top"),
        ("https://elsewhere.org/module_one/", WEEK1, None),
        ("mailto:team@example.org", WEEK1, None),
        ("//cdn.example.org/a.js", WEEK1, None),
        ("#anchor", WEEK1, None),
        ("page:module_one/index", WEEK1, None),
    ],
)
def test_site_path_reads_links_as_a_browser_on_the_site(
    href: str, from_url: str, path: str | None
) -> None:
    assert site_path(href, from_url, LINKS) == path


def test_baseurl_is_taken_off() -> None:
    links = SiteLinks(pages={}, site_url="https://x.org/docs", baseurl="/docs")
    assert site_path("/docs/module_one/", "/", links) == "/module_one/"
    assert site_path("https://x.org/docs/a", "/", links) == "/a"


@pytest.mark.parametrize(
    ("href", "reference"),
    [
        ("/module_one/mod1_week2", "page:module_one/mod1_week2"),
        ("/module_one/mod1_week2.md", "page:module_one/mod1_week2"),
        ("/module_one/mod1_week2.html#lesson", "page:module_one/mod1_week2#lesson"),
        ("/module_one/mod1_week2/", "page:module_one/mod1_week2"),
        ("/module_one/index", "page:module_one/index"),
        ("/module_one/", "page:module_one/index"),
        ("mod1_week2#cfu", "page:module_one/mod1_week2#cfu"),
    ],
)
def test_links_to_imported_pages_become_page_references(href: str, reference: str) -> None:
    result = relink(f"See [this]({href}) now.\n", WEEK1, LINKS)
    assert result.markdown == f"See [this]({reference}) now.\n"
    assert result.notes == ()
    assert result.page_refs == (reference[len("page:") :].split("#")[0],)


def test_attribute_lists_and_reference_links_survive() -> None:
    text = (
        '[a](/mixed_groups){:target="_blank"} and [b][def]\n\n[def]: /module_one/mod1_week2.html\n'
    )
    assert relink(text, WEEK1, LINKS).markdown == (
        '[a](page:mixed_groups/index){:target="_blank"} and [b][def]\n\n'
        "[def]: page:module_one/mod1_week2\n"
    )


def test_outside_links_point_at_the_site_and_are_reported() -> None:
    text = "Read [resources](/resources/branding)\nand [the pdf](/files/a%20b.pdf).\n"
    result = relink(text, WEEK1, LINKS)
    assert result.markdown == (
        "Read [resources](https://careers.example.org/resources/branding)\n"
        "and [the pdf](https://careers.example.org/files/a%20b.pdf).\n"
    )
    assert result.notes == (
        LinkNote(
            "unresolved",
            "/resources/branding",
            1,
            18,
            "https://careers.example.org/resources/branding",
        ),
        LinkNote("asset", "/files/a%20b.pdf", 2, 15, "https://careers.example.org/files/a%20b.pdf"),
    )


def test_case_only_matches_resolve_and_are_reported() -> None:
    result = relink("[plan](/module_one/m1_PD_repeat_plan)\n", WEEK1, LINKS)
    assert result.markdown == "[plan](page:module_one/m1_pd_repeat_plan)\n"
    assert [n.kind for n in result.notes] == ["case"]


def test_images_point_at_the_site() -> None:
    result = relink("![logo](/assets/logo.png)\n", WEEK1, LINKS)
    assert result.markdown == "![logo](https://careers.example.org/assets/logo.png)\n"
    assert [n.kind for n in result.notes] == ["asset"]


def test_raw_html_links_name_pages_but_comments_are_untouched() -> None:
    text = (
        "<p><a href=\"/mixed_groups/\">groups</a> <a href='/alumni'>alumni</a></p>\n"
        '<!-- <a href="/old">old</a> -->\n<img src="/assets/a.png">\n'
    )
    result = relink(text, WEEK1, LINKS)
    assert result.markdown == (
        '<p><a href="page:mixed_groups/index">groups</a> '
        "<a href='https://careers.example.org/alumni'>alumni</a></p>\n"
        '<!-- <a href="/old">old</a> -->\n<img src="https://careers.example.org/assets/a.png">\n'
    )
    assert [(n.kind, n.line, n.column) for n in result.notes] == [
        ("unresolved", 1, 49),
        ("asset", 3, 11),
    ]


def test_links_in_code_are_not_links() -> None:
    text = "Write `[x](/module_one/)` like this:\n\n    [y](/module_one/)\n"
    assert relink(text, WEEK1, LINKS).markdown == text
