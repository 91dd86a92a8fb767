"""pd-sync's copy of Canvas's sanitiser tables is the sandbox's copy, table for table.

The sandbox may import nothing from pd_sync (it is an independent model of Canvas), so the two
live apart; this test is what keeps them from drifting. When canvas-lms changes its lists,
change both files from the canvas-lms source.
"""

from __future__ import annotations

import pytest

from pd_sync.desired import canvas_allowlist as ours
from pd_sync.sandbox import allowlist as sandbox

TABLES = [
    "MATHML",
    "ELEMENTS",
    "VOID",
    "DROP_WITH_CONTENT",
    "GLOBAL_ATTRIBUTES",
    "ELEMENT_ATTRIBUTES",
    "PROTOCOLS",
    "CSS_PROTOCOLS",
    "CSS_PROPERTIES",
]


@pytest.mark.parametrize("table", TABLES)
def test_table_is_the_sandboxs(table: str) -> None:
    assert getattr(ours, table) == getattr(sandbox, table)


def test_data_attribute_rule_is_the_sandboxs() -> None:
    # The sandbox keeps its rule private; its pattern text is the contract.
    assert ours.DATA_ATTRIBUTE.pattern == sandbox._DATA.pattern
    assert ours.DATA_ATTRIBUTE.flags == sandbox._DATA.flags


NAMES = [
    ("a", "href"),
    ("a", "aria-current"),
    ("li", "value"),
    ("time", "datetime"),
    ("p", "aria-label"),
    ("div", "data-ok"),
    ("div", "data-a:b"),
    ("div", "data-method"),
    ("div", "data-api-endpoint"),
    ("div", "data-pd-sync-key"),
    ("iframe", "allow"),
    ("mi", "definitionurl"),
]


@pytest.mark.parametrize(("tag", "name"), NAMES)
def test_attribute_decisions_agree(tag: str, name: str) -> None:
    assert ours.attribute_allowed(tag, name) == sandbox.attribute_allowed(tag, name)


@pytest.mark.parametrize(
    "prop", ["font-weight", "font-style", "text-transform", "bottom", "border-top-color", "gap"]
)
def test_css_decisions_agree(prop: str) -> None:
    assert ours.css_property_allowed(prop) == sandbox.css_property_allowed(prop)
