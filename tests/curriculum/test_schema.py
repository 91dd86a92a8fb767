"""The committed JSON Schema is the generated one, and it agrees with the loader.

``schema/curriculum.schema.json`` is what editors load (through each file's
``# yaml-language-server: $schema=...`` modeline); regenerate it with
``pd-sync schema > schema/curriculum.schema.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from pd_sync.curriculum import curriculum_schema
from pd_sync.curriculum.fields import CURRICULUM, ListOf, Object, ObjectDef

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "schema" / "curriculum.schema.json"
CURRICULUM_FILES = sorted((REPO / "curriculum").rglob("*.yml"))
VALID_FIXTURE_FILES = sorted((REPO / "tests/curriculum/fixtures/valid").rglob("*.yml"))
CASES = REPO / "tests" / "curriculum" / "cases"

# Malformed cases whose mistake lies inside one file's fields, so the schema alone must reject
# them too (cases about references, other files or Markdown are the loader's alone).
FIELD_LEVEL_CASES = [
    "bad_key_format",
    "description_both_and_neither",
    "group_count_too_large",
    "invalid_state_and_weekday",
    "invalid_submission_type",
    "many_problems_sorted",
    "missing_required_field",
    "missing_required_fields_cohort",
    "names_and_points_beyond_canvas_limits",
    "number_too_small",
    "source_not_markdown",
    "unknown_field",
    "unknown_field_no_suggestion",
    "unknown_top_level_field",
    "unsupported_submission_types",
    "wrong_type_empty_value",
    "wrong_type_file_is_list",
    "wrong_type_number_for_text",
    "wrong_type_scalar_for_list",
    "wrong_type_text_for_number",
    "wrong_type_yes_is_boolean",
]


def as_json_data(value: object) -> object:
    """YAML data as an editor sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_data(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(curriculum_schema())


def schema_errors(path: Path) -> list[str]:
    data = as_json_data(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return [error.message for error in validator().iter_errors(data)]


def test_committed_schema_is_the_generated_one() -> None:
    generated = json.dumps(curriculum_schema(), indent=2, sort_keys=True, ensure_ascii=False)
    assert COMMITTED.read_text(encoding="utf-8") == generated + "\n", (
        "regenerate it: pd-sync schema > schema/curriculum.schema.json"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(curriculum_schema())


def _definitions(definition: ObjectDef) -> list[ObjectDef]:
    found = [definition]
    for field in definition.fields:
        kind = field.type.item if isinstance(field.type, ListOf) else field.type
        if isinstance(kind, Object):
            found.extend(_definitions(kind.definition))
    return found


def test_schema_and_loader_know_the_same_fields_and_describe_each() -> None:
    schema = curriculum_schema()
    defs = schema["$defs"]
    assert isinstance(defs, dict)
    for definition in _definitions(CURRICULUM):
        node = schema if definition is CURRICULUM else defs[definition.name]
        assert node["additionalProperties"] is False
        properties = node["properties"]
        assert list(properties) == list(definition.names)
        for name, prop in properties.items():
            assert prop["description"], f"{definition.name}.{name} has no description"


@pytest.mark.parametrize("path", CURRICULUM_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_curriculum_file_matches_the_schema(path: Path) -> None:
    assert schema_errors(path) == []


@pytest.mark.parametrize("path", VALID_FIXTURE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_valid_fixture_matches_the_schema(path: Path) -> None:
    assert schema_errors(path) == []


@pytest.mark.parametrize("case", FIELD_LEVEL_CASES)
def test_schema_rejects_what_the_loader_rejects_within_a_file(case: str) -> None:
    files = sorted((CASES / case).rglob("*.yml"))
    assert any(schema_errors(path) for path in files)
