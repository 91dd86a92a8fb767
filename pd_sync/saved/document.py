"""PURE: a saved plan (``pd-sync plan --out``) as data, and the checks that decide whether it
may still be applied. docs/saved-plan.md describes the file.

A saved plan is the reviewed plan plus what it was computed from: the pd-sync version, a digest
of what the curriculum asks of the cohort, the course and Canvas it was read from, the time, and
a fingerprint of every Canvas object its writes touch (``touched``). Applying it observes the
course once more; any difference in those is a refusal, never a re-plan, because the point is
that what is applied is exactly what someone approved.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pd_sync.desired import CourseState
from pd_sync.errors import SavedPlanError
from pd_sync.plan import Plan
from pd_sync.preview import json_text, plan_to_dict
from pd_sync.saved.decode import plan_from_dict
from pd_sync.saved.touched import fingerprint, touched_fingerprints

FORMAT = "pd-sync saved plan"
FORMAT_VERSION = 1
PLAN_SCHEMA_VERSION = 1


def curriculum_digest(desired: CourseState) -> str:
    """What the curriculum asks of one cohort's course, as one digest.

    Taken over the desired state rather than the files, so an edit that changes nothing in
    Canvas (a YAML comment, a reflowed paragraph) leaves a reviewed plan valid, while any edit
    that would change what is sent voids it.
    """
    return fingerprint([desired])


@dataclass(frozen=True)
class SavedPlan:
    """A plan and what it was computed from; ``fingerprints`` maps each touched object (as a
    person reads it, ``page url=week-1``) to its fingerprint."""

    plan: Plan
    created_at: dt.datetime
    pd_sync_version: str
    curriculum_path: str
    curriculum_digest: str
    cohort: str
    course_id: int
    canvas_url: str
    sandbox: bool
    prune: bool
    fingerprints: tuple[tuple[str, str], ...]


def make_saved_plan(
    plan: Plan,
    observed: CourseState,
    desired: CourseState,
    *,
    curriculum_path: str,
    version: str,
    now: dt.datetime,
    prune: bool,
) -> SavedPlan:
    return SavedPlan(
        plan=plan,
        created_at=now.astimezone(dt.UTC).replace(microsecond=0),
        pd_sync_version=version,
        curriculum_path=curriculum_path,
        curriculum_digest=curriculum_digest(desired),
        cohort=desired.cohort,
        course_id=plan.course_id,
        canvas_url=observed.host,
        sandbox=plan.target.sandbox,
        prune=prune,
        fingerprints=tuple(touched_fingerprints(plan, observed).items()),
    )


def saved_plan_text(saved: SavedPlan) -> str:
    """The file's text: JSON, keys sorted, curriculum and Canvas text kept inert."""
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": saved.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "pd_sync_version": saved.pd_sync_version,
        "curriculum": {"path": saved.curriculum_path, "digest": saved.curriculum_digest},
        "cohort": saved.cohort,
        "course_id": saved.course_id,
        "canvas": {"url": saved.canvas_url, "sandbox": saved.sandbox},
        "prune": saved.prune,
        "fingerprints": dict(saved.fingerprints),
        "plan": plan_to_dict(saved.plan),
    }
    return json_text(json.dumps(document, indent=2, sort_keys=True, default=str)) + "\n"


def _need(data: Mapping[str, Any], key: str, kind: type, where: str = "") -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SavedPlanError(
            f"{where}{key}: expected {kind.__name__}, found {value!r}; write the plan again "
            "with `pd-sync plan --out`"
        )
    return value


def read_saved_plan(text: str, source: str) -> SavedPlan:
    """The ``SavedPlan`` in ``text`` (read from ``source``), or a ``SavedPlanError`` saying why
    it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SavedPlanError(
            f"{source}:{error.lineno}:{error.colno}: not JSON ({error.msg}); a saved plan is "
            "the file `pd-sync plan --out FILE` writes"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SavedPlanError(
            f'{source} is not a pd-sync saved plan (no "format": {FORMAT!r}); pass the file '
            "`pd-sync plan --out FILE` wrote, or a curriculum folder"
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise SavedPlanError(
            f"{source} is a saved plan of format version {data.get('format_version')!r}; this "
            f"pd-sync reads version {FORMAT_VERSION}: plan again with this pd-sync"
        )
    plan_data = _need(data, "plan", dict)
    if plan_data.get("schema_version") != PLAN_SCHEMA_VERSION:
        raise SavedPlanError(
            f"{source}: plan schema version {plan_data.get('schema_version')!r} is not "
            f"{PLAN_SCHEMA_VERSION}; plan again with this pd-sync"
        )
    curriculum = _need(data, "curriculum", dict)
    canvas = _need(data, "canvas", dict)
    prints = _need(data, "fingerprints", dict)
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in prints.items()):
        raise SavedPlanError(f"{source}: fingerprints must map names to digests")
    stamp = _need(data, "created_at", str)
    try:
        created = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        raise SavedPlanError(
            f"{source}: created_at {stamp!r} is not a UTC time such as 2026-12-01T13:00:00Z"
        ) from None
    return SavedPlan(
        plan=plan_from_dict(plan_data),
        created_at=created,
        pd_sync_version=_need(data, "pd_sync_version", str),
        curriculum_path=_need(curriculum, "path", str, "curriculum."),
        curriculum_digest=_need(curriculum, "digest", str, "curriculum."),
        cohort=_need(data, "cohort", str),
        course_id=_need(data, "course_id", int),
        canvas_url=_need(canvas, "url", str, "canvas."),
        sandbox=_need(canvas, "sandbox", bool, "canvas."),
        prune=_need(data, "prune", bool),
        fingerprints=tuple(prints.items()),
    )


def _age(seconds: float) -> str:
    """``1 day 2 hours``, ``5 minutes``: whole minutes, largest units first."""
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words) or "under a minute"


def check_target(saved: SavedPlan, *, version: str, canvas_url: str, sandbox: bool) -> None:
    """Refuse a plan for another Canvas, or one written by another pd-sync (whose rendering
    and rules may differ from this one's). The sandbox's address changes from run to run, so
    for it only "the sandbox" is compared."""
    if saved.pd_sync_version != version:
        raise SavedPlanError(
            f"the saved plan was made by pd-sync {saved.pd_sync_version}, this is {version}: "
            "plan again with this pd-sync, or apply with the version that planned"
        )
    if saved.sandbox != sandbox:
        where = "the embedded sandbox" if saved.sandbox else f"Canvas at {saved.canvas_url}"
        flag = "pass --sandbox" if saved.sandbox else "pass --url for that Canvas, not --sandbox"
        raise SavedPlanError(f"the saved plan is for {where}: {flag}")
    if not saved.sandbox and saved.canvas_url != canvas_url:
        raise SavedPlanError(
            f"the saved plan is for Canvas at {saved.canvas_url}, not {canvas_url}: pass "
            f"--url {saved.canvas_url} (or plan again against {canvas_url})"
        )


def stale_reasons(
    saved: SavedPlan,
    *,
    now: dt.datetime,
    max_age: dt.timedelta,
    digest: str,
    observed: CourseState,
) -> list[str]:
    """Every reason the saved plan may no longer be applied (empty: apply it as it is)."""
    reasons = []
    age = (now - saved.created_at).total_seconds()
    if age > max_age.total_seconds():
        reasons.append(
            f"made {_age(age)} ago, longer than the {_age(max_age.total_seconds())} allowed "
            "(--max-age / PD_SYNC_PLAN_MAX_AGE)"
        )
    elif age < -300:
        reasons.append("made in the future by this machine's clock; check the clock")
    if digest != saved.curriculum_digest:
        reasons.append(
            f"the curriculum at {saved.curriculum_path} asks for something else than when the "
            "plan was made"
        )
    now_prints = touched_fingerprints(saved.plan, observed)
    for ref, before in saved.fingerprints:
        after = now_prints.get(ref)
        if after is None:
            reasons.append(f"{ref}: not part of the plan as read back (the file was edited?)")
        elif before != after:
            what = (
                "made in Canvas"
                if before == "absent"
                else "deleted from Canvas"
                if after == "absent"
                else "changed in Canvas"
            )
            reasons.append(f"{ref}: {what} since the plan")
    missing = set(now_prints) - {ref for ref, _ in saved.fingerprints}
    reasons += [f"{ref}: touched by the plan but has no fingerprint" for ref in sorted(missing)]
    return reasons
