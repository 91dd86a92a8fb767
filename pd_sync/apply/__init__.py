"""Stage 5, apply: execute exactly the plan it is given, in dependency order, within the throttle.

Imports ``plan`` (the actions), ``canvas`` (the port, retries, throttle) and ``desired``'s records;
never curriculum loading, preview or cli, and never canvasapi directly (only through the port).
"""

from pd_sync.apply.runner import ActionResult, ApplyReport, apply_plan

__all__ = ["ActionResult", "ApplyReport", "apply_plan"]
