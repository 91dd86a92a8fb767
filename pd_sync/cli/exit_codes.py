"""The exit statuses of ``pd-sync``, and the help text that documents them.

One table, so ``--help``, the README and the error mapping in ``cli.commands`` agree.
"""

from __future__ import annotations

OK = 0  # done, or nothing to change
ERROR = 1  # any error: usage, curriculum, configuration, Canvas, failed changes
CHANGES_PENDING = 2  # plan --detailed-exitcode: the course differs from the curriculum
DRIFT = 3  # plan --fail-on-drift: the course differs from the curriculum
INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells report 128 + 2

EPILOG = (
    "Exit codes: 0 done or no changes; 1 error (usage errors too); "
    "2 changes pending (plan --detailed-exitcode); 3 drift (plan --fail-on-drift); "
    "130 interrupted (Ctrl-C)."
)
