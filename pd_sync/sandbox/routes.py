"""The /api/v1 route table, assembled from each resource module."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from . import (
    assignment_groups,
    assignments,
    courses,
    files,
    groups,
    module_items,
    modules,
    pages,
)
from .wire import Response

Handler = Callable[..., Response]

_TABLE: dict[str, list[tuple[re.Pattern[str], Handler]]] = {}
for _module in (
    courses,
    pages,
    assignments,
    assignment_groups,
    groups,
    modules,
    module_items,
    files,
):
    for _method, _pattern, _handler in _module.ROUTES:
        _TABLE.setdefault(_method, []).append((re.compile(f"/api/v1{_pattern}"), _handler))


def needs_token(handler: Handler) -> bool:
    """Whether a route authenticates by token (all but the upload's second and third steps)."""
    return handler not in files.OPEN


def resolve(method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
    """Match the raw (still percent-encoded) path, then decode each captured segment."""
    for pattern, handler in _TABLE.get(method, ()):
        match = pattern.fullmatch(path)
        if match:
            return handler, {k: unquote(v) for k, v in match.groupdict().items()}
    return None
