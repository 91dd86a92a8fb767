"""/_sandbox/...: the Sandbox's Python controls over HTTP, for a sandbox in another process.

Not part of Canvas: no authentication, no throttle, not in the request log.

    POST   /_sandbox/reset                      wipe data, faults, throttle state and log
    GET    /_sandbox/requests                   the request log as a JSON list
    DELETE /_sandbox/requests                   clear the log
    POST   /_sandbox/faults                     {"kind": "fail_next", "n": 2, "status": 503}
                                                {"kind": "random_failures", "rate": .1, "seed": 1}
                                                {"kind": "lose_responses", "rate": .5, "seed": 1,
                                                 "mode": "drop"}
                                                {"kind": "lose_next_write", "mode": "502"}
                                                {"kind": "redirect_next", "location": "...",
                                                 "n": 1, "status": 302}
                                                {"kind": "clear"}
    POST   /_sandbox/courses                    {"id": 1, "name": "...", "time_zone": "..."}
    GET    /_sandbox/throttle                   settings plus throttled_count
    POST   /_sandbox/throttle                   {"hwm": 100, ..., "enabled": true}
    POST   /_sandbox/config                     {"latency": 0.1, "manage_sis": false,
                                                 "canvas_version": "old",
                                                 "canonical_url": "http://other:1"}
    POST   /_sandbox/tokens                     {"token": "..."}
    POST   /_sandbox/submissions                {"assignment_id": 5} a student submits
                                                (optional "submission_type")
    GET    /_sandbox/state/<table>?course_id=1  stored rows, deleted ones included
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qs

from .app import App
from .store import TABLES
from .submittables import add_submission
from .throttle import ThrottleConfig
from .wire import Response, dump


class _ControlError(Exception):
    pass


def _respond(data: Any, status: int = 200) -> Response:
    return Response(status, dump(data))


def _json(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _ControlError(f"body must be JSON: {exc}") from None
    if not isinstance(data, dict):
        raise _ControlError("body must be a JSON object")
    return data


def _faults(app: App, spec: dict[str, Any]) -> None:
    kind = spec.get("kind")
    faults = app.faults
    if kind == "fail_next":
        faults.fail_next(int(spec.get("n", 1)), int(spec.get("status", 500)))
    elif kind == "random_failures":
        faults.random_failures(float(spec["rate"]), int(spec["seed"]), int(spec.get("status", 500)))
    elif kind == "lose_responses":
        faults.lose_responses(float(spec["rate"]), int(spec["seed"]), str(spec.get("mode", "drop")))
    elif kind == "lose_next_write":
        faults.lose_next_write(str(spec.get("mode", "drop")))
    elif kind == "redirect_next":
        faults.redirect_next(
            str(spec["location"]), int(spec.get("n", 1)), int(spec.get("status", 302))
        )
    elif kind == "clear":
        faults.clear()
    else:
        raise _ControlError(f"unknown fault kind {kind!r}")


def _throttle_state(app: App) -> dict[str, Any]:
    return {
        **asdict(app.throttle.config),
        "enabled": app.throttle.enabled,
        "throttled_count": app.throttle.throttled_count,
    }


def _set_throttle(app: App, spec: dict[str, Any]) -> None:
    current = asdict(app.throttle.config)
    known = {k: spec[k] for k in current if k in spec}
    current.update(known)
    app.throttle.configure(ThrottleConfig(**current))
    if "enabled" in spec:
        app.throttle.enabled = bool(spec["enabled"])


def _route(app: App, method: str, path: str, query: str, body: bytes) -> Any:
    spec = _json(body) if method in ("POST", "PUT") else {}
    if (method, path) == ("POST", "/_sandbox/reset"):
        app.reset()
    elif (method, path) == ("GET", "/_sandbox/requests"):
        return [entry.as_dict() for entry in app.requests()]
    elif (method, path) == ("DELETE", "/_sandbox/requests"):
        app.clear_requests()
    elif (method, path) == ("POST", "/_sandbox/faults"):
        _faults(app, spec)
    elif (method, path) == ("POST", "/_sandbox/courses"):
        app.store.ensure_course(
            int(spec["id"]),
            str(spec.get("name", "Sandbox Course")),
            str(spec.get("time_zone", "America/Denver")),
        )
    elif (method, path) == ("GET", "/_sandbox/throttle"):
        return _throttle_state(app)
    elif (method, path) == ("POST", "/_sandbox/throttle"):
        _set_throttle(app, spec)
        return _throttle_state(app)
    elif (method, path) == ("POST", "/_sandbox/config"):
        if "latency" in spec:
            app.latency = float(spec["latency"])
        if "manage_sis" in spec:
            app.manage_sis = bool(spec["manage_sis"])
        if "canvas_version" in spec:
            if spec["canvas_version"] not in ("current", "old"):
                raise _ControlError("canvas_version must be current or old")
            app.canvas_version = str(spec["canvas_version"])
        if "canonical_url" in spec:
            value = spec["canonical_url"]
            app.canonical_url = str(value).rstrip("/") if value else None
    elif (method, path) == ("POST", "/_sandbox/tokens"):
        app.add_token(str(spec["token"]))
    elif (method, path) == ("POST", "/_sandbox/submissions"):
        with app.store.transaction(write=True) as conn:
            add_submission(
                conn,
                int(spec["assignment_id"]),
                str(spec.get("submission_type", "online_text_entry")),
            )
    elif method == "GET" and path.startswith("/_sandbox/state/"):
        table = path.rsplit("/", 1)[1]
        if table not in TABLES:
            raise _ControlError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
        course = parse_qs(query).get("course_id", [None])[0]
        return app.store.rows(table, int(course) if course else None)
    else:
        return None
    return {"ok": True}


def handle_control(app: App, method: str, path: str, query: str, body: bytes) -> Response:
    try:
        result = _route(app, method, path.rstrip("/"), query, body)
    except (_ControlError, KeyError, TypeError, ValueError) as exc:
        return _respond({"errors": [{"message": f"bad sandbox control request: {exc}"}]}, 400)
    if result is None:
        return _respond({"errors": [{"message": f"no sandbox control at {method} {path}"}]}, 404)
    return _respond(result)
