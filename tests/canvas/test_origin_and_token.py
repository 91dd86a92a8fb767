"""The Canvas origin parser and the token check, as pure functions."""

from __future__ import annotations

import pytest
from urllib3.util import parse_url

from pd_sync.canvas import CanvasOrigin, check_token, parse_canvas_url
from pd_sync.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("https://canvas.example.edu", CanvasOrigin("https", "canvas.example.edu")),
        ("HTTPS://Canvas.Example.EDU/", CanvasOrigin("https", "canvas.example.edu")),
        ("https://canvas.example.edu:8443", CanvasOrigin("https", "canvas.example.edu", 8443)),
        ("http://127.0.0.1:9", CanvasOrigin("http", "127.0.0.1", 9)),
        ("http://127.8.9.10", CanvasOrigin("http", "127.8.9.10")),
        ("http://localhost:3000/", CanvasOrigin("http", "localhost", 3000)),
        ("http://[::1]:8080", CanvasOrigin("http", "[::1]", 8080)),
    ],
)
def test_accepted_urls_rebuild_to_what_urllib3_reads(text: str, origin: CanvasOrigin) -> None:
    parsed = parse_canvas_url(text)
    assert parsed == origin
    again = parse_url(parsed.url)
    assert (again.scheme, again.host, again.port, again.auth) == (
        origin.scheme,
        origin.host,
        origin.port,
        None,
    )


@pytest.mark.parametrize(
    "text",
    [
        "http://example.com",  # http off loopback
        "http://[::ffff:7f00:1]",  # not ::1
        "http://127.1",  # resolves to loopback, but not an address ipaddress accepts
        "http://localhost.example.com",
        "ftp://canvas.example.edu",
        "canvas.example.edu",
        "https://canvas.example.edu\\.evil.example",
        "https://canvas.example.edu/api/v1",
    ],
)
def test_refused_urls(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_canvas_url(text)


def test_source_is_named() -> None:
    with pytest.raises(ConfigError, match=r"^CANVAS_API_URL 'ftp://x' is not an http\(s\) URL"):
        parse_canvas_url("ftp://x", "CANVAS_API_URL")


@pytest.mark.parametrize(
    ("url", "foreign"),
    [
        ("https://canvas.example.edu/api/v1/courses/1", None),
        ("https://canvas.example.edu:443/api/v1/courses/1", None),  # the default port
        ("HTTPS://CANVAS.example.edu/x", None),
        ("http://canvas.example.edu/x", "http://canvas.example.edu"),
        ("https://canvas.example.edu:8443/x", "https://canvas.example.edu:8443"),
        ("https://evil.example/?u=https://canvas.example.edu/", "https://evil.example"),
        # urllib3 reads evil.example, urlsplit reads canvas.example.edu: refused.
        ("https://evil.example\\@canvas.example.edu/", "https://evil.example"),
        # Both read canvas.example.edu, but urlsplit sees userinfo: refused.
        (
            "https://canvas.example.edu\\@canvas.example.edu/",
            "https://canvas.example.edu\\\\@canvas.example.edu",  # printed escaped
        ),
        ("https://me@canvas.example.edu/", "https://canvas.example.edu (with a user name)"),
        ("https://canvas.example.edu:99999/", "an address that cannot be parsed"),
        ("https://evil\x1b[2J.example/", "an address that cannot be parsed"),
    ],
)
def test_foreign_label(url: str, foreign: str | None) -> None:
    origin = parse_canvas_url("https://canvas.example.edu")
    assert origin.foreign_label(url) == foreign
    assert origin.admits(url) is (foreign is None)


def test_token_keeps_its_visible_ascii_and_drops_surrounding_whitespace() -> None:
    assert check_token("\t 7~AbC+/=_-.xyz \r\n") == "7~AbC+/=_-.xyz"


@pytest.mark.parametrize(
    ("token", "kind", "position"),
    [
        ("ab\u00e9", "a non-ASCII character", 3),
        ("ab\u0100", "a non-ASCII character", 3),
        ("  ab\ncd", "a line break", 5),
        ("ab\u2028cd", "a line break", 3),
        ("ab\x7fcd", "a control character", 3),
        ("ab\tcd", "a space inside it", 3),
    ],
)
def test_unsendable_token_gives_kind_and_position_only(
    token: str, kind: str, position: int
) -> None:
    with pytest.raises(ConfigError) as raised:
        check_token(token, "--token")
    message = str(raised.value)
    assert message.startswith(f"the token from --token has {kind} at character {position},")
    assert token[position - 1] not in message
