"""PURE: whether a module's publish or unpublish may cascade to the content its items point at.

context_modules_api_controller.rb#update: setting ``module[published]`` runs
``publish_items!`` / ``unpublish_items!`` (each tag's ``trigger_publish!``, then
``update_asset_workflow_state!``, so the page or assignment takes the module's state), unless
``module[skip_content_tags]`` is true. Letting it cascade is cheapest, since SubHeaders are
published with the module for free; but it would publish a page the curriculum keeps
unpublished (an assignment published by mistake even notifies students), or change an item
someone added by hand. Then pd-sync asks Canvas to skip the cascade and publishes its own
SubHeaders itself; pages and assignments already get the state the curriculum declares from
their own creates and updates.
"""

from __future__ import annotations

from collections.abc import Iterable

from pd_sync.desired import CourseState, ModuleItemState

Declared = dict[tuple[str, str], bool]


def declared_states(desired: CourseState) -> Declared:
    """(item kind, key) → the published state the curriculum declares for that content."""
    states: Declared = {("Page", p.key): p.published for p in desired.pages if p.key}
    states |= {("Assignment", a.key): a.published for a in desired.assignments if a.key}
    return states


def cascade_is_harmless(
    published: bool,
    items: Iterable[ModuleItemState],
    hand_items: Iterable[ModuleItemState],
    declared: Declared,
) -> bool:
    """Would the cascade of setting the module to ``published`` leave every item's content as
    the curriculum wants it? ``items`` are the curriculum's (SubHeaders follow the module
    anyway); ``hand_items`` are observed items that are not pd-sync's, which it never changes.
    """
    content = [i for i in items if i.kind in ("Page", "Assignment") and i.ref is not None]
    if any(declared.get((i.kind, i.ref or ""), published) != published for i in content):
        return False
    return all(item.published == published for item in hand_items)
