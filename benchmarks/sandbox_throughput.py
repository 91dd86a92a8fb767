"""Sandbox throughput: simple GETs per second over one keep-alive connection.

    python benchmarks/sandbox_throughput.py [--requests 2000]

Measures two clients against an in-process Sandbox (in-memory SQLite, no latency, throttle on):
a bare requests.Session, and canvasapi's Course.get_page (what pd-sync's adapter uses).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

try:
    import pd_sync  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import canvasapi
import requests

from pd_sync.sandbox import Sandbox


def _rate(label: str, count: int, call: Callable[[], object]) -> float:
    call()  # warm up the connection and caches
    started = time.perf_counter()
    for _ in range(count):
        call()
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"{label:<34} {count} GETs in {elapsed:.2f}s = {rate:,.0f} GETs/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    count = parser.parse_args().requests

    with Sandbox() as sandbox:
        sandbox.ensure_course(1, "Benchmark", "America/Denver")
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {sandbox.token}"
        session.post(
            f"{sandbox.base_url}/api/v1/courses/1/pages",
            data={"wiki_page[title]": "Week 1", "wiki_page[body]": "<p>Hello</p>"},
        ).raise_for_status()
        url = f"{sandbox.base_url}/api/v1/courses/1/pages/week-1"

        def raw_get() -> None:
            session.get(url).raise_for_status()

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # plain-HTTP base URL
            course = canvasapi.Canvas(sandbox.base_url, sandbox.token).get_course(1)

        _rate("requests.Session GET page", count, raw_get)
        _rate("canvasapi Course.get_page", count, lambda: course.get_page("week-1"))
        failures = [r for r in sandbox.requests() if r.status != 200]
        print(f"non-200 responses: {len(failures)}; throttled: {sandbox.throttled_count}")


if __name__ == "__main__":
    main()
