"""What a sync costs: requests, wall time, throttle refusals, planner CPU and memory.

    python benchmarks/sync_benchmark.py [--latency 0.1] [--json benchmark.json] [--quick]

Starts the sandbox Canvas in its own process (`pd-sync sandbox serve`, with Canvas's default
throttle bucket and ``--latency`` seconds added to every request) and, for a generated large
curriculum (4 modules x 6 weeks, 200 pages, 40 assignments, 2 group sets x 8 groups, 20 pages
showing an image each) and for
curriculum/, measures through the real canvasapi client:

- the first sync at the default concurrency, and again (on a fresh course) at concurrency 1;
- a no-op re-sync, then the same after a page is edited and an assignment deleted in Canvas
  (the plan must see both: no-op reads are full observations, not a ledger);
- a one-page change made in the curriculum.

Then the planner alone, with no network, on a 10,000-object synthetic course, and the peak
memory of this (pd-sync) process. Prints a table; ``--json`` also writes the numbers.
Not part of the tests: wall times vary by machine; the tests guard request counts instead.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

try:
    import pd_sync  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests
from large_curriculum import Size, write_curriculum
from virtual_course import course_after

from pd_sync.canvas import DEFAULT_WORKERS, CanvasCourse, connect
from pd_sync.curriculum import Program, load_curriculum
from pd_sync.desired import CourseState, build_desired
from pd_sync.plan import CreateFile, Plan, UpdateModule, make_plan
from pd_sync.sync import apply_course, plan_course

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Sandbox:
    """A sandbox in another process, driven through its /_sandbox/ controls."""

    url: str
    token: str

    def control(self, method: str, path: str, body: object = None) -> Any:
        response = requests.request(method, f"{self.url}/_sandbox/{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def log(self) -> list[dict[str, Any]]:
        return list(self.control("GET", "requests"))

    def api(self, method: str, path: str, data: dict[str, str] | None = None) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        url = f"{self.url}/api/v1/{path}"
        requests.request(method, url, data=data, headers=headers, timeout=30).raise_for_status()


@contextmanager
def sandbox_process(latency: float, db: Path) -> Iterator[Sandbox]:
    command = [sys.executable, "-m", "pd_sync", "sandbox", "serve", "--db", str(db)]
    command += ["--latency", str(latency)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = token = ""
        while not (url and token):
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("the sandbox exited before announcing its address")
            if "listening on" in line:
                url = line.rsplit(" ", 1)[1].strip()
            if line.startswith("API token:"):
                token = line.split(":", 1)[1].strip()
        yield Sandbox(url, token)
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass(frozen=True)
class Run:
    reads: int
    writes: int
    throttled: int
    seconds: float

    @property
    def requests(self) -> int:
        return self.reads + self.writes


def measure(sandbox: Sandbox, work: Any) -> tuple[Run, Any]:
    sandbox.control("DELETE", "requests")
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    log = sandbox.log()
    reads = sum(1 for r in log if r["method"] == "GET")
    throttled = sum(1 for r in log if r["status"] == 403)
    return Run(reads, len(log) - reads, throttled, seconds), result


def sync(program: Program, course: CanvasCourse, workers: int) -> Plan:
    cohort = program.cohorts[0]
    planned = plan_course(program, cohort, course)
    if planned.plan.has_changes:
        reports = apply_course(planned, course, workers=workers)
        failed = [f.detail for report in reports for f in report.failed]
        if failed:
            raise RuntimeError(f"apply failed: {failed[:3]}")
    return planned.plan


def objects(desired: CourseState) -> int:
    return (
        len(desired.pages)
        + len(desired.assignments)
        + len(desired.assignment_groups)
        + sum(1 + len(s.groups) for s in desired.group_sets)
        + sum(1 + len(m.items) for m in desired.modules)
        + len(desired.files)
    )


def bench_curriculum(sandbox: Sandbox, name: str, path: Path, course_id: int) -> dict[str, Any]:
    program = load_curriculum(path)
    cohort = program.cohorts[0]
    desired = build_desired(program, cohort)
    results: dict[str, Any] = {"curriculum": name, "objects": objects(desired)}

    def course(number: int) -> CanvasCourse:
        sandbox.control("POST", "courses", {"id": number, "time_zone": cohort.time_zone})
        return connect(sandbox.url, sandbox.token, number)

    def at(number: int) -> Program:
        return at_course(program, number)

    before = sandbox.control("GET", "throttle")["throttled_count"]
    target = course(course_id)
    first, plan = measure(sandbox, lambda: sync(at(course_id), target, DEFAULT_WORKERS))
    creates = sum(1 for a in plan.writes if type(a).__name__.startswith("Create"))
    publishes = sum(1 for a in plan.writes if isinstance(a, UpdateModule))
    # Canvas's upload is two writes (the preflight, the bytes) and a read (the confirmation,
    # counted in the reads): one write more per file than per other object.
    uploads = sum(1 for a in plan.writes if isinstance(a, CreateFile))
    results["first"] = vars(first) | {"requests": first.requests}
    results["first_floor"] = creates + uploads + publishes + first.reads
    results["throttled_403"] = sandbox.control("GET", "throttle")["throttled_count"] - before

    noop, plan = measure(sandbox, lambda: sync(at(course_id), target, DEFAULT_WORKERS))
    results["noop"] = vars(noop) | {"changes": len(plan.actions)}

    page = next(p for p in target.observe(cohort.time_zone).pages if p.key)
    edited_body = page.body.replace("</p>", " Edited in Canvas.</p>", 1)
    sandbox.api("PUT", f"courses/{course_id}/pages/{page.url}", {"wiki_page[body]": edited_body})
    gone = desired.assignments[0].key
    victim = next(a for a in target.observe(cohort.time_zone).assignments if a.key == gone)
    sandbox.api("DELETE", f"courses/{course_id}/assignments/{victim.assignment_id}")
    moved = at(course_id)
    look, drift = measure(sandbox, lambda: plan_course(moved, moved.cohorts[0], target).plan)
    # Besides the two changes: the deleted assignment's module item, and the record's new ids.
    incidental = {"CreateModuleItem", "RecordOwnership"}
    seen = {type(a).__name__ for a in drift.writes if type(a).__name__ not in incidental}
    results["drift_seen"] = seen == {"UpdatePage", "CreateAssignment"}
    results["drift_reads"] = look.reads
    sync(at(course_id), target, DEFAULT_WORKERS)  # put it back

    edited = path.parent / f"{path.name}-edited"
    shutil.copytree(path, edited)
    week = next(edited.rglob("week1.md"))
    week.write_text(week.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    changed = load_curriculum(edited)
    one, _ = measure(sandbox, lambda: sync(at_course(changed, course_id), target, DEFAULT_WORKERS))
    results["one_page_change"] = vars(one)

    serial, _ = measure(sandbox, lambda: sync(at(course_id + 1), course(course_id + 1), 1))
    results["first_concurrency_1"] = vars(serial)
    results["speedup"] = serial.seconds / first.seconds
    return results


def at_course(program: Program, course_id: int) -> Program:
    """``program`` with its first cohort pointed at another course."""
    cohort = replace(program.cohorts[0], course_id=course_id)
    return replace(program, cohorts=(cohort,))


def bench_planner(work: Path) -> dict[str, Any]:
    size = Size(modules=40, pages=4000, assignments=1000, group_sets=10, groups_per_set=20)
    write_curriculum(work / "ten-thousand", size)
    started = time.process_time()
    program = load_curriculum(work / "ten-thousand")
    desired = build_desired(program, program.cohorts[0])
    load_cpu = time.process_time() - started
    empty = CourseState(course_id=desired.course_id, time_zone=desired.time_zone)
    started = time.process_time()
    first = make_plan(desired, empty)
    first_cpu = time.process_time() - started
    observed = course_after(first)
    started = time.process_time()
    again = make_plan(desired, observed)
    noop_cpu = time.process_time() - started
    return {
        "objects": objects(desired),
        "load_and_render_cpu_s": load_cpu,
        "plan_first_sync_cpu_s": first_cpu,
        "plan_noop_cpu_s": noop_cpu,
        "noop_writes": len(again.writes),
    }


def table(results: dict[str, Any]) -> list[str]:
    rows = ["| measure | " + " | ".join(r["curriculum"] for r in results["syncs"]) + " |"]
    rows.append("|---" * (1 + len(results["syncs"])) + "|")

    def row(label: str, value: Any) -> None:
        rows.append(f"| {label} | " + " | ".join(value(r) for r in results["syncs"]) + " |")

    row("objects", lambda r: str(r["objects"]))
    row("first sync: reads / writes", lambda r: f"{r['first']['reads']} / {r['first']['writes']}")
    row(
        "first sync requests / (creates + publishes + reads)",
        lambda r: (
            f"{r['first']['requests']} / {r['first_floor']} = "
            f"{r['first']['requests'] / r['first_floor']:.3f}"
        ),
    )
    row("first sync wall s, default concurrency", lambda r: f"{r['first']['seconds']:.2f}")
    row("first sync wall s, concurrency 1", lambda r: f"{r['first_concurrency_1']['seconds']:.2f}")
    row("wall ratio default / concurrency 1", lambda r: f"{1 / r['speedup']:.3f}")
    row("throttle 403s (Canvas default bucket)", lambda r: str(r["throttled_403"]))
    row("no-op: reads / writes", lambda r: f"{r['noop']['reads']} / {r['noop']['writes']}")
    row("no-op wall s", lambda r: f"{r['noop']['seconds']:.2f}")
    row(
        "no-op allowance (5 + 1 per extra 100 objects)",
        lambda r: str(5 + math.ceil(max(0, r["objects"] - 100) / 100)),
    )
    row("edit + delete in Canvas seen by plan", lambda r: str(r["drift_seen"]))
    row(
        "one-page change: reads / writes",
        lambda r: f"{r['one_page_change']['reads']} / {r['one_page_change']['writes']}",
    )
    planner = results["planner"]
    rows.append("")
    rows.append(
        f"Planner, {planner['objects']:,} objects, no network: first sync "
        f"{planner['plan_first_sync_cpu_s']:.2f} s CPU, no-op {planner['plan_noop_cpu_s']:.2f} s "
        f"CPU ({planner['noop_writes']} writes planned against the course it would leave); "
        f"loading and rendering the curriculum first: {planner['load_and_render_cpu_s']:.2f} s CPU."
    )
    rows.append(f"Peak memory of the pd-sync process: {results['peak_rss_mib']:.0f} MiB.")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--quick", action="store_true", help="skip the large curriculum")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copytree(ROOT / "schema", work / "schema")
        shutil.copytree(ROOT / "curriculum", work / "curriculum")
        suites = [("curriculum/", work / "curriculum", 101)]
        if not args.quick:
            write_curriculum(work / "large", Size(course_id=201, images=20))
            suites.insert(0, ("large (generated, 20 images)", work / "large", 201))
        with sandbox_process(args.latency, work / "sandbox.sqlite3") as sandbox:
            syncs = [bench_curriculum(sandbox, *suite) for suite in suites]
        results = {
            "latency_s": args.latency,
            "default_concurrency": DEFAULT_WORKERS,
            "syncs": syncs,
            "planner": bench_planner(work),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    print(f"Sandbox latency {args.latency * 1000:.0f} ms; default concurrency {DEFAULT_WORKERS}.")
    print("\n".join(table(results)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
