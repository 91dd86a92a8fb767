"""Saved plans (PURE): a reviewed plan written to a file, and applied exactly or not at all.

``make_saved_plan`` / ``saved_plan_text`` write one (``pd-sync plan --out``);
``read_saved_plan`` reads it back; ``check_target`` and ``stale_reasons`` decide, against a
fresh observation, whether it may still be applied. Imports ``plan``, ``preview`` (the plan's
JSON form) and ``desired``; never an I/O library: the CLI reads and writes the file.
"""

from pd_sync.saved.decode import plan_from_dict
from pd_sync.saved.document import (
    SavedPlan,
    check_target,
    curriculum_digest,
    make_saved_plan,
    read_saved_plan,
    saved_plan_text,
    stale_reasons,
)
from pd_sync.saved.touched import touched_fingerprints, touched_refs

__all__ = [
    "SavedPlan",
    "check_target",
    "curriculum_digest",
    "make_saved_plan",
    "plan_from_dict",
    "read_saved_plan",
    "saved_plan_text",
    "stale_reasons",
    "touched_fingerprints",
    "touched_refs",
]
