"""The upload token Canvas and its file service share, when files live on the file service.

``InstFS.upload_preflight_json`` (canvas-lms lib/inst_fs.rb) answers the preflight with
``upload_url`` = ``<app_host>/files?token=<JWT>``: the JWT, signed with the secret Canvas and
inst-fs share, carries what the capture will need (here the pending attachment and
``on_duplicate``), and ``upload_params`` hold only the filename and content type. The sandbox
signs with an HMAC instead of a JWT; what matters is that only it could have made the token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlencode

_SECRET = b"pd-sync sandbox file service"


def _sign(claims: str) -> str:
    return hmac.new(_SECRET, claims.encode("ascii"), hashlib.sha256).hexdigest()


def service_ticket(
    service: str, attachment_id: int, filename: str, content_type: str, on_duplicate: str | None
) -> dict[str, Any]:
    """The preflight's answer: where to POST the bytes, and the two parameters to send."""
    claims = json.dumps(
        {"attachment_id": attachment_id, "on_duplicate": on_duplicate}, separators=(",", ":")
    )
    token = f"{claims.encode('ascii').hex()}.{_sign(claims)}"
    return {
        "upload_url": f"{service}/files?{urlencode({'token': token})}",
        "upload_params": {"filename": filename, "content_type": content_type},
        "file_param": "file",
        "progress": None,
    }


def service_claims(token: str) -> dict[str, Any] | None:
    """The claims of a token ``service_ticket`` signed; None for any other text."""
    data, _, signature = token.partition(".")
    try:
        claims = bytes.fromhex(data).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(_sign(claims), signature):
        return None
    found = json.loads(claims)
    return found if isinstance(found, dict) else None
