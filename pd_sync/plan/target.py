"""PURE: where a plan applies, as data: the Canvas address, the course (its id and the name
Canvas reports), the cohort, and whether it is pd-sync's embedded sandbox.

Every view opens with it (``preview.target_line``, the JSON ``target`` object), so whoever
reads a plan knows which course it would change before reading what.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanTarget:
    """``url`` is the Canvas origin the course was read from ("" when unknown);
    ``course_name`` as Canvas reports it ("" when unknown); ``sandbox``: the embedded sandbox."""

    url: str = ""
    course_id: int = 0
    course_name: str = ""
    cohort: str = ""
    sandbox: bool = False
