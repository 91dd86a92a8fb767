"""PURE: text from the curriculum or from Canvas made inert for the place it is shown.

In the GitHub flow a pull request's curriculum is untrusted, and so is what Canvas returns. This
module is the one place that knows how such text could be *interpreted* where pd-sync puts it,
and undoes that; the renderers (``text``, ``markdown_report``, ``html_report``) and the CLI call
it and never escape for a destination themselves.

**Terminal** (``one_line``, ``terminal_line``): C0 and C1 control characters, DEL, the Unicode
bidi controls and line/paragraph separators are shown as Python-style escapes (``\\x1b``,
``\\r``, ``\\n``, ``\\u202e``): an ESC can then start no escape sequence (the rest of the
sequence is plain text after a visible ``\\x1b``), a CR cannot return to column 0 and overwrite
what came before, and a newline inside one value (a title) cannot start an output line. Tabs are
kept inside multi-line text only. pd-sync's own colour codes are added by the CLI afterwards.

**GitHub Actions log** (``workflow_safe_line``). The runner reads each stdout and stderr line of
a step (``StreamReader.ReadLine``: split at LF, CR and CRLF) and tries two parsers (actions/runner
``src/Runner.Common/ActionCommand.cs``, ``src/Runner.Worker/ActionCommandManager.cs``):

- ``TryParseV2``: after ``TrimStart()`` (Unicode white space) the line starts with ``::`` and
  has another ``::`` later: ``::name props::data``;
- ``TryParse`` (the old form): ``##[`` *anywhere* in the line, then ``]``: ``##[name props]data``.

``stop-commands`` is itself such a command. The .NET ``StartsWith``/``IndexOf`` used there are
culture-sensitive, and with ICU a culture comparison skips zero-width ("default ignorable")
characters, so ``\\u200b::error::`` must be treated like ``::error::``. The choice here is
**escaping, line by line**: a ``\\`` goes before the ``::`` that begins a line (after white space
and ignorable characters) and between ``##`` and ``[`` wherever they meet, so neither parser
can match. Not ``::stop-commands::TOKEN`` wrapping: its state is global to the step and shared by
stdout and stderr, whose lines reach the runner in no fixed order, so pd-sync's own
``::add-mask::`` and ``::error`` annotations would be swallowed whenever they fall inside a
wrapped stretch, and a run killed inside one leaves commands off for the rest of the step.
Escaping keeps every line inert on its own. The backslash is ASCII and never ignorable.
pd-sync's own commands are built in ``pd_sync.cli.github`` and never pass through here.

**Markdown** (``markdown_text``, ``markdown_html``, ``markdown_code_line``, ``markdown_url``):
see each function.
**HTML**: ``html.escape`` and the ``nh3`` sanitiser in ``html_report``. **JSON**: ``json_text``.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0, DEL, C1; bidi embeddings/overrides/isolates and marks; line and paragraph separators.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt), which ICU skips when
# comparing; the zero-width space pd-sync inserts in Markdown is one of them.
_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff"
)
_SKIPPED = f"[\\s{_IGNORABLE}]*"
_V2_COMMAND = re.compile(f"^({_SKIPPED})(?=:[{_IGNORABLE}]*:)")  # "::" starts the line
_V1_COMMAND = re.compile(f"(#[{_IGNORABLE}]*#[{_IGNORABLE}]*)\\[")  # "##[" anywhere
_MENTION = re.compile("@(?=[A-Za-z0-9_-])")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ZERO_WIDTH_SPACE = "\u200b"


def _visible(match: re.Match[str]) -> str:
    char = match[0]
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def visible_controls(text: str, keep: str = "") -> str:
    """``text`` with every control character shown as an escape, except those in ``keep``."""
    return _CONTROL.sub(lambda m: m[0] if m[0] in keep else _visible(m), text)


def one_line(value: object) -> str:
    """One value (a title, a name, a field value) for a single output line of any view."""
    return visible_controls(str(value))


def terminal_line(line: str) -> str:
    """A line that carries curriculum or Canvas text, for a terminal (tabs kept)."""
    return visible_controls(line, keep="\t")


def _not_a_command(line: str) -> str:
    line = _V2_COMMAND.sub(lambda m: m[1] + "\\", line, count=1)
    return _V1_COMMAND.sub(lambda m: m[1] + "\\[", line)


def workflow_safe_line(line: str) -> str:
    """A terminal-safe line the Actions runner cannot read as a workflow command."""
    return _not_a_command(terminal_line(line))


def output_line(line: str, github: bool) -> str:
    """A line for stdout/stderr: terminal rules always, workflow-command rules in GitHub mode."""
    return workflow_safe_line(line) if github else terminal_line(line)


def no_mentions(text: str) -> str:
    """``@name`` that GitHub does not turn into a mention (a zero-width space after ``@``)."""
    return _MENTION.sub("@" + _ZERO_WIDTH_SPACE, text)


def markdown_text(value: object) -> str:
    """A value shown literally in Markdown inline text (a list item, a heading, a table cell).

    One line (white space collapsed, so no blank line can end a block); ``&``, ``<`` and ``>``
    as entities, so no HTML and no ``<!--`` marker can appear; Markdown punctuation
    backslash-escaped, ``|`` too, so a table cell cannot split; no ``@`` mentions. ``##[`` cannot
    survive either, as ``[`` is escaped.
    """
    text = html.escape(one_line(" ".join(str(value).split())), quote=False)
    return no_mentions(_MARKDOWN_SPECIAL.sub(r"\\\1", text))


def markdown_html(value: object) -> str:
    """A value inside pd-sync's own HTML in Markdown (``<summary>…</summary>``).

    GitHub reads such a line as an HTML block, which ends at a blank line: white space is
    collapsed so the value cannot end it, and HTML-escaped so it cannot close ``<summary>`` or
    ``<details>``; no mentions (GitHub links them in HTML text too); ``##[`` as ``##&#91;``.
    """
    text = html.escape(one_line(" ".join(str(value).split())), quote=True)
    # The line is printed in a workflow step too: "##[" anywhere would be a command there.
    return no_mentions(_V1_COMMAND.sub(lambda m: m[1] + "&#91;", text))


def markdown_code_line(line: str) -> str:
    """A line inside pd-sync's fenced code block (the diff of a body).

    Inside the fence nothing is markup and mentions are not linked; the fence itself is longer
    than any run of backticks inside. What is left are readers of the raw text: the runner (the
    Markdown is printed on stdout in a workflow step), so workflow-command escaping; and scripts
    that search the raw comment for pd-sync's ``<!-- pd-sync-plan`` marker or count
    ``<details>``, so a zero-width space breaks ``<!--`` and ``<details`` / ``</details``.
    """
    line = workflow_safe_line(line)
    return re.sub(r"<(?=!--|/?details)", "<" + _ZERO_WIDTH_SPACE, line, flags=re.IGNORECASE)


def markdown_url(url: str) -> str | None:
    """An ``http(s)`` address as the destination of a Markdown link pd-sync writes, else None.

    Only absolute http and https addresses with a host: ``javascript:``, ``data:`` and relative
    ones are not linked at all. Everything outside a conservative set of URL characters is
    percent-encoded, so the destination cannot end early (``)``, space, ``<``, ``>``), start
    markup (backticks, ``[``, ``*``, ``_``) or carry controls, and the line stays no workflow
    command (it cannot start with ``::``, and ``[`` is encoded).
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return quote(url.strip(), safe="%/:?#&=+,;!$@-.~")


def comment_text(value: object) -> str:
    """A value inside an HTML comment (pd-sync's marker line): on one line, with no ``--``
    (so neither ``-->`` nor ``--!>`` can end the comment early) and no workflow command."""
    text = one_line(" ".join(str(value).split()))
    return _not_a_command(re.sub("-(?=-)", "- ", text))


def json_text(text: str) -> str:
    """Serialised JSON whose every line the runner ignores.

    ``json.dumps`` already escapes controls (and, with ``ensure_ascii``, every ignorable); with
    ``indent`` every line starts with white space, ``{``, ``}``, ``[`` or ``]`` followed by
    ``"`` or a value, never ``::``. ``##[`` can only be inside a string: ``[`` becomes the
    equivalent ``\\u005b`` there, so the data is unchanged.
    """
    return text.replace("##[", "##\\u005b")
