"""The whole real site, unmodified: it imports, validates, syncs to a fixed point, re-imports
to the same files, and no link on either of its domains still points at the public site when
the page it names was imported.

The site lives beside the repository (``../shared/corpus``), as it does in CI, which clones
the repository next to ``shared/``; it is data to test against, never copied in. Without it the
test is skipped. One test, since the sync is the slow part.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from click.testing import CliRunner

from pd_sync.cli import cli
from pd_sync.curriculum import normalise_site_path
from pd_sync.jekyll.read import read_site
from pd_sync.sandbox import Sandbox
from tests.shared_material import CORPUS_SITE, shared_or_skip

_SITE_LINK = re.compile(r"https?://([a-z0-9.-]+)(/[^\s)\"'<>]*)?", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# Read off the site's module indexes by hand (see the import's closing note): the weeks each
# lists (Module 2 lists 1, 2, 3 and 5, and dates two deliverables in week 6), the deliverables
# each lists (each exit ticket counted), and the competencies of the index and goals page.
TRUE_COUNTS = {
    "Module 1 Professional Development": (5, 7, 3),
    "Module 2 Professional Development": (6, 6, 5),
}


def _writes(sandbox: Sandbox) -> list[str]:
    return [f"{r.method} {r.path}" for r in sandbox.requests() if r.method != "GET"]


def test_the_whole_site_imports_validates_and_syncs_to_a_fixed_point(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    site = shared_or_skip(CORPUS_SITE)
    runner = CliRunner()
    out = tmp_path / "curriculum"
    cohort = ["--cohort", "c", "--course-id", "1", "--start-date", "2027-01-04"]
    imported = runner.invoke(cli, ["import", "jekyll", str(site), "--out", str(out), *cohort])
    assert imported.exit_code == 0, imported.output

    modules = yaml.safe_load((out / "modules.yml").read_text(encoding="utf-8"))["modules"]
    found = {
        m["title"]: (
            len(m["weeks"]),
            len(m.get("deliverables", [])),
            len(m.get("learning_goals", {}).get("competencies", [])),
        )
        for m in modules
        if m["title"] in TRUE_COUNTS
    }
    assert found == TRUE_COUNTS
    assert [m["title"] for m in modules][-1] == "More"
    titles = [d["title"] for m in modules for d in m.get("deliverables", [])]
    assert len({t.casefold() for t in titles}) == len(titles)

    validated = runner.invoke(cli, ["validate", str(out)])
    assert validated.exit_code == 0, validated.output

    _no_public_links_to_imported_pages(out)

    token_file = tmp_path / "token"
    token_file.write_text(sandbox.token, encoding="utf-8")
    target = ["--url", sandbox.base_url, "--token-file", str(token_file), "--yes"]
    first = runner.invoke(cli, ["apply", str(out), *target])
    assert first.exit_code == 0, first.output
    sandbox.clear_requests()
    second = runner.invoke(cli, ["apply", str(out), *target])
    assert second.exit_code == 0, second.output
    assert "No changes: the course matches the curriculum." in second.stdout
    assert _writes(sandbox) == []

    again = runner.invoke(cli, ["import", "jekyll", str(site), "--out", str(out), *cohort])
    assert again.exit_code == 0, again.output
    assert re.search(r"Files: 0 new, 0 overwritten, \d+ unchanged in ", again.stdout)


def _no_public_links_to_imported_pages(out: Path) -> None:
    site = read_site(CORPUS_SITE)
    hosts = set(site.hosts)
    assert len(hosts) == 2  # _config.yml's url and the CNAME
    imported = {normalise_site_path(page.url) for page in site.pages}
    left: list[str] = []
    for path in sorted(out.rglob("*.md")):
        text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
        for match in _SITE_LINK.finditer(text):
            if match.group(1).lower() not in hosts:
                continue
            target = unquote(urlsplit(match.group(0)).path)
            if normalise_site_path(target) in imported:
                left.append(f"{path.relative_to(out)}: {match.group(0)}")
    assert left == []
