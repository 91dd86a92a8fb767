"""`pd-sync sandbox serve` runs a sandbox another process can sync into at once."""

from __future__ import annotations

import os
import queue
import shlex
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from pd_sync.cli import cli

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(args: list[str], cwd: Path) -> Iterator[tuple[list[str], dict[str, str]]]:
    """Start ``sandbox serve`` with ``args``; yield its announcement and the exported env."""
    server = subprocess.Popen(
        [sys.executable, "-m", "pd_sync", "sandbox", "serve", *args],
        stdout=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)},
    )
    out = server.stdout
    assert out is not None
    said: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in out:
            said.put(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        lines: list[str] = []
        while not (lines and lines[-1].startswith("export ")):
            try:
                lines.append(said.get(timeout=20).rstrip("\n"))
            except queue.Empty:
                pytest.fail(f"serve printed no export line: {lines}")
        words = shlex.split(lines[-1])
        assert words[0] == "export"
        env = dict(word.split("=", 1) for word in words[1:])
        assert set(env) == {"CANVAS_API_URL", "CANVAS_API_TOKEN"}
        yield lines, env
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
        out.close()
    assert server.returncode == 0


def test_serve_makes_the_cohort_courses_and_prints_an_export_line(tmp_path: Path) -> None:
    port = _free_port()
    args = [CURRICULUM, "--db", str(tmp_path / "canvas.sqlite3"), "--port", str(port)]
    with serving(args, tmp_path) as (lines, env):
        url = env["CANVAS_API_URL"]
        assert url == f"http://127.0.0.1:{port}"
        assert f"Course 1 '2701-example': pages at {url}/courses/1/pages/" in lines
        # No course made by hand: apply works against the served sandbox as printed.
        applied = CliRunner().invoke(cli, ["apply", CURRICULUM, "--yes"], env=env)
        assert applied.exit_code == 0, applied.output
        assert "0 failed" in applied.output
        again = CliRunner().invoke(cli, ["plan", CURRICULUM], env=env)
        assert again.exit_code == 0, again.output
        assert "No changes" in again.output

        auth = {"Authorization": f"Bearer {env['CANVAS_API_TOKEN']}"}
        pages = requests.get(f"{url}/api/v1/courses/1/pages?per_page=100", headers=auth, timeout=10)
        week1 = next(p for p in pages.json() if p["title"].startswith("Module 1 Week 1"))
        assert week1["html_url"] == f"{url}/courses/1/pages/{week1['url']}"

        # The page's Canvas address shows it in a browser, without a token.
        view = requests.get(week1["html_url"], timeout=10)
        assert view.status_code == 200
        assert view.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "default-src 'none'" in view.headers["Content-Security-Policy"]
        assert f"<h1>{week1['title']}</h1>" in view.text
        assert "2701-example · sandbox Canvas, read-only view" in view.text
        # A link between pages leads to the other page's view.
        assert "/courses/1/pages/" in view.text
        linked = view.text.split('href="', 1)[1].split('"', 1)[0]
        assert requests.get(linked if "://" in linked else url + linked, timeout=10).ok

        assert requests.get(f"{url}/courses/1/pages/no-such-page", timeout=10).status_code == 404
        assert requests.get(f"{url}/courses/99/pages/x", timeout=10).status_code == 404
        assert requests.post(week1["html_url"], timeout=10).status_code == 405
        # The API itself stays strict: no token, no answer.
        assert requests.get(f"{url}/api/v1/courses/1/pages", timeout=10).status_code == 401


def test_serve_with_course_ids_needs_no_curriculum(tmp_path: Path) -> None:
    args = ["--course", "7", "--course", "9", "--db", str(tmp_path / "c.sqlite3")]
    with serving(args, tmp_path) as (lines, env):
        assert any(line.startswith("Course 7 'Sandbox course 7'") for line in lines)
        assert any(line.startswith("Course 9 'Sandbox course 9'") for line in lines)
        planned = CliRunner().invoke(cli, ["plan", CURRICULUM, "--course", "9"], env=env)
        assert planned.exit_code == 0, planned.output
        assert "+ page" in planned.output


def test_serve_outside_a_curriculum_says_what_to_pass(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pd_sync", "sandbox", "serve"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PD_SYNC_DATA_DIR": str(tmp_path / "d")},
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "no curriculum at curriculum to take the cohort courses from: pass the curriculum "
        "directory, or --course ID (repeatable) for empty courses\n"
    )
    assert result.stdout == ""
