"""The plan's vocabulary: one frozen dataclass per thing pd-sync may do to a course.

A ``Plan`` is an ordered tuple of these. Writes carry everything ``apply`` needs to send;
references to objects that may not exist yet (an assignment group created earlier in the same
plan, a page whose slug is known only after creation) are by name or key, resolved by ``apply``
as it goes. ``Conflict`` and ``Notice`` are never executed: they explain what pd-sync will not do.

Over 400 lines on purpose: the vocabulary is read as one list, and every action kind sits next to
the others it must stay consistent with (names, object types, JSON form).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from pd_sync.plan.target import PlanTarget

Value = str | float | int | bool | None | tuple[str, ...]


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between Canvas and the curriculum."""

    field: str
    old: Value
    new: Value


@dataclass(frozen=True)
class Action:
    """Base of every planned action; ``symbol`` is how previews mark it."""

    DUPLICATE = "a second copy made by a concurrent or interrupted run; the first is kept"

    symbol: ClassVar[str] = "?"
    object_type: ClassVar[str] = "object"
    writes: ClassVar[bool] = True

    @property
    def name(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class CreatePage(Action):
    symbol: ClassVar[str] = "+"
    object_type: ClassVar[str] = "page"
    key: str
    title: str
    body: str
    published: bool
    url: str
    reason: str = "new in the curriculum"

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True)
class UpdatePage(Action):
    symbol: ClassVar[str] = "~"
    object_type: ClassVar[str] = "page"
    key: str
    url: str
    title: str
    changes: tuple[FieldChange, ...]
    new_url: str
    body: str | None = None
    old_body: str | None = field(default=None, compare=False)
    drift: bool = False
    reason: str = ""

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True)
class DeletePage(Action):
    symbol: ClassVar[str] = "-"
    object_type: ClassVar[str] = "page"
    key: str
    url: str
    title: str
    reason: str

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True)
class CreateAssignmentGroup(Action):
    symbol: ClassVar[str] = "+"
    object_type: ClassVar[str] = "assignment group"
    group_name: str
    position: int | None = None
    group_weight: float | None = None
    reason: str = "new in the curriculum"

    @property
    def name(self) -> str:
        return self.group_name


@dataclass(frozen=True)
class UpdateAssignmentGroup(Action):
    symbol: ClassVar[str] = "~"
    object_type: ClassVar[str] = "assignment group"
    group_id: int
    group_name: str
    changes: tuple[FieldChange, ...]
    reason: str = ""

    @property
    def name(self) -> str:
        return self.group_name


@dataclass(frozen=True)
class DeleteAssignmentGroup(Action):
    symbol: ClassVar[str] = "-"
    object_type: ClassVar[str] = "assignment group"
    group_id: int
    group_name: str
    reason: str = "state: absent in the curriculum"
    # Where Canvas moves the group's assignments instead of deleting them with it.
    move_assignments_to: int | None = None

    @property
    def name(self) -> str:
        return self.group_name


@dataclass(frozen=True)
class CreateAssignment(Action):
    symbol: ClassVar[str] = "+"
    object_type: ClassVar[str] = "assignment"
    key: str
    title: str
    description: str
    points_possible: float
    due_at: str | None
    submission_types: tuple[str, ...]
    assignment_group: str
    published: bool
    reason: str = "new in the curriculum"

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True)
class UpdateAssignment(Action):
    """``changes`` hold display values; ``assignment_group`` is resolved to an id by apply."""

    symbol: ClassVar[str] = "~"
    object_type: ClassVar[str] = "assignment"
    key: str
    assignment_id: int
    title: str
    changes: tuple[FieldChange, ...]
    description: str | None = None
    old_description: str | None = field(default=None, compare=False)
    drift: bool = False
    reason: str = ""

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True)
class DeleteAssignment(Action):
    symbol: ClassVar[str] = "-"
    object_type: ClassVar[str] = "assignment"
    key: str
    assignment_id: int
    title: str
    reason: str

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True)
class CreateGroupSet(Action):
    symbol: ClassVar[str] = "+"
    object_type: ClassVar[str] = "group set"
    set_name: str
    reason: str = "new in the curriculum"

    @property
    def name(self) -> str:
        return self.set_name


@dataclass(frozen=True)
class UpdateGroupSet(Action):
    symbol: ClassVar[str] = "~"
    object_type: ClassVar[str] = "group set"
    group_set_id: int
    set_name: str
    changes: tuple[FieldChange, ...]
    reason: str = ""

    @property
    def name(self) -> str:
        return self.set_name


@dataclass(frozen=True)
class DeleteGroupSet(Action):
    symbol: ClassVar[str] = "-"
    object_type: ClassVar[str] = "group set"
    group_set_id: int
    set_name: str
    reason: str = "state: absent in the curriculum"

    @property
    def name(self) -> str:
        return self.set_name


@dataclass(frozen=True)
class CreateGroup(Action):
    symbol: ClassVar[str] = "+"
    object_type: ClassVar[str] = "group"
    set_name: str
    group_name: str
    reason: str = "new in the curriculum"

    @property
    def name(self) -> str:
        return f"{self.set_name} / {self.group_name}"


@dataclass(frozen=True)
class DeleteGroup(Action):
    symbol: ClassVar[str] = "-"
    object_type: ClassVar[str] = "group"
    set_name: str
    group_id: int
    group_name: str
    reason: str = "duplicate"

    @property
    def name(self) -> str:
        return f"{self.set_name} / {self.group_name}"


@dataclass(frozen=True)
class CreateModule(Action):
    symbol: ClassVar[str] = "+"
    object_type: ClassVar[str] = "module"
    module_name: str
    reason: str = "new in the curriculum"

    @property
    def name(self) -> str:
        return self.module_name


@dataclass(frozen=True)
class UpdateModule(Action):
    """Renames a module or changes its published state, which Canvas cascades to the content
    of its items unless ``skip_content_tags`` (sent when the cascade would undo a published
    state the curriculum declares, or touch an item pd-sync does not own)."""

    symbol: ClassVar[str] = "~"
    object_type: ClassVar[str] = "module"
    module_name: str
    changes: tuple[FieldChange, ...]
    module_id: int | None = None
    reason: str = ""
    skip_content_tags: bool = False

    @property
    def name(self) -> str:
        return self.module_name


@dataclass(frozen=True)
class DeleteModule(Action):
    symbol: ClassVar[str] = "-"
    object_type: ClassVar[str] = "module"
    module_id: int
    module_name: str
    reason: str = "state: absent in the curriculum"

    @property
    def name(self) -> str:
        return self.module_name


@dataclass(frozen=True)
class CreateModuleItem(Action):
    """``ref`` is a page key, deliverable key or (for SubHeader) the title itself.

    ``publish``: publish right after creating. Canvas creates SubHeaders unpublished and takes no
    published state on create; inside an already-published module they need this second step.
    """

    symbol: ClassVar[str] = "+"
    object_type: ClassVar[str] = "module item"
    module_name: str
    kind: str
    title: str
    ref: str
    position: int
    reason: str = "new in the curriculum"
    publish: bool = False

    @property
    def name(self) -> str:
        return f"{self.module_name} / {self.title}"


@dataclass(frozen=True)
class UpdateModuleItem(Action):
    symbol: ClassVar[str] = "~"
    object_type: ClassVar[str] = "module item"
    module_name: str
    item_id: int
    title: str
    changes: tuple[FieldChange, ...]
    reason: str = ""

    @property
    def name(self) -> str:
        return f"{self.module_name} / {self.title}"


@dataclass(frozen=True)
class MoveModuleItem(Action):
    symbol: ClassVar[str] = "~"
    object_type: ClassVar[str] = "module item"
    module_name: str
    item_id: int
    title: str
    old_position: int
    position: int
    reason: str = "out of order"

    @property
    def name(self) -> str:
        return f"{self.module_name} / {self.title}"


@dataclass(frozen=True)
class DeleteModuleItem(Action):
    symbol: ClassVar[str] = "-"
    object_type: ClassVar[str] = "module item"
    module_name: str
    item_id: int
    title: str
    reason: str = "no longer in the module"

    @property
    def name(self) -> str:
        return f"{self.module_name} / {self.title}"


@dataclass(frozen=True)
class RecordOwnership(Action):
    """Write pd-sync's ownership record (``desired.ownership``): the ids it has proven it made.

    ``stage`` "begin" runs before every other write and announces ``pending`` creates; "finish"
    runs after them and adds the ids this run created. ``supersede`` lists the record pages read
    for this plan, deleted once their entries are in the new one. ``files`` are the recorded
    uploads ``(file id, path, digest)`` to keep; "finish" adds this run's.
    """

    symbol: ClassVar[str] = "~"
    object_type: ClassVar[str] = "ownership record"
    stage: str
    ids: tuple[tuple[str, int], ...]
    pending: tuple[tuple[str, str], ...]
    supersede: tuple[str, ...]
    reason: str = "records what pd-sync made"
    files: tuple[tuple[int, str, str], ...] = ()

    @property
    def name(self) -> str:
        return "pd-sync ownership record"


@dataclass(frozen=True)
class Conflict(Action):
    """Something pd-sync will not touch, and why (e.g. a hand-made page has the title)."""

    symbol: ClassVar[str] = "!"
    writes: ClassVar[bool] = False
    kind: str
    object_name: str
    reason: str

    @property
    def name(self) -> str:
        return self.object_name


@dataclass(frozen=True)
class Notice(Action):
    """Information for the reader that needs no write (e.g. an orphan kept without --prune)."""

    symbol: ClassVar[str] = "!"
    writes: ClassVar[bool] = False
    kind: str
    object_name: str
    reason: str

    @property
    def name(self) -> str:
        return self.object_name


def action_types() -> dict[str, type[Action]]:
    """Every concrete action type by its name (as the plan JSON's ``action`` says it)."""
    found: dict[str, type[Action]] = {}
    pending = list(Action.__subclasses__())
    while pending:
        cls = pending.pop()
        found[cls.__name__] = cls
        pending += cls.__subclasses__()
    return found


def object_type_of(action: Action) -> str:
    """What kind of Canvas object an action is about (page, assignment, module item, …)."""
    return action.kind if isinstance(action, Conflict | Notice) else action.object_type


@dataclass(frozen=True)
class Plan:
    """Ordered actions for one course; dependency order is the tuple order.

    ``up_to_date`` lists ``(object type, name)`` of every curriculum object that needs nothing,
    so a plan with no actions still says why: each object is up to date. ``notes`` are facts
    about how this Canvas was read (each said once); unlike a ``Notice`` they ask for no review.
    ``target`` says which Canvas, course and cohort the plan is for. ``prune``: made with
    ``--prune``, so pd-sync's objects that left the curriculum are deleted rather than kept
    (every view says which, as the same curriculum plans differently either way).
    """

    course_id: int
    time_zone: str
    actions: tuple[Action, ...]
    up_to_date: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    target: PlanTarget = field(default_factory=PlanTarget)
    prune: bool = False

    @property
    def writes(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.writes)

    @property
    def has_changes(self) -> bool:
        return bool(self.writes)
