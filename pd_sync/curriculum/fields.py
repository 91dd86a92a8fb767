"""The one table of curriculum fields: names, types, required-ness and what each one means.

Both the loader (unknown fields, wrong types, missing fields) and the JSON Schema that editors
use are derived from ``CURRICULUM``, so the two cannot disagree about what a file may contain.
Rules that need more than one field or more than one file (unique keys, references, weeks that
exist) live in the loader.
"""

from __future__ import annotations

from dataclasses import dataclass

from pd_sync.curriculum.due import DUE_FORM
from pd_sync.curriculum.limits import (
    GROUPS_MAX,
    POINTS_BELOW,
    TITLE_MAX_CHARS,
    WEEK_TITLE_MAX_CHARS,
)
from pd_sync.curriculum.model import WEEKDAYS

KEY_PATTERN = r"^[a-z0-9][a-z0-9/_-]*$"
KEY_FORM = "lowercase letters, digits, '/', '_' and '-', starting with a letter or digit"

# Weekday in any case, "of week N", optional "at HH:MM" — what schedule.parse_relative_due reads.
_DAY_ALTERNATIVES = "|".join(f"[{d[0].upper()}{d[0]}]{d[1:]}" for d in WEEKDAYS)
DUE_PATTERN = (
    rf"^\s*({_DAY_ALTERNATIVES})\s+of\s+week\s+[0-9]+(\s+at\s+[0-9]{{1,2}}:[0-9]{{2}})?\s*$"
)

SUBMISSION_TYPES = (
    "none",
    "on_paper",
    "external_tool",
    "online_upload",
    "online_text_entry",
    "online_url",
    "media_recording",
)
# Types Canvas accepts but pd-sync cannot sync: Canvas makes another object of the assignment
# (Assignment#update_quiz_or_discussion_topic, #submittable_object; a module item for it then
# comes back as that object), or needs a file pd-sync does not upload. Each says what to use.
REFUSED_SUBMISSION_TYPES = (
    (
        "online_quiz",
        "Canvas turns such an assignment into a quiz, which pd-sync does not manage; use "
        "online_text_entry, online_upload or online_url, or build the quiz in Canvas by hand",
    ),
    (
        "discussion_topic",
        "Canvas turns such an assignment into a graded discussion, which pd-sync does not "
        "manage; use online_text_entry, or put the prompt in a page and start the discussion "
        "in Canvas by hand",
    ),
    (
        "wiki_page",
        "Canvas turns such an assignment into a page; declare the page under `pages:` instead",
    ),
    (
        "student_annotation",
        "Canvas needs the document students annotate (annotatable_attachment_id), which "
        "pd-sync does not upload; use online_upload",
    ),
)
STATES = ("present", "absent")


# --- field types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A string; ``pattern`` (a regex, also put in the schema) with ``form`` saying it in words.

    ``parsed_by_loader``: the loader reads the value with a real parser whose messages are
    better than "does not match"; the pattern then only serves editors.
    """

    pattern: str | None = None
    form: str = ""
    non_empty: bool = True
    parsed_by_loader: bool = False
    max_length: int | None = None


@dataclass(frozen=True)
class Integer:
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Number:
    """A number of at least ``minimum`` and less than ``below``."""

    minimum: float | None = None
    below: float | None = None


@dataclass(frozen=True)
class Boolean:
    pass


@dataclass(frozen=True)
class Date:
    """A calendar date, ``YYYY-MM-DD`` (YAML reads it unquoted as a date, quoted as text)."""


@dataclass(frozen=True)
class Choice:
    """One of ``values``; ``what`` names the kind of value in messages ("state", "weekday").

    ``refused``: values someone may well write (Canvas knows them) that are not allowed, each
    with why and what to use instead.
    """

    values: tuple[str, ...]
    what: str
    refused: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ListOf:
    item: FieldType
    max_items: int | None = None


@dataclass(frozen=True)
class Either:
    """The first option whose YAML shape (scalar / list / mapping) matches is used."""

    options: tuple[FieldType, ...]


@dataclass(frozen=True)
class Object:
    definition: ObjectDef


FieldType = Text | Integer | Number | Boolean | Date | Choice | ListOf | Either | Object


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    description: str
    required: bool = False
    default: object = None


@dataclass(frozen=True)
class ObjectDef:
    """A mapping with a fixed set of fields; ``one_of`` lists fields of which exactly one is set."""

    name: str
    description: str
    fields: tuple[Field, ...]
    one_of: tuple[str, ...] = ()

    def field(self, name: str) -> Field | None:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        return None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# --- the table ---------------------------------------------------------------------------------

NAME = Text()
# What becomes the name or title of a Canvas object (limits.TITLE_MAX_CHARS says why).
TITLE = Text(max_length=TITLE_MAX_CHARS)
KEY = Text(pattern=KEY_PATTERN, form=KEY_FORM)
PAGE_REF = Text(pattern=KEY_PATTERN, form=KEY_FORM)
STATE = Field(
    "state",
    Choice(STATES, "state"),
    "present (default): keep this object in Canvas; absent: delete it from Canvas.",
    default="present",
)
PUBLISHED = Field(
    "published", Boolean(), "Whether students can see it (default true).", default=True
)


ADOPT = Field(
    "adopt",
    Boolean(),
    "Take over a same-name object pd-sync did not make (default false); without it such an "
    "object is a conflict, since pd-sync never changes what it cannot prove it made.",
    default=False,
)


def _renamed_from(what: str) -> Field:
    return Field(
        "renamed_from",
        NAME,
        f"The {what} this object had before, so the object in Canvas is renamed in place.",
    )


PROGRAM = ObjectDef(
    "program",
    "The program as a whole; exactly one file of the curriculum sets it.",
    (
        Field("name", NAME, "Name of the program.", required=True),
        Field(
            "time_zone",
            Text(),
            "IANA time zone of due dates (e.g. America/Denver); the default for cohorts.",
            required=True,
        ),
    ),
)

ASSIGNMENT_GROUP = ObjectDef(
    "assignment_group",
    "A Canvas assignment group, matched by name.",
    (
        Field("name", TITLE, "Name of the group in Canvas; unique.", required=True),
        Field("position", Integer(minimum=1), "Order of the group in Canvas (1 = first)."),
        Field("group_weight", Number(minimum=0), "Percentage of the final grade."),
        _renamed_from("name"),
        ADOPT,
        STATE,
    ),
)

GROUP_SET = ObjectDef(
    "group_set",
    "Discussion groups: a Canvas group set (group category) and its groups, matched by name.",
    (
        Field("name", TITLE, "Name of the group set in Canvas; unique.", required=True),
        Field(
            "groups",
            Either((Integer(minimum=1, maximum=GROUPS_MAX), ListOf(TITLE, max_items=GROUPS_MAX))),
            'A number N (groups named "<singular of name> 1".."N") or a list of group names.',
            required=True,
        ),
        Field(
            "meeting_day",
            Choice(WEEKDAYS, "weekday"),
            "Day of the week the groups meet (default wednesday).",
            default="wednesday",
        ),
        Field("weeks", ListOf(Integer(minimum=1)), "Weeks (of every module) in which they meet."),
        Field("description", Text(non_empty=False), "Plain-text description of the groups."),
        _renamed_from("name"),
        ADOPT,
        STATE,
    ),
)

PAGE = ObjectDef(
    "page",
    "A Canvas page whose body is a Markdown file, matched by key.",
    (
        Field(
            "source",
            Text(pattern=r"\.md$", form="a path ending in .md"),
            "Markdown file of the body, relative to this YAML file.",
            required=True,
        ),
        Field(
            "key",
            KEY,
            "Stable identity of the page (default: source path from the curriculum root, "
            "without .md).",
        ),
        Field("title", TITLE, "Page title (default: title in the Markdown front matter)."),
        PUBLISHED,
        Field(
            "aliases",
            ListOf(Text(pattern=r"^/", form="a site path starting with /")),
            "Site paths (e.g. /module_one/mod1_week2) that Markdown links may use for this page.",
        ),
        _renamed_from("key"),
        ADOPT,
        STATE,
    ),
)

COMPETENCY = ObjectDef(
    "competency",
    "A competency (e.g. Networking) and its learning goals.",
    (
        Field("name", NAME, "Name of the competency.", required=True),
        Field("goals", ListOf(NAME), "The learning goals, one sentence each.", required=True),
    ),
)

LEARNING_GOALS = ObjectDef(
    "learning_goals",
    "The module's learning goals by competency, appended to a page.",
    (
        Field("page", PAGE_REF, "Key of the page that lists the goals.", required=True),
        Field(
            "competencies",
            ListOf(Object(COMPETENCY)),
            "Competencies and their goals.",
            required=True,
        ),
    ),
)

WEEK = ObjectDef(
    "week",
    "One week of a module.",
    (
        Field("number", Integer(minimum=1), "Week number; weeks are numbered 1..N.", required=True),
        Field("title", Text(max_length=WEEK_TITLE_MAX_CHARS), "Title of the week.", required=True),
        Field("page", PAGE_REF, "Key of the week's page.", required=True),
        Field("pages", ListOf(PAGE_REF), "Keys of the week's other pages, after its page."),
        Field("activities", ListOf(NAME), "The week's activities, one line each."),
        Field("discussion_group", NAME, "Name of the group set that meets this week."),
    ),
)

DELIVERABLE = ObjectDef(
    "deliverable",
    "A deliverable, synced as a Canvas assignment; matched by key.",
    (
        Field(
            "key", KEY, "Stable identity of the assignment; unique in the program.", required=True
        ),
        Field("title", TITLE, "Assignment name in Canvas.", required=True),
        Field("description", Text(non_empty=False), "Markdown description (or description_file)."),
        Field(
            "description_file",
            Text(pattern=r"\.md$", form="a path ending in .md"),
            "Markdown file of the description, relative to this YAML file.",
        ),
        Field(
            "due",
            Text(pattern=DUE_PATTERN, form=DUE_FORM, parsed_by_loader=True),
            'When it is due, relative to the cohort calendar: "Friday of week 4 at 23:59".',
            required=True,
        ),
        Field(
            "points",
            Number(minimum=0, below=POINTS_BELOW),
            "Points possible.",
            required=True,
        ),
        Field(
            "submission_types",
            ListOf(Choice(SUBMISSION_TYPES, "submission type", REFUSED_SUBMISSION_TYPES)),
            "How students submit, as Canvas names it (e.g. online_text_entry).",
            required=True,
        ),
        Field(
            "assignment_group",
            NAME,
            "Name of the assignment group (under assignment_groups) it belongs to.",
            required=True,
        ),
        Field("checklist", ListOf(NAME), "Items students must include, shown as a list."),
        PUBLISHED,
        _renamed_from("key"),
        STATE,
    ),
    one_of=("description", "description_file"),
)

MODULE = ObjectDef(
    "module",
    "A curriculum module, synced as one Canvas module; matched by title.",
    (
        Field("key", KEY, "Stable identity of the module; unique.", required=True),
        Field("title", TITLE, "Module name in Canvas.", required=True),
        PUBLISHED,
        Field("overview", PAGE_REF, "Key of the module's overview page.", required=True),
        Field("learning_goals", Object(LEARNING_GOALS), "Learning goals by competency."),
        Field("weeks", ListOf(Object(WEEK)), "The weeks, numbered 1..N in order.", required=True),
        Field("deliverables", ListOf(Object(DELIVERABLE)), "Deliverables (Canvas assignments)."),
        Field("supplemental", ListOf(PAGE_REF), "Keys of supplemental activity pages."),
        Field("resources", ListOf(PAGE_REF), "Keys of other pages, under a Resources header."),
        Field("repeat_plan", PAGE_REF, "Key of the page for students repeating the module."),
        _renamed_from("title"),
        ADOPT,
        STATE,
    ),
)

COHORT = ObjectDef(
    "cohort",
    "A target: one Canvas course running the curriculum.",
    (
        Field("name", NAME, "Name of the cohort; unique.", required=True),
        Field("course_id", Integer(minimum=1), "Canvas course id.", required=True),
        Field("start_date", Date(), "The Monday of week 1, as YYYY-MM-DD.", required=True),
        Field("time_zone", Text(), "IANA time zone of due dates (default: the program's)."),
        Field("breaks", ListOf(Date()), "Mondays of weeks with no teaching, as YYYY-MM-DD."),
    ),
)

CURRICULUM = ObjectDef(
    "curriculum_file",
    "One YAML file of a pd-sync curriculum; lists from all files are concatenated.",
    (
        Field("program", Object(PROGRAM), "The program (exactly once in the curriculum)."),
        Field(
            "assignment_groups",
            ListOf(Object(ASSIGNMENT_GROUP)),
            "Canvas assignment groups that deliverables belong to.",
        ),
        Field("group_sets", ListOf(Object(GROUP_SET)), "Discussion group sets."),
        Field("pages", ListOf(Object(PAGE)), "Pages and their Markdown files."),
        Field("modules", ListOf(Object(MODULE)), "Modules, their weeks and deliverables."),
        Field("cohorts", ListOf(Object(COHORT)), "Cohorts: the Canvas courses to sync."),
        Field(
            "files",
            ListOf(Text(form="a path relative to this file")),
            "Images and files to upload to the course's Files though no page shows or links to "
            "them (paths relative to this YAML file; pages' own images and links need no entry).",
        ),
    ),
)
