"""PURE: Plan → one self-contained HTML report (``pd-sync plan --html FILE``).

No scripts, fonts, images or stylesheets from anywhere: the CSS is inline and a Content Security
Policy forbids every load. Everything from Canvas or the curriculum is escaped; page bodies and
assignment descriptions are shown *rendered*, old and new side by side, after ``nh3`` (the
ammonia sanitiser) reduced them to text-level markup — no scripts, no styles, no images, frames
or media — so the report cannot run or fetch anything a page body holds.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from collections.abc import Mapping

import nh3

from pd_sync.plan import Action, CreateFile, Plan, UpdateFile, object_type_of
from pd_sync.preview.inert import one_line, visible_controls
from pd_sync.preview.text import (
    action_diff,
    bodies,
    counts_by_type,
    field_changes,
    is_drift,
    prune_line,
    summary_counts,
    summary_line,
    target_line,
)

_SYMBOLS = (("+", "create"), ("~", "update"), ("-", "delete"), ("!", "review"))
_KIND = dict(_SYMBOLS)
_TAG_NAMES = """a abbr b blockquote br caption cite code col colgroup dd del details div dl dt em
    figcaption figure h1 h2 h3 h4 h5 h6 hr i ins kbd li mark ol p pre q s samp small span strike
    strong sub summary sup table tbody td tfoot th thead tr u ul"""
_SAFE_TAGS = frozenset(_TAG_NAMES.split())
_SAFE_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"lang", "dir"},
}
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"

_CSS = """
:root { color-scheme: light; --add: #e6ffec; --del: #ffebe9; --line: #d0d7de; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
  max-width: 1200px; padding: 1.5rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 0; }
.meta, .prune, .reason, .note { color: #57606a; margin: .25rem 0; }
.target { font-weight: 600; margin: .25rem 0; }
table { border-collapse: collapse; margin: .75rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .6rem; text-align: left;
  vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.action { border: 1px solid var(--line); border-left: 6px solid #8c959f; border-radius: 6px;
  margin: 1rem 0; padding: .75rem 1rem; }
.action.create { border-left-color: #1a7f37; }
.action.update { border-left-color: #9a6700; }
.action.delete { border-left-color: #cf222e; }
.action.review { border-left-color: #8250df; }
.symbol { font-family: ui-monospace, monospace; font-weight: bold; }
.type { color: #57606a; font-weight: normal; }
.badge { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 1em; font-size: .8rem;
  padding: 0 .5em; }
.compare { display: grid; gap: 1rem; grid-template-columns: 1fr 1fr; margin-top: .75rem; }
.compare figure { margin: 0; min-width: 0; }
.compare figcaption { font-weight: 600; margin-bottom: .25rem; }
.rendering { border: 1px solid var(--line); border-radius: 4px; overflow: auto; padding: .5rem 1rem;
  max-height: 32rem; }
.rendering.old { background: #fbfbfc; }
.rendering.empty { color: #57606a; font-style: italic; }
.picture { max-width: 100%; height: auto; }
pre.diff { background: #f6f8fa; overflow: auto; padding: .5rem; }
pre.diff .add { background: var(--add); display: block; }
pre.diff .del { background: var(--del); display: block; }
nav ol { columns: 2; }
"""


def sanitise(body: str) -> str:
    """A page body reduced to markup that can neither run nor load anything, and with its
    control characters (ESC, bidi overrides that would reorder the text shown) as escapes."""
    clean = nh3.clean(
        body,
        tags=_SAFE_TAGS,
        attributes=_SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return visible_controls(clean, keep="\n\t")


def _e(text: object) -> str:
    """Text in an element or a quoted attribute; controls shown as escapes, as in the terminal."""
    return html.escape(one_line(text), quote=True)


def _counts_table(plan: Plan) -> str:
    head = "".join(f"<th>{_e(symbol)} {name}</th>" for symbol, name in _SYMBOLS)
    rows = [
        f"<tr><th scope='row'>{_e(kind)}</th>"
        + "".join(f"<td class='n'>{counts[s]}</td>" for s, _ in _SYMBOLS)
        + "</tr>"
        for kind, counts in counts_by_type(plan)
    ]
    total = summary_counts(plan)
    rows.append(
        "<tr><th scope='row'>total</th>"
        + "".join(f"<td class='n'><b>{total[s]}</b></td>" for s, _ in _SYMBOLS)
        + "</tr>"
    )
    return (
        "<table class='counts'><thead><tr><th>object type</th>"
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _fields_table(action: Action, time_zone: str) -> str:
    changes = field_changes(action, time_zone)
    if not changes:
        return ""
    rows = "".join(
        f"<tr><th scope='row'>{_e(name)}</th><td>{_e(old)}</td><td>{_e(new)}</td></tr>"
        for name, old, new in changes
    )
    return (
        "<table class='fields'><thead><tr><th>field</th><th>in Canvas</th>"
        f"<th>after apply</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _rendering(body: str | None, side: str, empty: str) -> str:
    if body is None:
        return f"<div class='rendering {side} empty'>{_e(empty)}</div>"
    return f"<div class='rendering {side}'>{sanitise(body)}</div>"


def _compare(action: Action) -> str:
    pair = bodies(action)
    if pair is None:
        return ""
    old, new = pair
    what = "page" if object_type_of(action) == "page" else "description"
    return (
        "<div class='compare'>"
        f"<figure><figcaption>In Canvas now</figcaption>"
        f"{_rendering(old, 'old', f'(no {what} in Canvas yet)')}</figure>"
        f"<figure><figcaption>After apply</figcaption>{_rendering(new, 'new', '')}</figure>"
        "</div>"
    )


_RASTER = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def _picture(data: bytes | None, content_type: str, side: str, empty: str) -> str:
    if data is None:
        return f"<div class='rendering {side} empty'>{_e(empty)}</div>"
    uri = f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
    return f"<div class='rendering {side}'><img src='{uri}' alt='' class='picture'></div>"


def _compare_images(action: Action, files: Mapping[str, bytes]) -> str:
    if not isinstance(action, CreateFile | UpdateFile):
        return ""
    content_type = mimetypes.guess_type(action.path)[0] or ""
    if content_type not in _RASTER:
        return ""
    old = files.get(f"file:{action.file_id}") if isinstance(action, UpdateFile) else None
    new = files.get(action.digest)
    if new is None:
        return ""
    before = "(not in Canvas yet)" if isinstance(action, CreateFile) else "(not downloaded)"
    return (
        "<div class='compare'>"
        f"<figure><figcaption>In Canvas now</figcaption>"
        f"{_picture(old, content_type, 'old', before)}</figure>"
        f"<figure><figcaption>After apply</figcaption>"
        f"{_picture(new, content_type, 'new', '')}</figure>"
        "</div>"
    )


def _diff(action: Action) -> str:
    lines = action_diff(action)
    if not lines:
        return ""
    shown = []
    for line in lines:
        kind = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
        if line.startswith(("+++", "---")):
            kind = ""
        shown.append(f"<span class='{kind}'>{_e(line)}</span>" if kind else _e(line))
    text = "\n".join(shown)
    return f"<details><summary>Text diff</summary><pre class='diff'>{text}</pre></details>"


def _section(number: int, action: Action, time_zone: str, files: Mapping[str, bytes]) -> str:
    badge = " <span class='badge'>drift: edited in Canvas</span>" if is_drift(action) else ""
    return (
        f"<section class='action {_KIND[action.symbol]}' id='change-{number}'>"
        f"<h2><span class='symbol'>{_e(action.symbol)}</span> "
        f"<span class='type'>{_e(object_type_of(action))}</span> "
        f"<span class='name'>{_e(action.name)}</span>{badge}</h2>"
        f"<p class='reason'>{_e(getattr(action, 'reason', ''))}</p>"
        f"{_fields_table(action, time_zone)}{_compare(action)}{_compare_images(action, files)}"
        f"{_diff(action)}"
        "</section>"
    )


def render_html(plan: Plan, cohort: str, files: Mapping[str, bytes] | None = None) -> str:
    """The whole report as one HTML document; ``files`` as the module docstring says."""
    files = files or {}
    title = f"pd-sync plan: cohort {cohort} (Canvas course {plan.course_id})"
    index = "".join(
        f"<li><a href='#change-{n}'>{_e(a.symbol)} {_e(object_type_of(a))} {_e(a.name)}</a></li>"
        for n, a in enumerate(plan.actions, 1)
    )
    sections = "\n".join(
        _section(n, a, plan.time_zone, files) for n, a in enumerate(plan.actions, 1)
    )
    body = [
        f"<header><h1>{_e(title)}</h1>",
        f"<p class='target'>{_e(target_line(plan))}</p>",
        f"<p class='meta'>Times in {_e(plan.time_zone)}. {len(plan.writes)} writes on apply.</p>",
        f"<p class='prune'>{_e(prune_line(plan))}</p>",
        f"<p class='summary'><b>{_e(summary_line(plan))}</b></p>"
        + "".join(f"<p class='note'>Note: {_e(note)}</p>" for note in plan.notes)
        + "</header>",
    ]
    if plan.actions:
        body += [
            _counts_table(plan),
            f"<nav><h2>Changes</h2><ol>{index}</ol></nav>",
            f"<main>\n{sections}\n</main>",
            "<p class='note'>Renderings omit scripts, styles, images and embedded media; "
            "changed image files are shown as they are.</p>",
        ]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{_CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<link rel='icon' href='data:,'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
