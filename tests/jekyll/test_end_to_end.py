"""Import a fixture site, validate it, and sync it into the sandbox twice through the real CLI:
the second sync must send no write at all."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox

EXAMPLE = Path(__file__).parent / "sites" / "example"


def _writes(sandbox: Sandbox) -> list[str]:
    return [f"{r.method} {r.path}" for r in sandbox.requests() if r.method != "GET"]


def test_imported_site_validates_and_syncs_to_a_fixed_point(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "curriculum"
    cohort = ["--cohort", "test", "--course-id", "1", "--start-date", "2027-01-04"]
    imported = runner.invoke(cli, ["import", "jekyll", str(EXAMPLE), "--out", str(out), *cohort])
    assert imported.exit_code == 0, imported.output

    validated = runner.invoke(cli, ["validate", str(out)])
    assert validated.exit_code == 0, validated.output
    assert validated.stdout == (
        f"{out}: valid — 2 modules, 3 weeks, 12 pages, 3 deliverables, 0 group sets, 1 cohort\n"
    )

    token_file = tmp_path / "token"
    token_file.write_text(sandbox.token, encoding="utf-8")
    target = ["--url", sandbox.base_url, "--token-file", str(token_file), "--yes"]
    first = runner.invoke(cli, ["apply", str(out), *target])
    assert first.exit_code == 0, first.output
    first_writes = _writes(sandbox)
    # 12 curriculum pages (one generated for week 3) and the ownership record's page.
    assert len([w for w in first_writes if w == "POST /api/v1/courses/1/pages"]) == 13
    assert len([w for w in first_writes if w == "POST /api/v1/courses/1/assignments"]) == 3

    pages = {r["title"]: r for r in sandbox.store.rows("pages", 1)}
    week1 = str(pages["Module Alpha Week 1"]["body"])
    week2_url = pages["Module Alpha Week 2: Asking Questions"]["url"]
    assert f"/courses/1/pages/{week2_url}#practice" in week1  # a page reference, resolved
    assert "https://careers.example.org/resources/listening" in week1

    sandbox.clear_requests()
    second = runner.invoke(cli, ["apply", str(out), *target])
    assert second.exit_code == 0, second.output
    assert "No changes: the course matches the curriculum." in second.stdout
    assert sandbox.requests(), "the second sync must still read the course"
    assert _writes(sandbox) == []
