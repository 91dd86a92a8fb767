"""The one place that decides what a failed Canvas call means, and which permission a write needs.

canvasapi raises its own exception classes (and lets requests' through); ``classify`` maps each to
the error tree: transient (``CanvasUnavailableError``, retried by policy) or final.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

import requests
from canvasapi import exceptions as cx

from pd_sync.errors import (
    CanvasAuthError,
    CanvasNotFoundError,
    CanvasPermissionError,
    CanvasRejectedError,
    CanvasUnavailableError,
    CanvasUnreachableError,
)

# Canvas's role permissions (name in the role editor, and its key) each write needs; a 403 that
# is not throttling names the one that was missing.
PAGES_CREATE = '"Pages - create" (manage_wiki_create)'
PAGES_UPDATE = '"Pages - update" (manage_wiki_update)'
PAGES_DELETE = '"Pages - delete" (manage_wiki_delete)'
ASSIGNMENTS_ADD = '"Assignments and Quizzes - add" (manage_assignments_add)'
ASSIGNMENTS_EDIT = '"Assignments and Quizzes - edit" (manage_assignments_edit)'
ASSIGNMENTS_DELETE = '"Assignments and Quizzes - delete" (manage_assignments_delete)'
GROUPS_ADD = '"Groups - add" (manage_groups_add)'
GROUPS_MANAGE = '"Groups - manage" (manage_groups_manage)'
GROUPS_DELETE = '"Groups - delete" (manage_groups_delete)'
CONTENT_ADD = '"Course Content - add" (manage_course_content_add)'
CONTENT_EDIT = '"Course Content - edit" (manage_course_content_edit)'
CONTENT_DELETE = '"Course Content - delete" (manage_course_content_delete)'


_CONTENT_GONE = ("invalid page_url parameter", "Could not find content")


def classify(error: BaseException, what: str, url: str, needs: str | None = None) -> Exception:
    """The one place that decides what a failure means: transient (retry) or final (report).

    Returns a ``CanvasUnavailableError`` (transient: 5xx, network, timeouts, throttling) or a
    final ``CanvasError``; anything unrecognised is returned unchanged (a bug, shown with
    ``--debug``). ``unknown`` on the transient error says a write may have happened. Only what
    can succeed on a later try is transient: a host name that does not resolve, or a refused
    connection to this machine's own loopback (nothing listens on that port), is final.
    """
    if isinstance(error, cx.RateLimitExceeded) or (
        isinstance(error, cx.Forbidden) and "Rate Limit Exceeded" in str(error)
    ):
        return CanvasUnavailableError(
            f"Canvas throttled {what}", throttled=True, what=what, cause="throttling"
        )
    if isinstance(error, cx.InvalidAccessToken):
        return CanvasAuthError(
            f"the token was rejected by Canvas at {url} (check CANVAS_API_TOKEN or --token-file)"
        )
    if isinstance(error, cx.Unauthorized | cx.Forbidden):
        permission = f"the {needs} permission" if needs else "the permission for it"
        return CanvasPermissionError(
            f"Canvas refused to {what}: the token's user lacks {permission} in this course "
            "(the Teacher role has it by default; ask a Canvas admin to grant it or use a "
            "teacher's token)"
        )
    if isinstance(error, cx.ResourceDoesNotExist):
        return CanvasNotFoundError(
            f"{what}: not found in Canvas at {url}, or not visible to this token"
        )
    if isinstance(error, cx.BadRequest) and any(m in str(error) for m in _CONTENT_GONE):
        # context_module_items_api_controller.rb#create answers 400, not 404, when the page or
        # assignment a new item points at does not exist: it was deleted since the plan.
        return CanvasNotFoundError(f"{what}: what the item points at is gone from Canvas")
    if isinstance(error, cx.BadRequest | cx.Conflict | cx.UnprocessableEntity):
        return CanvasRejectedError(f"Canvas rejected {what}: {_short(str(error))}")
    if isinstance(error, cx.CanvasException):
        status = _STATUS.search(str(error))
        return CanvasUnavailableError(
            f"Canvas failed to {what}: {_short(str(error))}",
            unknown=True,
            what=what,
            cause=status.group(1) if status else "an error",
        )
    if isinstance(error, requests.Timeout):
        return CanvasUnavailableError(
            f"{what}: no answer from {url} in time", unknown=True, what=what, cause="a timeout"
        )
    if isinstance(error, requests.ConnectionError):
        final = _unreachable(error, url)
        if final is not None:
            return CanvasUnreachableError(f"cannot {what}: {final}")
        return CanvasUnavailableError(
            f"{what}: could not reach {url} ({type(error).__name__})",
            unknown=True,
            what=what,
            cause="a lost connection",
        )
    if isinstance(error, requests.RequestException):
        return CanvasUnavailableError(
            f"{what}: request to {url} failed ({type(error).__name__})",
            what=what,
            cause=type(error).__name__,
        )
    return error  # type: ignore[return-value]


_STATUS = re.compile(r"status code (\d{3})")


def _unreachable(error: requests.ConnectionError, url: str) -> str | None:
    """Why no retry can reach ``url``, or None when one might.

    requests wraps urllib3's error, which keeps the socket error as its cause: a ``gaierror``
    (the name does not resolve) or ``ConnectionRefusedError`` (nothing listens on the port; on
    loopback no restart is coming from the network side, so it is final there).
    """
    host = urlsplit(url).hostname or url
    causes: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and len(causes) < 10:
        causes.append(seen)
        reason = getattr(seen, "reason", None)
        nested = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = reason if isinstance(reason, BaseException) else (seen.__cause__ or nested)
    if any(isinstance(c, socket.gaierror) for c in causes):
        return (
            f"the host name {host} does not resolve (check --url / CANVAS_API_URL for a typo, "
            "and the network or VPN)"
        )
    if any(isinstance(c, ConnectionRefusedError) for c in causes) and _is_loopback(host):
        return (
            f"nothing is listening at {url} (connection refused; check the port in --url / "
            "CANVAS_API_URL, or start the sandbox with `pd-sync sandbox serve`)"
        )
    return None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
