"""``pd-sync import jekyll``: turn an existing Jekyll curriculum site into curriculum files.

Thin: read the site, build the files (``pd_sync.jekyll``), print the report, check what would
be overwritten, write, then load the result as ``validate`` would. Part of the CLI, so it may
import click; errors are ``PdSyncError``s, printed by the group.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import click

from pd_sync.cli.output import echo_inert
from pd_sync.curriculum import load_curriculum, program_summary
from pd_sync.errors import ConfigError
from pd_sync.jekyll.build import CohortOption, ImportOptions, build_curriculum
from pd_sync.jekyll.read import read_asset, read_site
from pd_sync.jekyll.report import report_lines
from pd_sync.jekyll.write import check_output, write_output


@click.group("import")
def import_group() -> None:
    """Import a curriculum written in another format as curriculum YAML + Markdown."""


@import_group.command("jekyll")
@click.argument("site_dir", type=click.Path(file_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory to write the curriculum to (created if missing).",
)
@click.option("--force", is_flag=True, help="Overwrite files that differ from the import.")
@click.option(
    "--time-zone",
    default="America/Denver",
    show_default=True,
    help="The program's time zone (IANA name).",
)
@click.option("--site-url", help="Published site URL for links outside the import.")
@click.option("--program-name", help="Program name (default: the title in _config.yml).")
@click.option("--cohort", help="Write cohorts.yml with a cohort of this name.")
@click.option("--course-id", type=int, help="The cohort's Canvas course id.")
@click.option(
    "--start-date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The cohort's first Monday, YYYY-MM-DD.",
)
def jekyll(
    site_dir: str,
    out: str,
    force: bool,
    time_zone: str,
    site_url: str | None,
    program_name: str | None,
    cohort: str | None,
    course_id: int | None,
    start_date: dt.datetime | None,
) -> None:
    """Import the Jekyll site in SITE_DIR into --out as a curriculum.

    Folders whose index page presents a module become modules, read from that index: weeks
    from its weekly breakdown, deliverables however their dates are written, learning goals
    from it and its goals page; every other page sits under a module's Resources or in a last
    module, More. Site links become page references. Prints the counts and what to look at
    (file:line); never overwrites an edited file without --force.
    """
    _check_time_zone(time_zone)
    _check_site_url(site_url)
    options = ImportOptions(
        time_zone=time_zone,
        site_url=site_url,
        cohort=_cohort(cohort, course_id, start_date),
        program_name=program_name,
    )
    result = build_curriculum(read_site(Path(site_dir)), options)
    for line in report_lines(result.report):  # page titles and links from the site
        echo_inert(line)
    target = Path(out)
    # The site's images and files the pages show or link to, copied beside them.
    files: list[tuple[str, str | bytes]] = [*result.files]
    files += [(asset, read_asset(Path(site_dir), asset)) for asset in result.assets]
    check = check_output(target, files)
    write_output(target, files, check, force)
    click.echo(
        f"Files: {len(check.new)} new, {len(check.changed)} overwritten, "
        f"{len(check.unchanged)} unchanged in {target}"
    )
    # YAML files the import did not make are still read by the loader: say so.
    written = {path for path, _ in result.files}
    others = sorted(
        p.relative_to(target).as_posix()
        for p in target.rglob("*.yml")
        if p.relative_to(target).as_posix() not in written
    )
    if others:
        click.echo(f"Not from this import, left as they are: {', '.join(others)}")
    program = load_curriculum(target)  # the import must validate; a CurriculumError says why

    echo_inert(f"{target}: valid — {program_summary(program)}")


def _cohort(
    name: str | None, course_id: int | None, start: dt.datetime | None
) -> CohortOption | None:
    given = {"--cohort": name, "--course-id": course_id, "--start-date": start}
    if all(v is None for v in given.values()):
        return None
    missing = [option for option, value in given.items() if value is None]
    if missing or name is None or course_id is None or start is None:
        raise ConfigError(
            "a cohort needs --cohort, --course-id and --start-date together; "
            f"add {', '.join(missing)}"
        )
    # Checked here as the loader would check cohorts.yml, so nothing is written for a cohort
    # that could never validate.
    if not name.strip():
        raise ConfigError("--cohort is empty; name the cohort, e.g. --cohort spring-2027")
    if course_id < 1:
        raise ConfigError(f"--course-id {course_id} is not a Canvas course id; use 1 or more")
    day = start.date()
    if day.weekday() != 0:
        monday = day - dt.timedelta(days=day.weekday())
        raise ConfigError(
            f"--start-date {day} is a {day.strftime('%A')}; pass the Monday of week 1, "
            f"e.g. {monday}"
        )
    return CohortOption(name, course_id, day)


def _check_time_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"--time-zone {name!r} is not an IANA time zone name, e.g. America/Denver"
        ) from None


def _check_site_url(url: str | None) -> None:
    """Links are rewritten to point at ``url``: a wrong one would be written into every page."""
    if url is None:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"--site-url {url!r} is not an http(s) address; pass e.g. https://careers.example.org"
        )
