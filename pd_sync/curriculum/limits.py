"""Every bound the loader puts on a curriculum, in one place.

A pull request's curriculum is untrusted input read by a job that holds the Canvas token, so
nothing in it may make validation use memory or time out of proportion to a sane curriculum.
Where Canvas itself refuses longer or larger values, the bound is Canvas's, and the canvas-lms
file that sets it is named beside it; the others are bounds of sense, well above what a real
curriculum needs (the biggest benchmark has 4,000 pages and 40 modules).
``docs/curriculum-format.md`` lists them for authors.
"""

from __future__ import annotations

import re

# --- what Canvas refuses -----------------------------------------------------------------------

# ActiveRecord::Base.maximum_string_length = 255 (config/initializers/active_record.rb) is what
# Canvas checks names and titles against: page titles (app/models/wiki_page.rb, validates_each
# :title), assignment names (app/models/abstract_assignment.rb, assignment_name_length_ok? /
# max_name_length), assignment group names (app/models/assignment_group.rb, validates :name),
# group set names (app/models/group_category.rb, "Enter a shorter category name"). Group names,
# module names and module item titles (the week SubHeaders) are 255-character string columns
# too (app/models/group.rb, context_module.rb, content_tag.rb), so the same bound is kept.
TITLE_MAX_CHARS = 255

# A week becomes the SubHeader "Week <N>: <title>", which must fit in TITLE_MAX_CHARS too; this
# leaves room for the "Week NNN: " prefix (three digits suffice: see MODULE_ITEMS_MAX).
WEEK_TITLE_MAX_CHARS = TITLE_MAX_CHARS - len("Week 999: ")

# app/models/abstract_assignment.rb: positive_points_possible? (must be zero or greater) and
# reasonable_points_possible? (points_possible.to_i < 1_000_000_000).
POINTS_BELOW = 1_000_000_000

# --- bounds of sense ---------------------------------------------------------------------------

# One .yml or .md file. The largest real page is a few KiB; Canvas keeps a page body of at most
# maximum_long_text_length = 500 KiB - 1 (config/initializers/active_record.rb), so a Markdown
# file of more than 1 MiB could not be synced anyway.
FILE_MAX_BYTES = 1024 * 1024

# One image or attachment a page, a description or the files list names (curriculum/attachments.py).
# Canvas sets no per-file limit of its own below the course's quota (500 MB by default,
# Course#quota); this bound keeps one pull request from making the plan job read, hash and
# upload a video. Screenshots and PDFs of a curriculum are well under it.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

# All files read for one curriculum together.
CURRICULUM_MAX_BYTES = 64 * 1024 * 1024

# Pages in the whole curriculum (Canvas sets no number; listing and planning grow with it).
PAGES_MAX = 10_000

# Items of one Canvas module: pages, week SubHeaders and assignments (Canvas sets no number; a
# module is a page students scroll through).
MODULE_ITEMS_MAX = 500

# Groups in one group set: a number N creates N groups, one request each.
GROUPS_MAX = 500

# Nesting of YAML lists and mappings; the curriculum format itself needs six levels.
YAML_DEPTH_MAX = 32

# Characters of the user's own text quoted in one message (a value, a key, a link target).
EXCERPT_MAX_CHARS = 60


# pd-sync keeps its ownership record (desired.ownership) in unpublished pages with this title;
# Canvas keeps page titles unique by appending "-2", "-3"… (wiki_page.rb), hence the suffix. A
# curriculum page with such a title could pass for a record page, so the title is reserved.
RECORD_TITLE = "pd-sync ownership record"
_RECORD_TITLES = re.compile(re.escape(RECORD_TITLE) + r"(-\d+)?", re.IGNORECASE)


def is_reserved_title(title: object) -> bool:
    """Whether ``title`` is one Canvas may give a record page (pd-sync's title, maybe suffixed)."""
    return isinstance(title, str) and _RECORD_TITLES.fullmatch(title.strip()) is not None
