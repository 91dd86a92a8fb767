"""Where the token may go: the Canvas origin (scheme, host, port), parsed once from ``--url``.

The URL is parsed with ``urllib3.util.parse_url``, the parser ``requests`` uses when it prepares a
request, so the host checked here is the host requests connects to. ``urllib.parse`` reads some
URLs differently (``http://example.com\\@127.0.0.1`` is 127.0.0.1 to it, example.com to
urllib3), which is how a loopback check on one parser lets the other send the token elsewhere.
Anything the two could disagree on (a backslash, userinfo, whitespace) is refused outright.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from pd_sync.errors import ConfigError

DEFAULT_PORTS = {"http": 80, "https": 443}
_EXAMPLE = "https://canvas.example.edu"
_COURSE_PATH = re.compile(r"/courses/(\d+)(?:/|$)")
_SHOWN = 80  # a URL quoted in a message is cut to this many characters


@dataclass(frozen=True)
class CanvasOrigin:
    """Where Canvas is: ``host`` as urllib3 normalises it (lower case, IPv6 in brackets)."""

    scheme: str
    host: str
    port: int | None = None

    @property
    def url(self) -> str:
        """The base URL canvasapi is given: rebuilt from the parsed parts, nothing else."""
        return f"{self.scheme}://{self.label}"

    @property
    def label(self) -> str:
        """``host`` or ``host:port``, as people write it."""
        return self.host if self.port is None else f"{self.host}:{self.port}"

    def _key(self) -> tuple[str, str, int | None]:
        # https://h and https://h:443 are one origin.
        return (self.scheme, self.host, self.port or DEFAULT_PORTS.get(self.scheme))

    def admits(self, url: str) -> bool:
        """True when ``url`` goes to this origin whichever parser reads it, with no userinfo."""
        return self.foreign_label(url) is None

    def foreign_label(self, url: str) -> str | None:
        """None if ``url`` is on this origin; otherwise where it points, safe to print."""
        read = _origin_by_urllib3(url)
        if read is None:
            return "an address that cannot be parsed"
        by_urllib3, has_userinfo = read
        if by_urllib3._key() != self._key():
            return _printable(by_urllib3.url)
        if has_userinfo:
            return _printable(f"{by_urllib3.url} (with a user name)")
        # requests picks the connection from urlsplit's reading of a redirect target, so both
        # parsers must agree, and neither may see a user name (the text before an "@").
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            return "an address with an invalid port"
        by_stdlib = CanvasOrigin(parts.scheme.lower(), _bracketed(parts.hostname or ""), port)
        if by_stdlib._key() != self._key() or "@" in parts.netloc:
            return _printable(f"{parts.scheme}://{parts.netloc}")
        return None


def parse_canvas_url(text: str, source: str = "--url") -> CanvasOrigin:
    """The origin ``text`` names, or a ``ConfigError`` (one line, naming the fix).

    Accepts ``http(s)://host[:port]`` with an optional trailing ``/``; ``http`` only for a
    loopback host, since the token would otherwise cross the network in clear text.
    """
    _refuse_unsafe_characters(text, source)
    try:
        parsed = parse_url(text)
    except LocationParseError:
        raise ConfigError(f"{source} {_quoted(text)} is not a URL; {_like()}") from None
    if parsed.scheme not in DEFAULT_PORTS or not parsed.host:
        raise ConfigError(f"{source} {_quoted(text)} is not an http(s) URL; {_like()}")
    if parsed.host.startswith(("*", ".")):
        # requests refuses these labels only when it prepares the first request.
        raise ConfigError(f"{source} {_quoted(text)} has no valid host name; {_like()}")
    if parsed.auth is not None:
        # Not quoted: the text before the "@" may be a password.
        raise ConfigError(
            f"{source} contains a user name or password (before an @); remove it: "
            "the API token is the only credential pd-sync sends"
        )
    if parsed.query is not None or parsed.fragment is not None:
        raise ConfigError(f"{source} {_quoted(text)} has a ?query or #fragment; {_like()}")
    if parsed.path not in (None, "", "/"):
        if "/api/v1" in parsed.path:
            raise ConfigError(
                f"{source} {_quoted(text)}: give the Canvas address without /api/v1, "
                f"like {_EXAMPLE}"
            )
        course = _COURSE_PATH.match(parsed.path)
        if course:
            base = f"{parsed.scheme}://{parsed.netloc}"
            raise ConfigError(
                f"{source} {_quoted(text)} is a course's address: pass the Canvas base URL "
                f"{_quoted(base)} as {source}, and the course with --course {course[1]} (or "
                "as the cohort's course_id)"
            )
        raise ConfigError(f"{source} {_quoted(text)} has a path; {_like()}")
    origin = CanvasOrigin(parsed.scheme, parsed.host, parsed.port)
    if origin.scheme == "http" and not is_loopback(origin.host):
        raise ConfigError(
            f"{source} {_quoted(text)} uses http://, which would send the token unencrypted; "
            "use https:// (http is allowed only for 127.0.0.1/localhost)"
        )
    # The rebuilt URL must read back as the same origin under both parsers, or requests and
    # this check could still be talking about two different hosts.
    if not origin.admits(origin.url):
        raise ConfigError(f"{source} {_quoted(text)} is ambiguous; {_like()}")
    return origin


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or ``localhost``: the only hosts plain http may reach with the token."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False


def _refuse_unsafe_characters(text: str, source: str) -> None:
    # urllib3 and urllib.parse disagree about these (and requests strips leading whitespace
    # itself), so the URL is refused rather than interpreted.
    for position, char in enumerate(text, start=1):
        if char == "\\":
            kind, fix = "a backslash", "parsers disagree about where its host ends; write / only"
        elif char.isspace():
            kind, fix = "whitespace", "remove it"
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            kind, fix = "a control character", "remove it"
        elif not char.isascii():
            kind, fix = "a non-ASCII character", "write an international host in its xn-- form"
        else:
            continue
        raise ConfigError(f"{source} has {kind} at character {position}: {fix}; {_like()}")


def _origin_by_urllib3(url: str) -> tuple[CanvasOrigin, bool] | None:
    """The origin urllib3 reads in ``url``, and whether it carries userinfo."""
    try:
        parsed = parse_url(url)
    except LocationParseError:
        return None
    origin = CanvasOrigin(parsed.scheme or "", parsed.host or "", parsed.port)
    return origin, parsed.auth is not None


def _bracketed(host: str) -> str:
    # urlsplit drops an IPv6 address's brackets and urllib3 keeps them; compare like with like.
    return f"[{host}]" if ":" in host else host


def _like() -> str:
    return f"give only the address, like {_EXAMPLE}"


def _quoted(text: str) -> str:
    shown = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
    return repr(shown)


def _printable(text: str) -> str:
    # Canvas chose this text (a Location or Link header): keep it to one inert line.
    return ascii(text[:_SHOWN])[1:-1]


def upload_origin(url: str) -> CanvasOrigin | None:
    """The origin of an ``upload_url`` Canvas answered a file preflight with, when it is one
    pd-sync may POST the file's bytes to: ``https``, or ``http`` on a loopback host (the same rule
    as for Canvas itself), no user name, nothing the two URL parsers could read differently.
    None otherwise (the upload is then refused like any other request off the Canvas origin)."""
    if any(c == "\\" or c.isspace() or not c.isascii() or ord(c) < 0x20 for c in url):
        return None
    read = _origin_by_urllib3(url)
    if read is None or read[1]:
        return None
    origin = read[0]
    if origin.scheme not in DEFAULT_PORTS or not origin.host or origin.host.startswith(("*", ".")):
        return None
    if origin.scheme == "http" and not is_loopback(origin.host):
        return None
    return origin if origin.admits(url) else None
