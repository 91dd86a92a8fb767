"""Relative due dates, cohort calendars, DST, and comparing with what Canvas stores."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pd_sync.curriculum import WEEKDAYS, CohortSpec, RelativeDue
from pd_sync.curriculum.due import DUE_FORM, check_time_zone, parse_relative_due
from pd_sync.desired.schedule import canvas_due_equal, due_datetime, to_canvas_utc, week_monday

DENVER = "America/Denver"


def cohort(start: dt.date, breaks: tuple[dt.date, ...] = (), zone: str = DENVER) -> CohortSpec:
    return CohortSpec(name="c", course_id=1, start_date=start, time_zone=zone, breaks=breaks)


# --- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Friday of week 4 at 23:59", RelativeDue(4, "friday", dt.time(23, 59))),
        ("friday OF Week 4 AT 17:00", RelativeDue(4, "friday", dt.time(17, 0))),
        ("  Monday  of  week 12 at 9:05 ", RelativeDue(12, "monday", dt.time(9, 5))),
        ("Sunday of week 1", RelativeDue(1, "sunday", dt.time(23, 59))),
        ("Wednesday of week 2 at 00:00", RelativeDue(2, "wednesday", dt.time(0, 0))),
    ],
)
def test_parse_relative_due(text: str, expected: RelativeDue) -> None:
    assert parse_relative_due(text) == expected


@given(st.integers(1, 52), st.sampled_from(WEEKDAYS), st.integers(0, 23), st.integers(0, 59))
def test_parse_reads_what_relative_due_prints(week: int, day: str, hour: int, minute: int) -> None:
    due = RelativeDue(week, day, dt.time(hour, minute))  # type: ignore[arg-type]
    assert parse_relative_due(str(due)) == due


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "cannot read due date"),
        ("Week 4 Friday 17:00", "cannot read due date"),
        ("EOD Friday of week 4", "cannot read due date"),
        ("Friday of week 4 at 5pm", "cannot read due date"),
        ("Fryday of week 4", 'did you mean "Friday"?'),
        ("Xyzzy of week 4", "'Xyzzy' is not a day of the week;"),
        ("Friday of week 0", "week numbers start at 1"),
        ("Friday of week 4 at 24:00", "24:00 is not a time of day"),
        ("Friday of week 4 at 12:60", "12:60 is not a time of day"),
    ],
)
def test_parse_errors_name_the_accepted_form(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_relative_due(text)
    assert fragment in str(raised.value)
    assert str(raised.value).endswith(f"expected {DUE_FORM}")
    assert DUE_FORM == '"<Weekday> of week <N> at <HH:MM>", e.g. "Friday of week 4 at 23:59"'


# --- time zones --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [DENVER, "UTC", "Europe/London", "America/Argentina/Cordoba"])
def test_valid_time_zones(name: str) -> None:
    assert check_time_zone(name) is None


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("america/denver", '"America/Denver"'),
        ("America/Denvr", '"America/Denver"'),
        ("Europe/Londn", '"Europe/London"'),
    ],
)
def test_misspelt_time_zone_gets_a_suggestion(name: str, suggestion: str) -> None:
    message = check_time_zone(name)
    assert message is not None
    assert message.startswith(f"unknown time zone {name!r}; did you mean ")
    assert suggestion in message


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons_Base", "", "   "])
def test_hopeless_time_zone_points_at_iana_names(name: str) -> None:
    message = check_time_zone(name)
    assert message is not None and "IANA" in message


# --- calendar ----------------------------------------------------------------------------------

START = dt.date(2026, 1, 5)  # a Monday


def test_weeks_follow_the_start_monday() -> None:
    assert [week_monday(cohort(START), w) for w in (1, 2, 5)] == [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 12),
        dt.date(2026, 2, 2),
    ]


def test_a_break_pushes_that_week_and_all_later_weeks() -> None:
    c = cohort(START, breaks=(dt.date(2026, 1, 19),))
    assert [week_monday(c, w) for w in (1, 2, 3, 4)] == [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 26),
        dt.date(2026, 2, 2),
    ]


def test_consecutive_breaks_stack() -> None:
    c = cohort(START, breaks=(dt.date(2026, 1, 26), dt.date(2026, 1, 19)))
    assert week_monday(c, 2) == dt.date(2026, 1, 12)
    assert week_monday(c, 3) == dt.date(2026, 2, 2)


def test_breaks_before_the_start_are_ignored_and_midweek_dates_count_for_their_week() -> None:
    c = cohort(START, breaks=(dt.date(2025, 12, 22), dt.date(2026, 1, 14)))
    assert week_monday(c, 1) == dt.date(2026, 1, 5)
    assert week_monday(c, 2) == dt.date(2026, 1, 19)


def test_week_zero_is_rejected() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        week_monday(cohort(START), 0)


def test_weekdays_run_monday_to_sunday_within_a_week() -> None:
    c = cohort(START)
    days = [due_datetime(RelativeDue(1, d, dt.time(12, 0)), c).date() for d in WEEKDAYS]
    assert days[0] == START
    assert days[-1] == START + dt.timedelta(days=6)
    assert days == sorted(days) and len(set(days)) == 7
    sunday_week1 = due_datetime(RelativeDue(1, "sunday", dt.time(23, 59)), c)
    monday_week2 = due_datetime(RelativeDue(2, "monday", dt.time(0, 0)), c)
    assert sunday_week1 < monday_week2


# --- DST ---------------------------------------------------------------------------------------


def test_spring_forward_keeps_local_wall_time() -> None:
    c = cohort(dt.date(2026, 2, 16))  # DST starts Sunday 2026-03-08 in Denver
    week1 = due_datetime(RelativeDue(1, "friday", dt.time(23, 59)), c)
    week4 = due_datetime(RelativeDue(4, "friday", dt.time(23, 59)), c)
    assert (week1.date(), week1.time()) == (dt.date(2026, 2, 20), dt.time(23, 59))
    assert (week4.date(), week4.time()) == (dt.date(2026, 3, 13), dt.time(23, 59))
    assert week1.utcoffset() == dt.timedelta(hours=-7)
    assert week4.utcoffset() == dt.timedelta(hours=-6)
    assert to_canvas_utc(week1) == "2026-02-21T06:59:00Z"
    assert to_canvas_utc(week4) == "2026-03-14T05:59:00Z"


def test_fall_back_keeps_local_wall_time() -> None:
    c = cohort(dt.date(2026, 10, 12))  # DST ends Sunday 2026-11-01 in Denver
    week1 = due_datetime(RelativeDue(1, "friday", dt.time(23, 59)), c)
    week4 = due_datetime(RelativeDue(4, "friday", dt.time(23, 59)), c)
    assert to_canvas_utc(week1) == "2026-10-17T05:59:00Z"
    assert to_canvas_utc(week4) == "2026-11-07T06:59:00Z"


def test_due_in_a_zone_without_dst() -> None:
    c = cohort(dt.date(2026, 2, 16), zone="America/Phoenix")
    week4 = due_datetime(RelativeDue(4, "friday", dt.time(23, 59)), c)
    assert to_canvas_utc(week4) == "2026-03-14T06:59:00Z"


def test_unknown_cohort_zone_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="did you mean"):
        due_datetime(RelativeDue(1, "friday", dt.time(23, 59)), cohort(START, zone="America/Denvr"))


@given(
    st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)).map(
        lambda d: d - dt.timedelta(days=d.weekday())
    ),
    st.integers(1, 20),
    st.sampled_from(WEEKDAYS),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.sampled_from([DENVER, "Europe/Berlin", "Australia/Sydney", "UTC", "America/Phoenix"]),
)
def test_due_datetime_keeps_weekday_and_wall_time_and_round_trips_through_canvas(
    start: dt.date, week: int, day: str, time: dt.time, zone: str
) -> None:
    due = RelativeDue(week, day, time)  # type: ignore[arg-type]
    moment = due_datetime(due, cohort(start, zone=zone))
    assert moment.tzinfo == ZoneInfo(zone)
    assert moment.weekday() == WEEKDAYS.index(due.weekday)
    assert moment.date() == start + dt.timedelta(weeks=week - 1, days=moment.weekday())
    assert moment.time() == time
    assert canvas_due_equal(moment, to_canvas_utc(moment), zone)


# --- talking to Canvas -------------------------------------------------------------------------


def test_to_canvas_utc_drops_fractions_and_needs_a_zone() -> None:
    moment = dt.datetime(2026, 3, 13, 23, 59, 30, 999_999, tzinfo=ZoneInfo(DENVER))
    assert to_canvas_utc(moment) == "2026-03-14T05:59:30Z"
    with pytest.raises(ValueError, match="no time zone"):
        to_canvas_utc(dt.datetime(2026, 3, 13, 23, 59))


def test_canvas_due_equal_exact_and_missing() -> None:
    desired = dt.datetime(2026, 3, 13, 23, 59, tzinfo=ZoneInfo(DENVER))
    assert canvas_due_equal(desired, "2026-03-14T05:59:00Z", DENVER)
    assert canvas_due_equal(desired, "2026-03-13T23:59:00-06:00", DENVER)
    assert not canvas_due_equal(desired, "2026-03-14T06:59:00Z", DENVER)
    assert not canvas_due_equal(desired, None, DENVER)


def test_fancy_midnight_is_not_a_difference() -> None:
    midnight = dt.datetime(2026, 3, 16, 0, 0, tzinfo=ZoneInfo(DENVER))
    assert canvas_due_equal(midnight, "2026-03-16T06:00:00Z", DENVER)  # stored as sent
    assert canvas_due_equal(midnight, "2026-03-17T05:59:59Z", DENVER)  # 23:59:59 local
    assert not canvas_due_equal(midnight, "2026-03-16T05:59:59Z", DENVER)  # the day before


def test_fancy_midnight_on_the_day_dst_starts() -> None:
    midnight = dt.datetime(2026, 3, 8, 0, 0, tzinfo=ZoneInfo(DENVER))  # MST; 23:59:59 is MDT
    assert canvas_due_equal(midnight, "2026-03-09T05:59:59Z", DENVER)
    assert not canvas_due_equal(midnight, "2026-03-09T06:59:59Z", DENVER)


def test_fancy_midnight_uses_the_given_zone() -> None:
    midnight_utc = dt.datetime(2026, 3, 16, 0, 0, tzinfo=dt.UTC)
    assert canvas_due_equal(midnight_utc, "2026-03-16T23:59:59Z", "UTC")
    assert not canvas_due_equal(midnight_utc, "2026-03-16T23:59:59Z", DENVER)


def test_only_midnight_is_fancy() -> None:
    noon = dt.datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo(DENVER))
    assert not canvas_due_equal(noon, "2026-03-17T05:59:59Z", DENVER)


def test_unreadable_canvas_time_is_an_error() -> None:
    desired = dt.datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo(DENVER))
    with pytest.raises(ValueError, match="cannot read Canvas time"):
        canvas_due_equal(desired, "next friday", DENVER)
