"""The adapter's tests read a course pd-sync has synced: the sync fixtures, shared."""

from tests.sync.conftest import course, curriculum, program, sync

__all__ = ["course", "curriculum", "program", "sync"]
