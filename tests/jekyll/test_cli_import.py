"""``pd-sync import jekyll`` through click's CliRunner: the files it writes, its report, and
that it never overwrites an edited file without --force."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from pd_sync.cli import cli

EXAMPLE = Path(__file__).parent / "sites" / "example"

EXPECTED_FILES = [
    "index.md",
    "listening_groups/circle_prompts.md",
    "listening_groups/index.md",
    "module-0-prep/index.md",
    "module_alpha/deliverables/capstone-pitch.md",
    "module_alpha/deliverables/practice-interview.md",
    "module_alpha/deliverables/reflection-journal.md",
    "module_alpha/index.md",
    "module_alpha/m1_repeat_plan.md",
    "module_alpha/mod1_learning_goals.md",
    "module_alpha/mod1_week1.md",
    "module_alpha/mod1_week2.md",
    "module_alpha/notes_for_staff.md",
    "module_alpha/pages.yml",
    "module_alpha/week-3.md",
    "modules.yml",
    "pages.yml",
    "program.yml",
    "student_index.md",
]

EXPECTED_REPORT = """\
Imported: 2 modules, 3 weeks, 11 pages, 3 deliverables (2 guides, 6 unclassified)
Pages without a role (a module's resources, or the More module): 6
  index.html -> index.md
  listening_groups/circle_prompts.md -> listening_groups/circle_prompts.md
  listening_groups/index.md -> listening_groups/index.md
  module-0-prep/index.md -> module-0-prep/index.md
  module_alpha/notes_for_staff.md -> module_alpha/notes_for_staff.md
  student_index.md -> student_index.md
Unresolved links (pages outside the imported site; now pointing at the site): 3
  index.html:9:83: /alumni/ -> https://careers.example.org/alumni/
  module_alpha/mod1_week1.md:18:109: /resources/listening -> https://careers.example.org/resources/listening
  student_index.md:7:15: ./module_zeta/ -> https://careers.example.org/module_zeta/
Links that matched a page only ignoring letter case: 1
  module_alpha/mod1_week2.md:9:15: /module_alpha/M1_Repeat_Plan -> page:module_alpha/m1_repeat_plan
Images and files left on the site: 1
  module_alpha/mod1_week2.md:11:14: /assets/images/questions.png -> https://careers.example.org/assets/images/questions.png
Deliverables not imported as assignments: 1
  module_alpha/index.md:30:1: 'Check-in forms': it names no due date ('<Weekday> of week <N>', 'by the end of week <N>'); it stays in the overview page's text
Pages generated (the site has none for these): 1
  module_alpha/week-3.md
Notes: 4
  excluded by _config.yml, not imported: README.md
  index.html:13: removed Liquid '{% include footer.html %}' (pd-sync runs no Liquid)
  module_alpha/index.md: week 3 has no page on the site; a page for it was generated (module_alpha/week-3)
  no cohort written: to sync, re-run with --cohort NAME --course-id ID --start-date YYYY-MM-DD, or add cohorts.yml (docs/curriculum-format.md#cohorts)
Files: 19 new, 0 overwritten, 0 unchanged in OUT
OUT: valid — 2 modules, 3 weeks, 12 pages, 3 deliverables, 0 group sets, 0 cohorts
"""  # noqa: E501


def _import(out: Path, *extra: str, site: Path = EXAMPLE) -> Result:
    return CliRunner().invoke(cli, ["import", "jekyll", str(site), "--out", str(out), *extra])


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _yaml(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_import_writes_the_curriculum_and_prints_the_report(tmp_path: Path) -> None:
    out = tmp_path / "curriculum"
    result = _import(out)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.replace(str(out), "OUT") == EXPECTED_REPORT
    assert _files(out) == EXPECTED_FILES


def test_written_yaml(tmp_path: Path) -> None:
    out = tmp_path / "curriculum"
    _import(out, "--time-zone", "America/New_York", "--program-name", "Careers")
    program = (out / "program.yml").read_text(encoding="utf-8")
    assert program.startswith("# yaml-language-server: $schema=../schema/curriculum.schema.json\n")
    assert _yaml(out / "program.yml") == {
        "program": {"name": "Careers", "time_zone": "America/New_York"},
        "assignment_groups": [{"name": "Deliverables"}],
    }
    pages_yml = (out / "module_alpha" / "pages.yml").read_text(encoding="utf-8")
    assert pages_yml.startswith("# yaml-language-server: $schema=../../schema/")
    module, more = _yaml(out / "modules.yml")["modules"]  # type: ignore[misc]
    assert more["title"] == "More"
    assert module["title"] == "Module Alpha Orientation"
    assert module["overview"] == "module_alpha/index"
    assert module["repeat_plan"] == "module_alpha/m1_repeat_plan"
    assert module["learning_goals"]["page"] == "module_alpha/mod1_learning_goals"
    assert [c["name"] for c in module["learning_goals"]["competencies"]] == [
        "Listening",
        "Writing",
    ]
    assert module["weeks"] == [
        {"number": 1, "title": "Listening Basics", "page": "module_alpha/mod1_week1"},
        {"number": 2, "title": "Asking Questions", "page": "module_alpha/mod1_week2"},
        # The capstone pitch is due in week 3, which the index lists no page for.
        {"number": 3, "title": "Deliverables due", "page": "module_alpha/week-3"},
    ]
    assert [(d["key"], d["due"], d["description_file"]) for d in module["deliverables"]] == [
        (
            "module-alpha-reflection-journal",
            "Thursday of week 2 at 23:59",
            "module_alpha/deliverables/reflection-journal.md",
        ),
        (
            "module-alpha-practice-interview",
            "Friday of week 2 at 23:59",
            "module_alpha/deliverables/practice-interview.md",
        ),
        (
            "module-alpha-capstone-pitch",
            "Friday of week 3 at 23:59",
            "module_alpha/deliverables/capstone-pitch.md",
        ),
    ]
    journal = (out / "module_alpha/deliverables/reflection-journal.md").read_text(encoding="utf-8")
    assert "(page:module_alpha/mod1_week1#template)" in journal
    pages = _yaml(out / "pages.yml")["pages"]
    assert {"source": "listening_groups/circle_prompts.md",
            "key": "listening_groups/circle_prompts",
            "title": "Listening Circles: Prompts",
            "aliases": ["/listening_groups/circle_prompts"]} in pages  # type: ignore[operator]  # fmt: skip
    week1 = (out / "module_alpha/mod1_week1.md").read_text(encoding="utf-8")
    assert "[Asking Questions](page:module_alpha/mod1_week2#practice)" in week1
    assert '{:target="_blank"}' in week1 and '<a name="lesson"></a>' in week1


def test_cohort_options_write_cohorts_yml(tmp_path: Path) -> None:
    out = tmp_path / "c"
    result = _import(out, "--cohort", "spring", "--course-id", "7", "--start-date", "2027-01-04")
    assert result.exit_code == 0, result.output
    start = dt.date(2027, 1, 4)
    assert _yaml(out / "cohorts.yml") == {
        "cohorts": [{"name": "spring", "course_id": 7, "start_date": start}]
    }
    assert "no cohort written" not in result.stdout
    assert "1 cohort" in result.stdout.splitlines()[-1]


def test_cohort_options_go_together(tmp_path: Path) -> None:
    result = _import(tmp_path / "c", "--cohort", "spring")
    assert result.exit_code == 1
    assert result.stderr == (
        "a cohort needs --cohort, --course-id and --start-date together; "
        "add --course-id, --start-date\n"
    )
    assert not (tmp_path / "c").exists()


def test_a_start_date_that_is_not_a_monday_fails_validation(tmp_path: Path) -> None:
    result = _import(
        tmp_path / "c", "--cohort", "s", "--course-id", "7", "--start-date", "2027-01-05"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "--start-date 2027-01-05 is a Tuesday; pass the Monday of week 1, e.g. 2027-01-04\n"
    )
    assert not (tmp_path / "c").exists()


def test_reimport_over_its_own_output_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "curriculum"
    _import(out)
    before = {p: (out / p).stat().st_mtime_ns for p in _files(out)}
    again = _import(out)
    assert again.exit_code == 0, again.output
    assert f"Files: 0 new, 0 overwritten, 19 unchanged in {out}" in again.stdout
    assert {p: (out / p).stat().st_mtime_ns for p in _files(out)} == before


def test_hand_edits_are_not_clobbered_without_force(tmp_path: Path) -> None:
    out = tmp_path / "curriculum"
    _import(out)
    week1 = out / "module_alpha" / "mod1_week1.md"
    week1.write_text(week1.read_text(encoding="utf-8") + "\nA hand edit.\n", encoding="utf-8")
    (out / "program.yml").unlink()

    refused = _import(out)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"1 file(s) in {out} differ from what the import would write (edited since the last "
        f"import?):\n  {week1}\nNothing was written. Pass --force to overwrite them, or import "
        "into another --out.\n"
    )
    assert "A hand edit." in week1.read_text(encoding="utf-8")
    assert not (out / "program.yml").exists()  # nothing at all was written

    forced = _import(out, "--force")
    assert forced.exit_code == 0, forced.output
    assert f"Files: 1 new, 1 overwritten, 17 unchanged in {out}" in forced.stdout
    assert "A hand edit." not in week1.read_text(encoding="utf-8")
    assert (out / "program.yml").exists()


def test_missing_site_directory(tmp_path: Path) -> None:
    result = _import(tmp_path / "out", site=tmp_path / "no-site")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'no-site'}:1:1: no such site directory")


def test_malformed_front_matter_is_located_and_the_page_still_imported(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "module_one").mkdir(parents=True)
    (site / "_config.yml").write_text("title: T\nurl: https://t.example.org\n", encoding="utf-8")
    (site / "module_one" / "index.md").write_text(
        "---\nlayout: page\ntitle: Module: One\n---\n# First Heading\n", encoding="utf-8"
    )
    result = _import(tmp_path / "out", site=site)
    assert result.exit_code == 0, result.output
    assert (
        "  module_one/index.md:3:14: front matter is not valid YAML (mapping values are not "
        "allowed here); imported with the title of its first heading or file name, as Jekyll "
        "warns and builds the page\n"
    ) in result.stdout
    pages = _yaml(tmp_path / "out" / "pages.yml")["pages"]
    assert [p["title"] for p in pages] == ["First Heading"]  # type: ignore[attr-defined]


def test_unknown_time_zone(tmp_path: Path) -> None:
    result = _import(tmp_path / "out", "--time-zone", "America/Denvr")
    assert result.exit_code == 1
    assert "--time-zone 'America/Denvr' is not an IANA time zone name" in result.stderr


@pytest.fixture
def site_without_url(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text("title: No URL\n", encoding="utf-8")
    (site / "about.md").write_text(
        "---\ntitle: About\n---\nSee [resources](/resources/all).\n", encoding="utf-8"
    )
    return site


def test_outside_links_need_the_site_url(site_without_url: Path, tmp_path: Path) -> None:
    result = _import(tmp_path / "out", site=site_without_url)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "about.md:4:17: link /resources/all names no imported page and the site's URL is "
        "unknown; set url in _config.yml or pass --site-url"
    )
    given = _import(
        tmp_path / "out", "--site-url", "https://old.example.org/", site=site_without_url
    )
    assert given.exit_code == 0, given.output
    about = (tmp_path / "out" / "about.md").read_text(encoding="utf-8")
    assert about == "See [resources](https://old.example.org/resources/all).\n"


def test_yaml_files_the_import_did_not_make_are_named(tmp_path: Path) -> None:
    out = tmp_path / "curriculum"
    _import(out)
    extra = out / "old_module" / "module.yml"
    extra.parent.mkdir()
    extra.write_text("pages: []\n", encoding="utf-8")
    again = _import(out)
    assert again.exit_code == 0, again.output
    assert "Not from this import, left as they are: old_module/module.yml" in again.stdout
    assert extra.read_text(encoding="utf-8") == "pages: []\n"
