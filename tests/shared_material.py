"""The team's shared material beside the repository (``../shared``: the seed page and the real
Jekyll site), which some tests read. It is not part of the project, so a machine without it
skips those tests with one reason, said the same way everywhere; CI has it beside its clone."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
CORPUS_SITE = CORPUS / "career-development-curriculum-site"
SEED_PAGE = SHARED / "seed" / "module1_professional_development.md"


def shared_or_skip(path: Path) -> Path:
    """``path``, or a skip saying which shared material the test needs."""
    if not path.exists():
        pytest.skip(
            f"needs {path} (the team's shared material, checked out beside this repository)"
        )
    return path
