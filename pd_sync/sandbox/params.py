"""Request parameters decoded the way Rack and Rails decode them.

Canvas sees `wiki_page[title]=x&include[]=body` as nested hashes and arrays; canvasapi relies on
that, so the sandbox rebuilds the same shape from query strings, form bodies and JSON bodies.
"""

from __future__ import annotations

import json
import re
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import unquote_to_bytes

Params = dict[str, Any]

_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_KEY_HEAD = re.compile(r"\A[\[\]]*([^\[\]]+)\]*")
_MAX_DEPTH = 32

_TRUE = frozenset({"true", "t", "yes", "y", "on", "1"})


class ParamError(ValueError):
    """Malformed request data; Rails answers these with 400 before any controller runs."""


def _decode(component: str) -> str:
    if _BAD_PERCENT.search(component):
        raise ParamError("invalid %-encoding")
    try:
        return unquote_to_bytes(component.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParamError("invalid byte sequence in UTF-8") from exc


def parse_pairs(raw: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for piece in raw.split("&"):
        if not piece:
            continue
        key, _, value = piece.partition("=")
        pairs.append((_decode(key), _decode(value)))
    return pairs


def _assign(target: Params, name: str, value: Any, depth: int = 0) -> None:
    # Mirrors Rack::QueryParser#normalize_params closely enough for what canvasapi sends.
    if depth > _MAX_DEPTH:
        raise ParamError("parameters nested too deeply")
    match = _KEY_HEAD.match(name)
    if match is None:
        return
    key = match.group(1)
    after = name[match.end() :]
    if after in ("", "["):
        target[key] = value
    elif after == "[]":
        current = target.setdefault(key, [])
        if not isinstance(current, list):
            raise ParamError(f"expected Array (got {type(current).__name__}) for param `{key}'")
        current.append(value)
    elif after.startswith("[]"):
        child_key = after[2:]
        current = target.setdefault(key, [])
        if not isinstance(current, list):
            raise ParamError(f"expected Array (got {type(current).__name__}) for param `{key}'")
        head = _KEY_HEAD.match(child_key)
        leaf = head.group(1) if head else child_key
        if current and isinstance(current[-1], dict) and leaf not in current[-1]:
            _assign(current[-1], child_key, value, depth + 1)
        else:
            fresh: Params = {}
            _assign(fresh, child_key, value, depth + 1)
            current.append(fresh)
    else:
        current = target.setdefault(key, {})
        if not isinstance(current, dict):
            raise ParamError(f"expected Hash (got {type(current).__name__}) for param `{key}'")
        _assign(current, after, value, depth + 1)


def parse_query(raw: str) -> Params:
    """Decode a query string or form body; a repeated scalar key keeps its last value (Rack)."""
    params: Params = {}
    for key, value in parse_pairs(raw):
        _assign(params, key, value)
    return params


def parse_body(body: bytes, content_type: str) -> Params:
    if not body:
        return {}
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ParamError("invalid JSON body") from exc
        if not isinstance(data, dict):
            raise ParamError("JSON body must be an object")
        return data
    if kind in ("", "application/x-www-form-urlencoded"):
        try:
            text = body.decode("ascii")
        except UnicodeDecodeError as exc:
            raise ParamError("form body must be URL-encoded ASCII") from exc
        return parse_query(text)
    if kind == "multipart/form-data":
        return _multipart(body, content_type)
    if kind.startswith("multipart/"):
        raise ParamError(f"{kind} bodies are not supported by the sandbox")
    return {}


def _multipart(body: bytes, content_type: str) -> Params:
    """A form upload (Rack::Multipart): text fields as strings, a file part as its bytes."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ParamError("bad multipart body")
    params: Params = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise ParamError("multipart part without a name")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if part.get_filename() is not None:
            _assign(params, name, data)
        else:
            try:
                _assign(params, name, data.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise ParamError("invalid byte sequence in UTF-8") from exc
    return params


def as_str(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise ParamError(f"parameter {name} must be a string")


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    return str(value).strip().lower() in _TRUE


def ruby_to_i(value: Any) -> int:
    """String#to_i: leading digits count, anything else is 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    match = re.match(r"\s*([+-]?\d+)", str(value) if value is not None else "")
    return int(match.group(1)) if match else 0


def as_list(value: Any) -> list[Any]:
    """`Array(params[:x])`: a lone scalar becomes a one-element list; a form hash its values."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]


def as_dict(value: Any, name: str) -> Params:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise ParamError(f"parameter {name} must be a hash")
    return value


def includes(params: Params, key: str = "include") -> set[str]:
    return {str(v) for v in as_list(params.get(key))}
