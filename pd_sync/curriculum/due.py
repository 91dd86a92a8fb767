"""Reading the curriculum's relative due dates and time zone names, with messages that name the fix.

"Friday of week 4 at 23:59" is checked here at load time; turning it into an absolute date for a
cohort is ``pd_sync.desired.schedule``'s job.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import zoneinfo

from pd_sync.curriculum.excerpt import quoted
from pd_sync.curriculum.model import WEEKDAYS, RelativeDue, Weekday

DUE_FORM = '"<Weekday> of week <N> at <HH:MM>", e.g. "Friday of week 4 at 23:59"'
DEFAULT_DUE_TIME = dt.time(23, 59)

_DUE = re.compile(
    r"(?P<weekday>[a-z]+)\s+of\s+week\s+(?P<week>\d+)"
    r"(?:\s+at\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?",
    re.IGNORECASE,
)


def parse_relative_due(text: str) -> RelativeDue:
    """Parse ``<Weekday> of week <N> [at <HH:MM>]`` (any case; no time means 23:59).

    Raises ``ValueError`` whose message quotes the accepted form, so the loader can show it
    next to the file position as it is.
    """
    match = _DUE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"cannot read due date {quoted(text)}: expected {DUE_FORM}")
    weekday = _weekday(match["weekday"])
    week = int(match["week"])
    if week < 1:
        raise ValueError(f"due date {quoted(text)}: week numbers start at 1; expected {DUE_FORM}")
    time = DEFAULT_DUE_TIME
    if match["hour"] is not None:
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            raise ValueError(
                f"due date {quoted(text)}: {hour}:{minute:02d} is not a time of day "
                f"(00:00 to 23:59); expected {DUE_FORM}"
            )
        time = dt.time(hour, minute)
    return RelativeDue(week=week, weekday=weekday, time=time)


def _weekday(word: str) -> Weekday:
    lowered = word.lower()
    for day in WEEKDAYS:
        if day == lowered:
            return day
    close = difflib.get_close_matches(lowered, WEEKDAYS, n=1)
    hint = f' (did you mean "{close[0].capitalize()}"?)' if close else ""
    raise ValueError(f"{quoted(word)} is not a day of the week{hint}; expected {DUE_FORM}")


@functools.cache
def _zone_names() -> frozenset[str]:
    # Scans the tz database on disk; the answer cannot change while pd-sync runs.
    return frozenset(zoneinfo.available_timezones())


def check_time_zone(name: str) -> str | None:
    """``None`` if ``name`` is an IANA time zone, else a message naming the closest ones."""
    zones = _zone_names()
    if name in zones:
        return None
    if not name.strip():
        return 'time zone is empty; use an IANA name such as "America/Denver"'
    by_lower = {z.lower(): z for z in zones}
    exact_but_case = by_lower.get(name.strip().lower())
    if exact_but_case is not None:
        suggestions = [exact_but_case]
    else:
        # Compare case-insensitively so "america/denvr" still finds "America/Denver".
        close = difflib.get_close_matches(name.strip().lower(), sorted(by_lower), n=3, cutoff=0.6)
        suggestions = [by_lower[c] for c in close]
    if suggestions:
        listed = " or ".join(f'"{s}"' for s in suggestions)
        return f"unknown time zone {quoted(name)}; did you mean {listed}?"
    return f'unknown time zone {quoted(name)}; use an IANA name such as "America/Denver"'
