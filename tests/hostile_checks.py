"""Hostile text, and readers that report what each destination would make of pd-sync's output.

Shared by tests/preview/test_hostile_output.py and tests/cli/test_hostile_cli.py. Each reader is
written from the destination's documented rules, not from pd-sync's code, so a test using it
fails when pd-sync lets text through that the destination would interpret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it import MarkdownIt

# The corpus: each piece is something a destination would act on if printed raw.
COMMAND_LINES = ("::error::x", "  ::warning file=a::b", "##[group]x", "\u200b::notice::z")
TERMINAL = ("a\rb", "\x1b[31mred", "\x1b]0;title\x07", "back\bspace", "\u202eevil")
MARKUP = ("@user", "</details>", "<!-- pd-sync-plan cohort=x -->", "javascript:alert(1)")
FENCE = "```"
HOSTILE_TITLE = (
    "Evil ::error::t\n  ::warning file=a::b ##[group]g \r\x1b[31m\x1b]0;title\x07 "
    "@user </summary></details> <!-- pd-sync-plan cohort=x --> ``` | cell"
)

# -- the GitHub Actions runner -----------------------------------------------------------------
# actions/runner: ProcessInvoker reads each stream with StreamReader.ReadLine (LF, CR, CRLF end a
# line); ActionCommand.TryParseV2: after TrimStart, "::" then a second "::" (command name up to
# the first space); ActionCommand.TryParse: "##[" anywhere, then "]". ActionCommandManager:
# "stop-commands" stops processing until a command named like its data. Stricter than the runner
# on purpose: any command name counts (not only registered ones), and Unicode default-ignorable
# characters are skipped first, as ICU's culture-sensitive StartsWith/IndexOf may do.

_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]"
)


@dataclass(frozen=True)
class Command:
    name: str
    data: str


def _parse(line: str) -> Command | None:
    text = _IGNORABLE.sub("", line)
    trimmed = text.lstrip()
    if trimmed.startswith("::"):
        end = trimmed.find("::", 2)
        if end >= 0:
            return Command(trimmed[2:end].split(" ", 1)[0], trimmed[end + 2 :])
    start = text.find("##[")
    if start >= 0:
        end = text.find("]", start)
        if end >= 0:
            return Command(text[start + 3 : end].split(" ", 1)[0], text[end + 1 :])
    return None


def runner_commands(output: str) -> list[Command]:
    """Every workflow command the runner would act on in ``output`` (one step's log)."""
    found: list[Command] = []
    stop_token: str | None = None
    for line in re.split(r"\r\n|\r|\n", output):
        command = _parse(line)
        if command is None:
            continue
        if stop_token is not None:
            if command.name.lower() == stop_token.lower():
                stop_token = None
            continue
        if command.name.lower() == "stop-commands":
            stop_token = command.data
        found.append(command)
    return found


# -- a terminal --------------------------------------------------------------------------------

_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_OWN_COLOUR = re.compile(r"\x1b\[(?:3[0-7]|9[0-7]|0)m")  # what click.style adds


def terminal_controls(output: str) -> list[str]:
    """Raw control characters (other than LF and TAB) left once pd-sync's colours are removed."""
    return _RAW_CONTROL.findall(_OWN_COLOUR.sub("", output))


# -- GitHub Markdown ---------------------------------------------------------------------------

_OWN_TAGS = re.compile(r"</?(?:details|summary|code|b)>")
_MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")


def markdown_problems(markdown: str, details: int) -> list[str]:
    """What in ``markdown`` GitHub would read as markup pd-sync did not write; ``details``:
    how many ``<details>`` blocks pd-sync wrote (one per change with fields or a diff)."""
    problems = []
    if markdown.count("<!--") != 1 or not markdown.startswith("<!-- pd-sync-plan cohort="):
        problems.append("a second <!-- comment (a fake marker) or no marker on line 1")
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    opened = closed = 0
    for token in tokens:
        if token.type == "html_block":
            for line in token.content.splitlines():
                if line.startswith("<!-- pd-sync-plan") and token.map and token.map[0] == 0:
                    continue
                opened += line.count("<details>")
                closed += line.count("</details>")
                if "<" in _OWN_TAGS.sub("", line):
                    problems.append(f"HTML from content: {line!r}")
                if _MENTION.search(line):
                    problems.append(f"mention in HTML: {line!r}")
        children = token.children or []
        for child in children:
            if child.type == "html_inline":
                problems.append(f"inline HTML: {child.content!r}")
            if child.type == "text" and _MENTION.search(child.content):
                problems.append(f"mention: {child.content!r}")
            if child.type in {"link_open", "image"}:
                problems.append(f"link from content: {child.attrs}")
    if not opened == closed == details:
        problems.append(f"{opened} <details> opened, {closed} closed, {details} expected")
    return problems


def fences(markdown: str) -> list[str]:
    """The contents of the fenced code blocks (where a diff must stay)."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [t.content for t in tokens if t.type == "fence"]


# -- a browser ---------------------------------------------------------------------------------


class _ActiveContent(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.details = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "object", "embed", "img", "form", "base"}:
            self.problems.append(f"<{tag}>")
        self.details += tag == "details"
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            active = name.startswith("on") or url.startswith(("javascript:", "vbscript:", "data:"))
            if active and not (tag == "link" and url == "data:,"):  # pd-sync's empty favicon
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self.details -= tag == "details"
        if self.details < 0:
            self.problems.append("</details> closes one pd-sync did not open")


def html_problems(report: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(report)
    parser.close()
    return parser.problems + ([f"{parser.details} <details> left open"] if parser.details else [])
