"""Acceptance check of ``pd-sync import jekyll`` against a real Jekyll curriculum site.

Usage::

    python scripts/import_corpus.py CORPUS_DIR

Imports CORPUS_DIR into a temporary directory through the real CLI (with a cohort for course
1), validates the result, checks that every unresolved link names a page that is not in the
corpus, then syncs the curriculum into a fresh sandbox Canvas twice and counts the writes of
each run from the sandbox's request log. Prints the numbers; exits 1 if any step fails or the
second sync writes anything.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from pd_sync.sandbox import Sandbox

COURSE_ID = 1
START_DATE = "2027-01-04"  # a Monday


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    corpus = Path(argv[0])
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pd-sync-import-") as temp:
        out = Path(temp) / "curriculum"
        imported = _run(
            "import", "jekyll", str(corpus), "--out", str(out), "--cohort", "corpus-check",
            "--course-id", str(COURSE_ID), "--start-date", START_DATE,
        )  # fmt: skip
        print(imported.stdout, end="")
        if imported.returncode != 0:
            print(imported.stderr, end="", file=sys.stderr)
            return 1
        again = _run(*imported.args[3:])
        if "0 new, 0 overwritten" not in again.stdout and again.returncode == 0:
            failures.append("re-importing over the output changed files")

        validated = _run("validate", str(out))
        print(f"validate: exit {validated.returncode}: {validated.stdout.strip()}")
        print(validated.stderr, end="", file=sys.stderr)
        if validated.returncode != 0:
            failures.append("the imported curriculum does not validate")

        inside = _unresolved_inside_corpus(imported.stdout, corpus)
        print(f"unresolved links naming a page that is in the corpus: {len(inside)}")
        failures += [f"unresolved link to a page in the corpus: {line}" for line in inside]

        writes = _sync_twice(out, Path(temp))
        print(f"sync writes: first run {writes[0]}, second run {writes[1]}")
        if writes[0] == 0:
            failures.append("the first sync wrote nothing")
        if writes[1] != 0:
            failures.append(f"the second sync sent {writes[1]} writes (expected 0)")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    print("OK" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pd_sync", *args], capture_output=True, text=True, check=False
    )


def _unresolved_inside_corpus(report: str, corpus: Path) -> list[str]:
    """Unresolved-link lines whose target is a page that exists in the corpus after all."""
    inside: list[str] = []
    block = False
    for line in report.splitlines():
        if not line.startswith("  "):
            block = line.startswith("Unresolved links")
            continue
        match = re.search(r": (\S+) -> https?://[^/]+(/\S*)$", line)
        if block and match is not None and _page_exists(corpus, match.group(2)):
            inside.append(line.strip())
    return inside


def _page_exists(corpus: Path, path: str) -> bool:
    path = path.split("#", 1)[0].split("?", 1)[0].strip("/")
    for suffix in (".md", ".html"):
        path = path.removesuffix(suffix)
    path = path.removesuffix("/index").removesuffix("index")
    candidates = [f"{path}.md", f"{path}.html", f"{path}/index.md", f"{path}/index.html"]
    return any((corpus / c.strip("/")).is_file() for c in candidates)


def _sync_twice(curriculum: Path, temp: Path) -> tuple[int, int]:
    sandbox = Sandbox(db_path=str(temp / "sandbox.sqlite3"))
    sandbox.start()
    try:
        sandbox.ensure_course(COURSE_ID, "Corpus import check", "America/Denver")
        token_file = temp / "token"
        token_file.write_text(sandbox.token + "\n", encoding="utf-8")
        counts: list[int] = []
        for run in (1, 2):
            sandbox.clear_requests()
            applied = _run(
                "apply", str(curriculum), "--url", sandbox.base_url,
                "--token-file", str(token_file), "--yes",
            )  # fmt: skip
            last = applied.stdout.strip().splitlines()[-1:] or [""]
            print(f"apply run {run}: exit {applied.returncode}: {last[0]}")
            if applied.returncode != 0:
                print(applied.stdout + applied.stderr, file=sys.stderr)
            counts.append(sum(1 for r in sandbox.requests() if r.method != "GET"))
        return counts[0], counts[1]
    finally:
        sandbox.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
