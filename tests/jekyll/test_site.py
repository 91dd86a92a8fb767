"""Reading a site: front matter, _config.yml and the URL Jekyll gives each page."""

from __future__ import annotations

from pathlib import Path

import pytest

from pd_sync.errors import SiteError
from pd_sync.jekyll.read import read_site
from pd_sync.jekyll.site import SiteProblem, page_url, parse_config, split_front_matter

EXAMPLE = Path(__file__).parent / "sites" / "example"


@pytest.mark.parametrize(
    ("path", "front", "style", "url"),
    [
        ("module_one/mod1_week2.md", None, "/:title", "/module_one/mod1_week2"),
        ("module_one/index.md", None, "/:title", "/module_one/"),
        ("index.html", None, "/:title", "/"),
        ("about.md", None, "date", "/about.html"),
        ("about.md", None, "pretty", "/about/"),
        ("about.md", None, "none", "/about.html"),
        ("guides/a.md", {"permalink": "/guide-a/"}, "/:title", "/guide-a/"),
        ("guides/a.md", {"permalink": ":path/:basename:output_ext"}, "/:title", "/guides/a.html"),
    ],
)
def test_page_url_follows_jekyll(
    path: str, front: dict[str, object] | None, style: str, url: str
) -> None:
    assert page_url(path, front, style) == url


def test_front_matter_is_split_from_the_body() -> None:
    front, body, line = split_front_matter("---\ntitle: A\nlayout: page\n---\n\nText\n", "a.md")
    assert front == {"title": "A", "layout": "page"}
    assert body == "\nText\n"
    assert line == 5
    assert split_front_matter("# No front matter\n", "b.md") == (None, "# No front matter\n", 1)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("---\ntitle: A\n", "a.md:1:1", "never closed"),
        ("---\ntitle: [unclosed\n---\n", "a.md:3:1", "YAML"),
        ("---\ntitle: a: b\n---\n", "a.md:2:9", "mapping values are not allowed"),
        ("---\n- a list\n---\n", "a.md:2:1", "not a mapping"),
    ],
)
def test_malformed_front_matter_names_file_line_column(text: str, where: str, message: str) -> None:
    with pytest.raises(SiteProblem) as raised:
        split_front_matter(text, "a.md")
    assert str(raised.value).startswith(where + ": ")
    assert message in str(raised.value)


def test_config_reads_title_url_permalink_and_kramdown_options() -> None:
    config = parse_config((EXAMPLE / "_config.yml").read_text(encoding="utf-8"), "_config.yml")
    assert config.title == "Example Career Curriculum"
    assert config.site_url == "https://careers.example.org"
    assert config.permalink == "/:title"
    assert config.parse_block_html is True
    assert config.exclude == ("README.md", "Gemfile")


def test_read_site_skips_underscored_and_excluded_files() -> None:
    site = read_site(EXAMPLE)
    paths = [p.path for p in site.pages]
    assert "README.md" not in paths and site.excluded == ("README.md",)
    assert not any(p.startswith("_") for p in paths)
    assert paths == sorted(paths) and len(paths) == 11
    week2 = next(p for p in site.pages if p.path == "module_alpha/mod1_week2.md")
    assert (week2.url, week2.title, week2.subheading) == (
        "/module_alpha/mod1_week2",
        "Module Alpha Week 2",
        "Asking Questions",
    )
    assert week2.body_line == 6


def test_read_site_reports_every_bad_file(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: [x\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("---\ntitle: A\n", encoding="utf-8")
    (tmp_path / "b.md").write_bytes(b"---\ntitle: \xff\n---\n")
    with pytest.raises(SiteError) as raised:
        read_site(tmp_path)
    lines = str(raised.value).splitlines()
    assert [line.split(": ", 1)[0].rsplit("/", 1)[-1] for line in lines[:-1]] == [
        "_config.yml:2:1",
        "a.md:1:1",
        "b.md:1:1",
    ]
    assert lines[-1] == "3 problems found in the site; nothing was written."


def test_missing_site_directory(tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="no such site directory"):
        read_site(tmp_path / "nowhere")
