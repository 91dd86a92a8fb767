"""Relative due dates + a cohort calendar → aware datetimes, and comparing them with Canvas.

Curriculum dates are relative ("Friday of week 4 at 23:59") so one curriculum serves many
cohorts. A cohort's calendar is its start Monday plus break weeks. Times are wall-clock times in
the cohort's IANA zone: 23:59 stays 23:59 local on both sides of a DST change, and only the UTC
offset moves. Canvas stores and returns UTC at second precision, and turns a local-midnight due
date into 23:59:59 of that day ("fancy midnight", canvas-api.md §0), so equality is defined
here rather than left to ``==``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from pd_sync.curriculum import WEEKDAYS, CohortSpec, RelativeDue, check_time_zone


def _zone(name: str) -> zoneinfo.ZoneInfo:
    problem = check_time_zone(name)
    if problem is not None:
        raise ValueError(problem)
    return zoneinfo.ZoneInfo(name)


def week_monday(cohort: CohortSpec, week: int) -> dt.date:
    """The Monday that starts teaching week ``week`` (1-based) for ``cohort``.

    Week N nominally starts ``7 * (N - 1)`` days after ``start_date``; every break week that
    starts at or before that (already shifted) Monday pushes it one more week. Breaks are taken
    by the week they fall in, so a mid-week date still removes its whole week, and breaks before
    the cohort starts are ignored.
    """
    if week < 1:
        raise ValueError(f"week numbers start at 1, not {week}")
    monday = cohort.start_date + dt.timedelta(weeks=week - 1)
    break_mondays = sorted(
        {b - dt.timedelta(days=b.weekday()) for b in cohort.breaks if b >= cohort.start_date}
    )
    # Ascending order matters: a shift can carry the week onto the next break.
    for break_monday in break_mondays:
        if break_monday <= monday:
            monday += dt.timedelta(weeks=1)
    return monday


def due_datetime(due: RelativeDue, cohort: CohortSpec) -> dt.datetime:
    """When ``due`` falls for ``cohort``: aware, in the cohort's zone, wall time as written.

    A wall time that does not exist (inside a spring-forward gap) or happens twice (in a
    fall-back hour) resolves with ``fold=0``, i.e. the offset in force before the change.
    """
    day = week_monday(cohort, due.week) + dt.timedelta(days=WEEKDAYS.index(due.weekday))
    return dt.datetime.combine(day, due.time, tzinfo=_zone(cohort.time_zone))


def to_canvas_utc(value: dt.datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``, the form Canvas returns; sub-second parts are dropped."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{value!r} has no time zone; pass an aware datetime")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canvas_due_equal(desired: dt.datetime, observed_utc: str | None, time_zone: str) -> bool:
    """Whether Canvas's ``observed_utc`` is what pd-sync would get by sending ``desired``.

    ``time_zone`` is the zone Canvas interprets midnight in (the token user's zone; normally the
    cohort's). Canvas keeps seconds only, and stores a due time of exactly 00:00:00 local as
    23:59:59 of the same local day.
    """
    if observed_utc is None:
        return False
    observed = _parse_canvas_time(observed_utc)
    wanted = to_canvas_utc(desired)
    if to_canvas_utc(observed) == wanted:
        return True
    local = desired.astimezone(_zone(time_zone))
    if (local.hour, local.minute, local.second) != (0, 0, 0):
        return False
    # replace() keeps the wall time and lets the zone pick the offset for the end of that day,
    # which differs from midnight's on a DST-change day.
    fancy = local.replace(hour=23, minute=59, second=59, microsecond=0)
    return to_canvas_utc(observed) == to_canvas_utc(fancy)


def _parse_canvas_time(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(
            f"cannot read Canvas time {text!r}: expected YYYY-MM-DDTHH:MM:SSZ"
        ) from exc
    if value.tzinfo is None:
        raise ValueError(f"Canvas time {text!r} has no UTC offset; expected YYYY-MM-DDTHH:MM:SSZ")
    return value
