"""Assignment date handling: Canvas's strict ISO 8601 input, UTC output, and "fancy midnight"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Api::ISO8601_REGEX: seconds are mandatory and a bare date is rejected.
_ISO8601 = re.compile(
    r"\A(?P<date>-?\d{4}-(?:1[0-2]|0[1-9])-(?:3[01]|0[1-9]|[12]\d))"
    r"T(?P<h>2[0-3]|[01]\d):(?P<m>[0-5]\d):(?P<s>60|[0-5]\d)(?P<frac>\.\d+)?"
    r"(?P<tz>Z|[+-](?:2[0-3]|[01]\d)(?::?[0-5]\d)?)?\Z"
)


def zone(name: str) -> ZoneInfo:
    """The course's zone; a name that no longer resolves falls back to UTC rather than fail."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}; use an IANA name like America/Denver"
        ) from None
    return name


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    return timezone(sign * timedelta(minutes=minutes))


def parse_iso8601(value: str, local: ZoneInfo) -> datetime:
    """Parse an API timestamp; a value without an offset is read in the course's time zone.

    Raises ValueError for anything Canvas would answer with "Invalid datetime".
    """
    match = _ISO8601.match(value.strip())
    if match is None:
        raise ValueError(value)
    day = date.fromisoformat(match["date"])
    seconds = min(int(match["s"]), 59)
    micro = int((match["frac"] or ".0")[1:7].ljust(6, "0"))
    moment = time(int(match["h"]), int(match["m"]), seconds, micro)
    tz = _offset(match["tz"]) if match["tz"] else local
    return datetime.combine(day, moment, tzinfo=tz).astimezone(UTC)


def fancy_midnight(moment: datetime, local: ZoneInfo) -> datetime:
    """CanvasTime.fancy_midnight: 00:00 local becomes 23:59:59 the same local day.

    Canvas checks only the hour and minute, so 00:00:30 is moved too.
    """
    here = moment.astimezone(local)
    if here.hour != 0 or here.minute != 0:
        return moment
    end = datetime.combine(here.date(), time(23, 59, 59), tzinfo=local)
    return end.astimezone(UTC)


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
