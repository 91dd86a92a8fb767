"""Reliability under faults, judged by the sandbox's stored state (never by the client's word).

Run with ``python -m pytest tests/reliability -q -s`` to see the per-seed figures.
"""

from __future__ import annotations

import functools
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pd_sync.apply import ApplyReport
from pd_sync.canvas import RetryPolicy, connect
from pd_sync.cli import cli
from pd_sync.curriculum import Program, is_reserved_title, load_curriculum
from pd_sync.desired import CourseState, build_desired
from pd_sync.sandbox import Sandbox
from pd_sync.sync import apply_course, plan_course
from tests.sync.conftest import active

ROOT = Path(__file__).resolve().parents[2]
CURRICULUM = str(ROOT / "curriculum")
NO_WAIT = RetryPolicy(sleep=lambda s: None, jitter=random.Random(0))


@pytest.fixture(scope="module")
def program() -> Program:
    return load_curriculum(CURRICULUM)


def _reset(sb: Sandbox, course_id: int, name: str, time_zone: str) -> None:
    """What the ``sandbox`` fixture does before a test, for several runs in one test."""
    sb.reset()
    sb.clear_faults()
    sb.latency = 0.0
    sb.throttle_enabled = True
    sb.set_throttle()
    sb.set_clock(time.monotonic)
    sb.ensure_course(course_id, name, time_zone)


def _stored_names(sb: Sandbox, course_id: int) -> dict[str, Counter[str]]:
    """Non-deleted stored objects per kind, as name → count (a count > 1 is a duplicate)."""

    def names(table: str, field: str) -> Counter[str]:
        return Counter(str(r[field]) for r in active(sb.store.rows(table, course_id)))

    pages = names("pages", "title")
    records = [title for title in pages if is_reserved_title(title)]
    # The ownership record: concurrent runs and their follow-ups may leave several pages (their
    # union is the record; the next plain run that records anything merges them).
    assert sum(pages[t] for t in records) >= 1, records
    return {
        "pages": Counter({t: n for t, n in pages.items() if t not in records}),
        "assignments": names("assignments", "name"),
        "assignment groups": names("assignment_groups", "name"),
        "group sets": names("group_categories", "name"),
        "groups": names("groups", "name"),
        "modules": names("modules", "name"),
        "module items": names("module_items", "title"),
    }


def _wanted_names(desired: CourseState) -> dict[str, Counter[str]]:
    return {
        "pages": Counter(p.title for p in desired.pages),
        "assignments": Counter(a.name for a in desired.assignments),
        "assignment groups": Counter(g.name for g in desired.assignment_groups),
        "group sets": Counter(s.name for s in desired.group_sets),
        "groups": Counter(g.name for s in desired.group_sets for g in s.groups),
        "modules": Counter(m.name for m in desired.modules),
        "module items": Counter(i.title for m in desired.modules for i in m.items),
    }


def _duplicates(stored: dict[str, Counter[str]], wanted: dict[str, Counter[str]]) -> int:
    return sum(
        max(0, n - wanted[kind][name]) for kind in stored for name, n in stored[kind].items()
    )


def _assert_converged(sb: Sandbox, program: Program) -> None:
    cohort = program.cohorts[0]
    stored = _stored_names(sb, cohort.course_id)
    wanted = _wanted_names(build_desired(program, cohort))
    extra = {
        kind: {name: n for name, n in names.items() if n > wanted[kind][name]}
        for kind, names in stored.items()
    }
    assert _duplicates(stored, wanted) == 0, {kind: e for kind, e in extra.items() if e}
    assert stored == wanted  # every object present, nothing extra
    course = connect(sb.base_url, sb.token, cohort.course_id)
    assert plan_course(program, cohort, course, policy=NO_WAIT).plan.writes == ()


# -- 1. random 5xx + lost responses, 20 seeds -------------------------------------------------


@dataclass(frozen=True)
class SeedFigures:
    seed: int
    writes: int
    retries: int
    injected_5xx: int
    lost_responses: int
    throttled: int
    failed_first_pass: int
    second_pass_writes: int
    duplicates: int


def test_twenty_seeded_syncs_under_faults_converge_without_duplicates(
    sandbox: Sandbox, program: Program
) -> None:
    cohort = program.cohorts[0]
    figures: list[SeedFigures] = []
    for seed in range(20):
        _reset(sandbox, cohort.course_id, cohort.name, cohort.time_zone)
        course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
        sandbox.random_failures(0.10, seed)
        sandbox.lose_responses(0.05, seed + 1000)

        planned = plan_course(program, cohort, course, policy=NO_WAIT)
        reports = apply_course(planned, course, policy=NO_WAIT)
        sandbox.clear_faults()
        again = plan_course(program, cohort, course, policy=NO_WAIT)
        if again.plan.writes:
            assert all(r.ok for r in apply_course(again, course, policy=NO_WAIT))

        log = sandbox.requests()
        stored = _stored_names(sandbox, cohort.course_id)
        dupes = _duplicates(stored, _wanted_names(build_desired(program, cohort)))
        figures.append(
            SeedFigures(
                seed=seed,
                writes=len(planned.plan.writes),
                retries=sum(r.retries for r in reports),
                injected_5xx=sum(1 for r in log if r.status >= 500 and not r.lost),
                lost_responses=sum(1 for r in log if r.lost),
                throttled=sum(r.throttled for r in reports),
                failed_first_pass=sum(len(r.failed) for r in reports),
                second_pass_writes=len(again.plan.writes),
                duplicates=dupes,
            )
        )
        _assert_converged(sandbox, program)
        course._requester._session.close()  # type: ignore[attr-defined]

    for f in figures:
        print(
            f"seed {f.seed:2}: {f.writes} writes, {f.injected_5xx} 5xx + "
            f"{f.lost_responses} lost responses injected, {f.retries} apply retries, "
            f"{f.failed_first_pass} failed on pass 1, {f.second_pass_writes} writes on pass 2, "
            f"{f.duplicates} duplicates"
        )
    print(
        f"total over 20 seeds: {sum(f.injected_5xx for f in figures)} 5xx, "
        f"{sum(f.lost_responses for f in figures)} lost responses, "
        f"{sum(f.retries for f in figures)} apply retries, "
        f"{sum(f.duplicates for f in figures)} duplicates"
    )
    assert all(f.duplicates == 0 for f in figures)
    # The faults really happened, lost responses included.
    assert sum(f.lost_responses for f in figures) > 0
    assert sum(f.retries for f in figures) > 0


# -- 2. throttle burst --------------------------------------------------------------------------


class FakeClock:
    """The throttle's clock; the retry policy's sleep advances it, so the bucket drains."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _throttled_policy(clock: FakeClock) -> functools.partial[RetryPolicy]:
    # No pacing (slow_down_below=0) so the burst really hits the high-water mark.
    return functools.partial(
        RetryPolicy, sleep=clock.sleep, slow_down_below=0.0, jitter=random.Random(0)
    )


def _tight_throttle(sb: Sandbox, clock: FakeClock) -> None:
    sb.set_clock(clock)
    # Each request leaves 10 units in the bucket; nothing leaks unless the client waits.
    sb.set_throttle(hwm=120, up_front_cost=50, outflow=10, request_cost=10)


def test_burst_against_tight_throttle_completes_and_counts_throttles(
    sandbox: Sandbox, program: Program
) -> None:
    cohort = program.cohorts[0]
    sandbox.ensure_course(cohort.course_id, cohort.name, cohort.time_zone)
    clock = FakeClock()
    _tight_throttle(sandbox, clock)
    policy = _throttled_policy(clock)()
    course = connect(sandbox.base_url, sandbox.token, cohort.course_id)

    before = sandbox.throttled_count
    planned = plan_course(program, cohort, course, policy=policy)
    reports: list[ApplyReport] = apply_course(planned, course, policy=policy)

    assert all(r.ok for r in reports), [f.detail for r in reports for f in r.failed]
    throttled = sum(r.throttled for r in reports)
    refused = sandbox.throttled_count
    print(f"throttle: {throttled} throttle responses absorbed; sandbox refused {refused}")
    assert throttled > 0
    assert throttled == sandbox.throttled_count - before
    sandbox.set_throttle()
    _assert_converged(sandbox, program)


def test_cli_summary_prints_throttle_count(
    sandbox: Sandbox, program: Program, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort = program.cohorts[0]
    sandbox.ensure_course(cohort.course_id, cohort.name, cohort.time_zone)
    clock = FakeClock()
    _tight_throttle(sandbox, clock)
    monkeypatch.setattr("pd_sync.apply.runner.RetryPolicy", _throttled_policy(clock))
    monkeypatch.setattr("pd_sync.sync.RetryPolicy", _throttled_policy(clock))
    # The CLI builds the policy itself (to print a line per retry): the same fake clock there.
    monkeypatch.setattr("pd_sync.cli.sync_commands.RetryPolicy", _throttled_policy(clock))
    token_file = tmp_path / "token"
    token_file.write_text(sandbox.token, encoding="utf-8")

    args = ["apply", CURRICULUM, "--url", sandbox.base_url, "--token-file", str(token_file)]
    before = sandbox.throttled_count
    result = CliRunner().invoke(cli, [*args, "--yes"])

    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    refused_in_apply = sandbox.throttled_count - before
    assert summary.startswith("Applied ") and "(0 failed;" in summary, summary
    assert summary.endswith(" throttle responses)."), summary
    shown = int(summary.rsplit("; ", 1)[1].split()[0])
    print(f"cli: {summary!r}; sandbox refused {refused_in_apply} (plan's observe included)")
    assert 0 < shown <= refused_in_apply
    sandbox.set_throttle()
    _assert_converged(sandbox, program)


# -- 3. token secrecy ---------------------------------------------------------------------------

SECRET = "tok-SECRET-7f3a9c1e5b2d4086"
REJECTED = "tok-REJECTED-d41c8e0f2a6b9357"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], token_file: Path, url: str, debug: bool = False) -> Result:
    command = (["--debug"] if debug else []) + args
    command += [CURRICULUM, "--url", url, "--token-file", str(token_file)]
    if args[0] == "apply":
        command.append("--yes")
    return CliRunner().invoke(cli, command)


def _assert_secret_kept(result: Result, caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    texts = [result.output, result.stdout, result.stderr, caplog.text]
    texts += [r.getMessage() for r in caplog.records]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        texts.append(repr(result.exception))
    for secret in secrets:
        assert not any(secret in text for text in texts), result.output


@pytest.fixture
def token_files(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    monkeypatch.delenv("CANVAS_API_TOKEN", raising=False)
    monkeypatch.delenv("CANVAS_API_URL", raising=False)
    monkeypatch.setattr(
        "pd_sync.apply.runner.RetryPolicy", functools.partial(RetryPolicy, sleep=lambda s: None)
    )
    monkeypatch.setattr(
        "pd_sync.sync.RetryPolicy", functools.partial(RetryPolicy, sleep=lambda s: None)
    )
    sandbox.add_token(SECRET)
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.write_text(SECRET + "\n", encoding="utf-8")
    bad.write_text(REJECTED + "\n", encoding="utf-8")
    return good, bad


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_token_never_printed_or_logged(
    sandbox: Sandbox,
    token_files: tuple[Path, Path],
    caplog: pytest.LogCaptureFixture,
    debug: bool,
) -> None:
    caplog.set_level(logging.DEBUG)
    good, bad = token_files
    url = sandbox.base_url

    for args in (["plan"], ["apply"], ["plan"]):
        result = _run(args, good, url, debug)
        assert result.exit_code == 0, result.output
        _assert_secret_kept(result, caplog, SECRET)
    assert "No changes" in result.output

    # Faults beyond the retry budget: the observe gives up with a clean message.
    sandbox.fail_next(1000, 500)
    for args in (["plan"], ["apply"]):
        result = _run(args, good, url, debug)
        assert result.exit_code == 1, result.output
        assert "Canvas failed to list pages" in result.stderr, result.output
        assert "Traceback" not in result.output
        _assert_secret_kept(result, caplog, SECRET)
    sandbox.clear_faults()

    # Nothing listening on the port: at once, the message names the URL tried.
    closed = f"http://127.0.0.1:{_free_port()}"
    for args in (["plan"], ["apply"]):
        result = _run(args, good, closed, debug)
        assert result.exit_code == 1, result.output
        assert f"nothing is listening at {closed}" in result.stderr, result.output
        assert "Traceback" not in result.output
        _assert_secret_kept(result, caplog, SECRET)

    # A token Canvas does not know: 401, reported as rejected, pointing at CANVAS_API_TOKEN.
    for args in (["plan"], ["apply"]):
        result = _run(args, bad, url, debug)
        assert result.exit_code == 1, result.output
        assert "token was rejected" in result.stderr and "CANVAS_API_TOKEN" in result.stderr
        assert "Traceback" not in result.output
        _assert_secret_kept(result, caplog, SECRET, REJECTED)

    assert caplog.records  # DEBUG logging was really captured (urllib3 at least)


# -- 4. kill -9 mid-apply -----------------------------------------------------------------------

KILL_AFTER_WRITES = (1, 12, 27, 41, 55)


def _write_count(sb: Sandbox) -> int:
    return sum(1 for r in sb.requests() if r.method != "GET")


def test_kill_9_mid_apply_then_rerun_converges(
    sandbox: Sandbox, program: Program, tmp_path: Path
) -> None:
    cohort = program.cohorts[0]
    token_file = tmp_path / "token"
    token_file.write_text(sandbox.token, encoding="utf-8")
    killed_at: list[tuple[int, int, int]] = []
    for k in KILL_AFTER_WRITES:
        _reset(sandbox, cohort.course_id, cohort.name, cohort.time_zone)
        sandbox.latency = 0.02
        command = [sys.executable, "-m", "pd_sync", "apply", CURRICULUM, "--yes"]
        command += ["--url", sandbox.base_url, "--token-file", str(token_file)]
        env = {**os.environ, "NO_COLOR": "1"}
        env.pop("CANVAS_API_TOKEN", None)
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        try:
            deadline = time.monotonic() + 60
            while _write_count(sandbox) < k and process.poll() is None:
                assert time.monotonic() < deadline, "apply never reached the kill point"
                time.sleep(0.002)
            assert process.poll() is None, "apply finished before it could be killed"
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        sandbox.latency = 0.0
        time.sleep(0.05)  # let the server finish the request that was in flight
        writes_before_rerun = _write_count(sandbox)

        course = connect(sandbox.base_url, sandbox.token, cohort.course_id)
        planned = plan_course(program, cohort, course, policy=NO_WAIT)
        reports = apply_course(planned, course, policy=NO_WAIT)
        assert all(r.ok for r in reports), [f.detail for r in reports for f in r.failed]
        course._requester._session.close()  # type: ignore[attr-defined]
        _assert_converged(sandbox, program)
        killed_at.append((k, writes_before_rerun, len(planned.plan.writes)))

    for k, landed, rerun in killed_at:
        print(f"kill -9 after {k} writes: {landed} writes landed, re-run planned {rerun}; 0 dupes")
