"""The token goes only to the configured Canvas origin, through the real CLI and the sandbox.

Issue 12, item 3: a URL that two parsers read differently, a Canvas that redirects or links
elsewhere, an environment proxy on plain http, and a token that cannot be sent as a header.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import canvasapi
import pytest
from click.testing import CliRunner, Result

from pd_sync.cli import cli
from pd_sync.sandbox import Sandbox

from .recording_server import RecordingServer, recording_server

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")
# None removes a variable for the run: these must come from the test, not the machine.
CLEAN_ENV: dict[str, str | None] = {
    name: None
    for name in (
        "CANVAS_API_URL",
        "CANVAS_API_TOKEN",
        "GITHUB_ACTIONS",
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    )
}


@pytest.fixture
def recorder() -> Iterator[RecordingServer]:
    with recording_server() as server:
        yield server


def _plan(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, ["plan", CURRICULUM, *args], env={**CLEAN_ENV, **(env or {})})


def _one_clear_line(result: Result, token: str) -> str:
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert "\n" not in message, message
    assert "Traceback" not in message and "internal error" not in message, message
    assert token not in message
    return message


# -- (a) the URL: parsed once, by the parser requests uses ---------------------------------


def test_backslash_url_that_passes_a_urlsplit_loopback_check_is_refused(sandbox: Sandbox) -> None:
    # urlsplit sees 127.0.0.1 here; requests (urllib3) would connect to example.invalid.
    url = f"http://example.invalid\\@127.0.0.1:{sandbox.port}"
    message = _one_clear_line(_plan("--url", url, "--token", sandbox.token), sandbox.token)
    assert "backslash" in message and "write / only" in message
    assert sandbox.requests() == []


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://someone:hunter2@127.0.0.1:{port}", "user name or password"),
        ("http://127.0.0.1:{port}@example.invalid", "user name or password"),
        ("http://127.0.0.1:{port}/?x=1", "?query or #fragment"),
        ("http://127.0.0.1:{port}#top", "?query or #fragment"),
        ("http://127.0.0.1:{port}/canvas", "has a path"),
        ("http://127.0.0.1:{port}\n", "whitespace at character"),
        ("http://127.0.0.1:{port}\t", "whitespace at character"),
        ("http://127.0.0.1:{port}\x1b[2J", "control character at character"),
        ("http://[::1", "is not a URL"),
        ("http://.127.0.0.1:{port}", "no valid host name"),
    ],
)
def test_malformed_url_is_one_clear_line_and_sends_nothing(
    sandbox: Sandbox, url: str, says: str
) -> None:
    result = _plan("--url", url.format(port=sandbox.port), "--token", sandbox.token)
    message = _one_clear_line(result, sandbox.token)
    assert says in message
    assert "hunter2" not in message  # a password in the URL is not echoed
    assert "\x1b" not in message
    assert sandbox.requests() == []


def test_url_from_the_environment_is_named_in_the_message(sandbox: Sandbox) -> None:
    env = {"CANVAS_API_URL": f"http://example.invalid\\@127.0.0.1:{sandbox.port}"}
    message = _one_clear_line(_plan("--token", sandbox.token, env=env), sandbox.token)
    assert message.startswith("CANVAS_API_URL has a backslash")
    assert sandbox.requests() == []


# -- (b) every request stays on the origin: redirects, next-page links, proxies -----------


def test_redirect_to_another_origin_is_refused_not_followed(
    sandbox: Sandbox, recorder: RecordingServer
) -> None:
    # Every read is redirected, so whichever of the concurrent reads runs first meets it.
    sandbox.redirect_next(f"{recorder.url}/api/v1/courses/1/pages", n=20)
    message = _one_clear_line(
        _plan("--url", sandbox.base_url, "--token", sandbox.token), sandbox.token
    )
    assert f"redirected to {recorder.url}" in message
    assert "did not follow" in message
    assert recorder.seen == []
    assert not recorder.received(sandbox.token)


def test_next_page_link_to_another_origin_is_refused(
    sandbox: Sandbox, canvas: canvasapi.Canvas, recorder: RecordingServer
) -> None:
    # canvasapi asks for 100 per page; 101 pages make Canvas send a rel="next" link.
    sandbox.throttle_enabled = False
    course = canvas.get_course(1)
    for number in range(101):
        course.create_page(wiki_page={"title": f"Hand-made page {number}"})
    sandbox.clear_requests()
    sandbox.canonical_url = recorder.url
    try:
        result = _plan("--url", sandbox.base_url, "--token", sandbox.token)
    finally:
        sandbox.canonical_url = None
    message = _one_clear_line(result, sandbox.token)
    assert f"next-page link on {recorder.url}" in message
    assert recorder.seen == []
    assert not recorder.received(sandbox.token)


def test_plain_http_ignores_an_environment_proxy(
    sandbox: Sandbox, recorder: RecordingServer
) -> None:
    # Through a proxy, plain http would carry the token across the network in clear text.
    env = {"HTTP_PROXY": recorder.url, "http_proxy": recorder.url}
    result = _plan("--url", sandbox.base_url, "--token", sandbox.token, env=env)
    assert result.exit_code == 0, result.output
    assert recorder.seen == []
    assert sandbox.requests()


# -- (c) the token must fit in an Authorization header ------------------------------------

BAD_TOKENS = [
    pytest.param("7~s3cr\u20acttoken", "a non-ASCII character at character 7", id="euro-sign"),
    pytest.param("7~s3cr\u0115ttoken", "a non-ASCII character at character 7", id="non-latin-1"),
    pytest.param("7~s3cret\ntoken", "a line break at character 9", id="newline"),
    pytest.param("7~s3cret\rtoken", "a line break at character 9", id="carriage-return"),
    pytest.param("7~s3cret\x00token", "a control character at character 9", id="nul"),
    pytest.param("7~s3cret token", "a space inside it at character 9", id="space"),
]


@pytest.mark.parametrize(("token", "says"), BAD_TOKENS)
def test_unsendable_token_on_the_command_line(sandbox: Sandbox, token: str, says: str) -> None:
    sandbox.add_token(token)
    message = _one_clear_line(_plan("--url", sandbox.base_url, "--token", token), token)
    assert message == (
        f"the token from --token has {says}, which cannot be sent as a Bearer token in an "
        "HTTP header; check CANVAS_API_TOKEN / --token-file"
    )
    assert sandbox.requests() == []


@pytest.mark.parametrize(("token", "says"), BAD_TOKENS[:3])
def test_unsendable_token_in_the_environment_under_github_actions(
    sandbox: Sandbox, token: str, says: str
) -> None:
    env = {"CANVAS_API_URL": sandbox.base_url, "CANVAS_API_TOKEN": token, "GITHUB_ACTIONS": "true"}
    result = _plan(env=env)
    message = _one_clear_line(result, token)
    assert message.startswith(f"the token from CANVAS_API_TOKEN has {says}")
    # The mask command is never printed with a token that would split it over two lines.
    assert "::add-mask::" not in result.output
    assert "\u20ac" not in result.output and "\u0115" not in result.output
    assert sandbox.requests() == []


def test_unsendable_token_in_a_file_names_the_file(sandbox: Sandbox, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("7~s3cr\u20acttoken\n", encoding="utf-8")
    message = _one_clear_line(
        _plan("--url", sandbox.base_url, "--token-file", str(token_file)), "s3cr"
    )
    assert message.startswith(f"the token from --token-file {token_file} has a non-ASCII")
    assert sandbox.requests() == []


def test_surrounding_whitespace_is_not_part_of_the_token(sandbox: Sandbox) -> None:
    result = _plan("--url", sandbox.base_url, "--token", f"  {sandbox.token}\n")
    assert result.exit_code == 0, result.output
    assert sandbox.requests()
