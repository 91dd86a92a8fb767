"""Reading a site the way Jekyll does when it is not tidy: front matter Jekyll only warns about,
``.markdown`` pages, the site's second domain, percent-encoded and raw-HTML links, pages that
moved, bare domains; and refusing what is not a Jekyll site at all, before writing anything.

The fixture site ``sites/rough`` is written for these tests.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.errors import SiteError
from pd_sync.jekyll.build import ImportOptions, ImportResult, build_curriculum
from pd_sync.jekyll.read import read_site

SITES = Path(__file__).parent / "sites"
ROUGH = SITES / "rough"
SHAPES = SITES / "shapes"


@cache
def _imported() -> ImportResult:
    return build_curriculum(read_site(ROUGH), ImportOptions())


def _page_titles(result: ImportResult) -> dict[str, str]:
    pages = yaml.safe_load(dict(result.files)["pages.yml"])["pages"]
    return {str(p["key"]): str(p["title"]) for p in pages}


def test_a_page_with_invalid_front_matter_is_imported_and_reported_at_its_line() -> None:
    result = build_curriculum(read_site(SITES / "warned"), ImportOptions())
    assert _page_titles(result)["broken"] == "Action Plan Template"
    notes = [n for n in result.report.notes if n.startswith("broken.md:")]
    assert len(notes) == 1
    assert notes[0].startswith("broken.md:3:16: front matter is not valid YAML")


def test_markdown_extension_pages_are_imported_and_linked_by_file_name() -> None:
    assert _page_titles(_imported())["guides/notes"] == "Notes in a .markdown file"
    assert "[the notes](page:guides/notes)" in dict(_imported().files)["index.md"]


def test_links_on_either_domain_and_percent_encoded_paths_name_the_imported_pages() -> None:
    home = dict(_imported().files)["index.md"]
    assert "(page:guides/first-steps)" in home
    assert "(page:guides/tips)" in home
    assert "old.example.org" not in home
    assert "new.example.org" not in home


def test_raw_html_links_are_resolved_like_markdown_links() -> None:
    home = dict(_imported().files)["index.md"]
    assert '<a href="page:guides/tips">here in HTML</a>' in home


def test_a_link_to_a_page_that_moved_is_resolved_and_reported_at_its_source_line() -> None:
    home = dict(_imported().files)["index.md"]
    assert "[old tips page](page:guides/tips)" in home
    moved = [str(f) for f in _imported().report.moved_links]
    assert moved == ["index.md:13:21: /archive/tips -> page:guides/tips (moved)"]


def test_a_bare_domain_is_an_external_link() -> None:
    home = dict(_imported().files)["index.md"]
    assert "[their site](https://backend.example.org)" in home
    assert '<a href="https://frontend.example.org">the other</a>' in home


def test_report_lines_are_the_source_files_lines() -> None:
    # No link of the page is left unresolved, so the only findings are the moved link (above)
    # and none at converted-text positions.
    assert _imported().report.unresolved == ()


@pytest.mark.parametrize("content", [{}, {"notes.txt": "not a site\n", "plain.md": "# Plain\n"}])
def test_an_empty_or_non_jekyll_directory_is_an_error(
    tmp_path: Path, content: dict[str, str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for name, text in content.items():
        (site / name).write_text(text, encoding="utf-8")
    with pytest.raises(SiteError, match="not a Jekyll site"):
        read_site(site)


def test_a_start_date_that_is_not_a_monday_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    cohort = ["--cohort", "c", "--course-id", "1", "--start-date", "2027-01-06"]
    result = CliRunner().invoke(cli, ["import", "jekyll", str(SHAPES), "--out", str(out), *cohort])
    assert result.exit_code == 1
    assert "--start-date 2027-01-06 is a Wednesday" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("cohort", "message"),
    [
        (["--cohort", "c", "--course-id", "0", "--start-date", "2027-01-04"], "--course-id 0"),
        (["--cohort", " ", "--course-id", "1", "--start-date", "2027-01-04"], "--cohort is empty"),
    ],
)
def test_a_cohort_that_could_not_validate_is_refused_before_anything_is_written(
    tmp_path: Path, cohort: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["import", "jekyll", str(SHAPES), "--out", str(out), *cohort])
    assert result.exit_code == 1
    assert message in result.output
    assert not out.exists()


def test_a_site_url_that_is_no_web_address_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    args = ["import", "jekyll", str(SHAPES), "--out", str(out), "--site-url", "careers.example"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "--site-url 'careers.example' is not an http(s) address" in result.output
    assert not out.exists()
