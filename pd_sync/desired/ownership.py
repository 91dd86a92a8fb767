"""The ownership record: how pd-sync proves, in the course itself, which objects it made.

A marker in a page's HTML says which curriculum key the page is for, but anyone can copy it; a
module, an assignment group or a group set carries no HTML at all. So pd-sync also keeps a
record of the Canvas ids it created, in unpublished pages titled ``RECORD_TITLE`` whose body
holds one ``<div data-pd-sync-record="…">`` with the record as JSON (Canvas's sanitiser keeps
``data-*`` attributes; HTML comments it would strip). The pages list that every sync already
reads (with bodies) carries the record, so a no-op sync spends no extra request on it.

Record pages are written only by the run that creates them and, once finished, never changed;
a run that records something writes a new page holding the union of every record page it read
plus its own additions, then deletes the pages it read. Two concurrent runs therefore never
lose each other's entries: at worst two record pages remain, and the record is their union.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from html.parser import HTMLParser

from pd_sync.desired.state import OwnershipRecord

RECORD_ATTR = "data-pd-sync-record"
FORMAT = 1

PAGE = "page"
ASSIGNMENT = "assignment"
ASSIGNMENT_GROUP = "assignment group"
GROUP_SET = "group set"
GROUP = "group"
MODULE = "module"
MODULE_ITEM = "module item"
FILE = "file"
KINDS = (PAGE, ASSIGNMENT, ASSIGNMENT_GROUP, GROUP_SET, GROUP, MODULE, MODULE_ITEM, FILE)

_EXPLANATION = (
    "pd-sync keeps this page to remember which objects of this course it made, so that it "
    "never changes or deletes anything made by hand. Leave it unpublished; do not edit or "
    "delete it."
)


def record_html(
    ids: Iterable[tuple[str, int]],
    pending: Iterable[tuple[str, str]],
    files: Iterable[tuple[int, str, str]] = (),
) -> str:
    """The body of a record page holding ``ids``, ``pending`` and the uploaded ``files``
    (sorted, so bytes are stable).

    Canvas's file JSON carries no checksum, so the digest of what pd-sync uploaded is kept
    here, by file id: ``"files": {"42": ["images/x.png", "sha256:…"]}``. A reader of an older
    pd-sync ignores the key; a file whose entry is missing is simply uploaded again.
    """
    by_kind: dict[str, set[int]] = {}
    for kind, object_id in ids:
        by_kind.setdefault(kind, set()).add(object_id)
    data: dict[str, object] = {
        "format": FORMAT,
        "ids": {kind: sorted(values) for kind, values in sorted(by_kind.items())},
        "pending": sorted([kind, name] for kind, name in set(pending)),
    }
    uploaded = sorted(set(files))
    if uploaded:
        data["files"] = {str(i): [path, digest] for i, path, digest in uploaded}
    payload = html.escape(json.dumps(data, separators=(",", ":"), sort_keys=True), quote=True)
    return f'<div {RECORD_ATTR}="{payload}"><p>{html.escape(_EXPLANATION)}</p></div>'


class _RecordFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.payload: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == RECORD_ATTR and value is not None and self.payload is None:
                self.payload = value


def read_record(body: str | None) -> OwnershipRecord | None:
    """The record a page body holds, or None when it is not a (readable) record page."""
    if not body or RECORD_ATTR not in body:
        return None
    finder = _RecordFinder()
    finder.feed(body)
    finder.close()
    if finder.payload is None:
        return None
    try:
        data = json.loads(finder.payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    ids: set[tuple[str, int]] = set()
    raw_ids = data.get("ids")
    if isinstance(raw_ids, dict):
        for kind, values in raw_ids.items():
            if kind in KINDS and isinstance(values, list):
                ids.update((kind, v) for v in values if isinstance(v, int))
    pending: set[tuple[str, str]] = set()
    raw_pending = data.get("pending")
    if isinstance(raw_pending, list):
        for entry in raw_pending:
            if (
                isinstance(entry, list)
                and len(entry) == 2
                and entry[0] in KINDS
                and isinstance(entry[1], str)
            ):
                pending.add((entry[0], entry[1]))
    return OwnershipRecord(ids=frozenset(ids), pending=frozenset(pending), files=_files(data))


def _files(data: dict[str, object]) -> frozenset[tuple[int, str, str]]:
    raw = data.get("files")
    found: set[tuple[int, str, str]] = set()
    if isinstance(raw, dict):
        for key, entry in raw.items():
            if (
                isinstance(key, str)
                and key.isdigit()
                and isinstance(entry, list)
                and len(entry) == 2
                and all(isinstance(e, str) for e in entry)
            ):
                found.add((int(key), entry[0], entry[1]))
    return frozenset(found)


def merge_records(records: Iterable[tuple[str, OwnershipRecord]]) -> OwnershipRecord:
    """The union of the record pages read, remembering each page's URL (to supersede it)."""
    ids: set[tuple[str, int]] = set()
    pending: set[tuple[str, str]] = set()
    files: set[tuple[int, str, str]] = set()
    urls: list[str] = []
    for url, record in records:
        ids |= record.ids
        pending |= record.pending
        files |= record.files
        urls.append(url)
    return OwnershipRecord(
        frozenset(ids), frozenset(pending), tuple(sorted(urls)), frozenset(files)
    )
