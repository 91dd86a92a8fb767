"""`pd-sync sandbox serve` runs a sandbox another process can sync into."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pd_sync.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def test_serve_announces_url_and_token_and_serves_a_sync(tmp_path: Path) -> None:
    db = tmp_path / "canvas.sqlite3"
    server = subprocess.Popen(
        [sys.executable, "-m", "pd_sync", "sandbox", "serve", "--db", str(db)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        token = server.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:")
        env = {"CANVAS_API_URL": url, "CANVAS_API_TOKEN": token}
        # The served sandbox starts empty: the course is created through its control API.
        import requests

        requests.post(f"{url}/_sandbox/courses", json={"id": 1, "name": "c"}, timeout=10)
        result = CliRunner().invoke(cli, ["apply", str(ROOT / "curriculum"), "--yes"], env=env)
        assert result.exit_code == 0, result.output
        again = CliRunner().invoke(cli, ["plan", str(ROOT / "curriculum")], env=env)
        assert "No changes" in again.output
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()
    assert server.returncode == 0
