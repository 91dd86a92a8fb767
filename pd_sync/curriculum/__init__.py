"""Stage 1, load: curriculum YAML + Markdown → a typed ``Program``; problems at file:line:col.

The only importer of yaml and markdown-it. Must never import canvasapi, requests, click, tenacity
or any later stage (desired, plan, canvas, apply, preview, cli).

Markdown rendering lives here, not in ``desired``: validation reports a broken link by rendering
the page exactly as the sync will, and the loader must not reach up into a later stage to do it.
"""

from pd_sync.curriculum.due import check_time_zone
from pd_sync.curriculum.file_refs import FILE_LINK_SCHEME
from pd_sync.curriculum.limits import RECORD_TITLE, is_reserved_title
from pd_sync.curriculum.links import PAGE_KEY_PREFIX, PageIndex, file_path, normalise_site_path
from pd_sync.curriculum.load import load_curriculum
from pd_sync.curriculum.markdown import RESERVED_ATTRIBUTE_PREFIX
from pd_sync.curriculum.markdown_rules import heading_slug
from pd_sync.curriculum.model import (
    WEEKDAYS,
    CohortSpec,
    Competency,
    CurriculumFile,
    DeliverableSpec,
    LearningGoals,
    ModuleSpec,
    PageSpec,
    Presence,
    Program,
    RelativeDue,
    Weekday,
    WeekSpec,
    program_summary,
)
from pd_sync.curriculum.render import PAGE_LINK_SCHEME, link_spans, render_markdown
from pd_sync.curriculum.schema import curriculum_schema

__all__ = [
    "FILE_LINK_SCHEME",
    "PAGE_KEY_PREFIX",
    "PAGE_LINK_SCHEME",
    "RECORD_TITLE",
    "RESERVED_ATTRIBUTE_PREFIX",
    "WEEKDAYS",
    "CohortSpec",
    "Competency",
    "CurriculumFile",
    "DeliverableSpec",
    "LearningGoals",
    "ModuleSpec",
    "PageIndex",
    "PageSpec",
    "Presence",
    "Program",
    "RelativeDue",
    "WeekSpec",
    "Weekday",
    "check_time_zone",
    "curriculum_schema",
    "file_path",
    "heading_slug",
    "is_reserved_title",
    "link_spans",
    "load_curriculum",
    "normalise_site_path",
    "program_summary",
    "render_markdown",
]
