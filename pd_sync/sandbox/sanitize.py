"""HTML as Canvas stores and serves it: sanitised on save, rewritten on every read.

Clients that byte-compare what they sent with what they read back must fail against the sandbox
as they would against Canvas, so both directions are modelled (canvas-api.md §4).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

from .allowlist import (
    CSS_PROTOCOLS,
    DROP_WITH_CONTENT,
    ELEMENTS,
    MATHML,
    PROTOCOLS,
    VOID,
    attribute_allowed,
    css_property_allowed,
    words,
)
from .files import file_uuid

Attrs = list[tuple[str, str | None]]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff]")
_PROTOCOL = re.compile(r"\A\s*([^/#]*?)(?::|&#0*58|&#x0*3a)", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")

_CLOSES_P = words(
    """address article aside blockquote details div dl figcaption figure footer h1 h2 h3 h4 h5 h6
    header hr nav ol p pre section table ul"""
)
# Each new start tag implicitly ends an open sibling, but only up to its boundary (HTML5 scopes).
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "table"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "tbody", "thead", "tfoot"})),
}
_P_BOUNDARY = frozenset({"table", "td", "th", "caption", "object", "li", "dd", "dt"})


def escape_text(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("\xa0", "&nbsp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;")


def _start_tag(tag: str, attrs: list[tuple[str, str]]) -> str:
    rendered = "".join(f' {name}="{escape_attribute(value)}"' for name, value in attrs)
    return f"<{tag}{rendered}>"


def _scheme_allowed(allowed: frozenset[str], value: str) -> bool:
    """sanitize gem CleanElement: REGEX_PROTOCOL's scheme must be listed; none means :relative."""
    match = _PROTOCOL.match(value)
    return (match.group(1).lower() if match else "relative") in allowed


def clean_css(style: str) -> str:
    """Keep only allow-listed properties; drop expression() and non-web url() values."""
    kept: list[str] = []
    declarations = [d for d in style.split(";") if d.strip()]
    for declaration in declarations:
        prop, colon, value = declaration.partition(":")
        if not colon or not css_property_allowed(prop.strip().lower()):
            continue
        lowered = value.lower()
        if "expression(" in lowered or "javascript:" in lowered:
            continue
        if any(not _scheme_allowed(CSS_PROTOCOLS, u) for u in _CSS_URL.findall(value)):
            continue
        kept.append(declaration.strip())
    if len(kept) == len(declarations):
        return style
    return "; ".join(kept) + (";" if kept and style.rstrip().endswith(";") else "")


def _clean_attributes(tag: str, attrs: Attrs) -> list[tuple[str, str]]:
    seen: set[str] = set()
    cleaned: list[tuple[str, str]] = []
    for name, raw in attrs:
        if name in seen:
            continue
        seen.add(name)
        if not attribute_allowed(tag, name):
            continue
        value = _CONTROL.sub("", raw or "")
        allowed = PROTOCOLS.get((tag, name))
        if allowed is not None:
            # canvas_sanitize.rb SANITIZE[:protocols] via CleanElement: a URL with a scheme not
            # listed for this element and attribute is dropped (pd-sync-page:x, javascript:);
            # a kept one loses its surrounding whitespace.
            if not _scheme_allowed(allowed, value):
                continue
            value = value.strip()
        if name == "style":
            value = clean_css(value)
            if not value.strip():
                continue
        elif name == "id":
            value = _WHITESPACE.sub("", value)
        cleaned.append((name, value))
    return cleaned


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping: str | None = None
        self.drop_depth = 0

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: Attrs) -> None:
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag: str, attrs: Attrs, self_closing: bool) -> None:
        if self.dropping is not None:
            if tag == self.dropping and not self_closing:
                self.drop_depth += 1
            return
        if tag in DROP_WITH_CONTENT:
            if not self_closing:
                self.dropping, self.drop_depth = tag, 1
            return
        if tag not in ELEMENTS:
            return
        self._close_implied(tag)
        self.out.append(_start_tag(tag, _clean_attributes(tag, attrs)))
        if tag in VOID:
            return
        # Foreign (MathML) elements honour "/>"; HTML elements ignore it, as in an HTML5 parser.
        if self_closing and tag in MATHML:
            self.out.append(f"</{tag}>")
            return
        self.open.append(tag)

    def _close_implied(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._close_within(frozenset({"p"}), _P_BOUNDARY)
        rule = _IMPLIED.get(tag)
        if rule is not None:
            self._close_within(*rule)

    def _close_within(self, targets: frozenset[str], boundary: frozenset[str]) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            name = self.open[index]
            if name in targets:
                self._pop_to(index)
                return
            if name in boundary:
                return

    def _pop_to(self, index: int) -> None:
        while len(self.open) > index:
            self.out.append(f"</{self.open.pop()}>")

    def handle_endtag(self, tag: str) -> None:
        if self.dropping is not None:
            if tag == self.dropping:
                self.drop_depth -= 1
                if self.drop_depth == 0:
                    self.dropping = None
            return
        if tag in VOID or tag not in self.open:
            return
        index = len(self.open) - 1 - self.open[::-1].index(tag)
        self._pop_to(index)

    def handle_data(self, data: str) -> None:
        if self.dropping is None:
            self.out.append(escape_text(_CONTROL.sub("", data)))

    def result(self) -> str:
        self.close()
        self._pop_to(0)
        return "".join(self.out)


# A link to a course file with its query (lib/api/html/content.rb matches "/files" the same way).
_FILE_URL = re.compile(r"(/files/\d+(?:/[A-Za-z_]+)?)\?([^\"'\s<>#]*)")
_READ_FILE_URL = re.compile(r"\A(/courses/\d+)?/files/(\d+)(?:/(?:preview|download))?\Z")


def _strip_verifiers(html: str) -> str:
    """Api#process_incoming_html_content: a pasted ``verifier=`` is a read-side capability,
    never stored (it would let anyone with the HTML read the file)."""

    def strip(match: re.Match[str]) -> str:
        kept = [p for p in match.group(2).split("&") if p and not p.startswith("verifier=")]
        return match.group(1) + ("?" + "&".join(kept) if kept else "")

    return _FILE_URL.sub(strip, html) if "verifier=" in html else html


def sanitize_html(html: str) -> str:
    """What Canvas stores for a page body or assignment description."""
    if not html:
        return ""
    parser = _Sanitizer()
    parser.feed(_strip_verifiers(html.replace("\r\n", "\n").replace("\r", "\n")))
    return parser.result()


def _with_verifier(path: str) -> str:
    """UserContent::FilesHandler (lib/user_content/files_handler.rb): an API reader (not in
    the app) gets each course file link with the file's uuid as ``verifier``."""
    bare, _, query = path.partition("?")
    match = _READ_FILE_URL.match(bare)
    if match is None or "verifier=" in query:
        return path
    verifier = f"verifier={file_uuid(int(match.group(2)))}"
    return f"{bare}?{query}&{verifier}" if query else f"{bare}?{verifier}"


_API_LINKS = (
    (re.compile(r"\A/courses/(\d+)/pages/([^/?#]+)\Z"), "pages/{1}", "Page"),
    (re.compile(r"\A/courses/(\d+)/pages\Z"), "pages", "[Page]"),
    (re.compile(r"\A/courses/(\d+)/assignments/(\d+)\Z"), "assignments/{1}", "Assignment"),
    (re.compile(r"\A/courses/(\d+)/assignments\Z"), "assignments", "[Assignment]"),
    (re.compile(r"\A/courses/(\d+)/modules/(\d+)\Z"), "modules/{1}", "Module"),
    (re.compile(r"\A/courses/(\d+)/modules\Z"), "modules", "[Module]"),
    (re.compile(r"\A/courses/(\d+)/quizzes/(\d+)\Z"), "quizzes/{1}", "Quiz"),
    (
        re.compile(r"\A/courses/(\d+)/discussion_topics/(\d+)\Z"),
        "discussion_topics/{1}",
        "Discussion",
    ),
    (re.compile(r"\A/courses/(\d+)/files/(\d+)(?:/.*)?\Z"), "files/{1}", "File"),
)


def _api_link(base: str, href: str) -> tuple[str, str] | None:
    if not href.startswith(base + "/"):
        return None
    path = re.split(r"[?#]", href[len(base) :], maxsplit=1)[0]
    for pattern, template, returntype in _API_LINKS:
        match = pattern.match(path)
        if match:
            parts = match.groups()
            tail = template.format(*parts)
            return f"{base}/api/v1/courses/{parts[0]}/{tail}", returntype
    return None


class _Rewriter(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        rewritten: list[tuple[str, str]] = []
        for name, raw in attrs:
            value = raw or ""
            if name in ("href", "src") and value.startswith("/") and not value.startswith("//"):
                value = self.base + _with_verifier(value)
            rewritten.append((name, value))
        if tag == "a":
            href = next((v for n, v in rewritten if n == "href"), "")
            target = _api_link(self.base, href)
            if target is not None:
                extra = {"data-api-endpoint": target[0], "data-api-returntype": target[1]}
                rewritten = [(n, v) for n, v in rewritten if n not in extra]
                rewritten += list(extra.items())
        self.out.append(_start_tag(tag, rewritten))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape_text(data))


@lru_cache(maxsize=2048)
def rewrite_outgoing(html: str, base: str) -> str:
    """Api#api_user_content: absolutise root-relative URLs and tag links to Canvas objects."""
    if not html or ('="/' not in html and base not in html):
        return html
    parser = _Rewriter(base)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
