"""The JSON Schema of a curriculum YAML file, for editors (yaml-language-server) and CI.

Generated from the loader's field table (``load_fields.CURRICULUM``), so what an editor flags
and what ``pd-sync validate`` reports cannot drift apart. The schema checks each file on its
own; rules across files (unique keys, references, weeks) are the loader's alone.
"""

from __future__ import annotations

from pd_sync.curriculum.fields import (
    CURRICULUM,
    Boolean,
    Choice,
    Date,
    Either,
    FieldType,
    Integer,
    ListOf,
    Number,
    Object,
    ObjectDef,
    Text,
)


def curriculum_schema() -> dict[str, object]:
    """A JSON Schema (draft 2020-12) of one curriculum YAML file."""
    definitions: dict[str, object] = {}
    _collect(CURRICULUM, definitions)
    root = _object(CURRICULUM)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pd-sync curriculum file",
        **root,
        "$defs": definitions,
    }


def _collect(definition: ObjectDef, into: dict[str, object]) -> None:
    """Every object type reachable from ``definition``, by name, except the root itself."""
    for field in definition.fields:
        for nested in _objects_in(field.type):
            if nested.name not in into:
                into[nested.name] = _object(nested)
                _collect(nested, into)


def _objects_in(field_type: FieldType) -> list[ObjectDef]:
    if isinstance(field_type, Object):
        return [field_type.definition]
    if isinstance(field_type, ListOf):
        return _objects_in(field_type.item)
    if isinstance(field_type, Either):
        return [d for option in field_type.options for d in _objects_in(option)]
    return []


def _object(definition: ObjectDef) -> dict[str, object]:
    properties: dict[str, object] = {}
    for field in definition.fields:
        schema = _type(field.type)
        schema["description"] = field.description
        if field.default is not None:
            schema["default"] = field.default
        properties[field.name] = schema
    result: dict[str, object] = {
        "type": "object",
        "description": definition.description,
        "properties": properties,
        "additionalProperties": False,
    }
    required = [f.name for f in definition.fields if f.required]
    if required:
        result["required"] = required
    if definition.one_of:
        result["oneOf"] = [{"required": [name]} for name in definition.one_of]
    return result


def _type(field_type: FieldType) -> dict[str, object]:
    if isinstance(field_type, Text):
        text: dict[str, object] = {"type": "string"}
        if field_type.non_empty:
            text["minLength"] = 1
        if field_type.pattern:
            text["pattern"] = field_type.pattern
        if field_type.max_length is not None:
            text["maxLength"] = field_type.max_length
        return text
    if isinstance(field_type, Integer | Number):
        number: dict[str, object] = {
            "type": "integer" if isinstance(field_type, Integer) else "number"
        }
        if field_type.minimum is not None:
            number["minimum"] = field_type.minimum
        if isinstance(field_type, Integer) and field_type.maximum is not None:
            number["maximum"] = field_type.maximum
        if isinstance(field_type, Number) and field_type.below is not None:
            number["exclusiveMaximum"] = field_type.below
        return number
    if isinstance(field_type, Boolean):
        return {"type": "boolean"}
    if isinstance(field_type, Date):
        # Editors see YAML dates as strings; the pattern says which ones.
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if isinstance(field_type, Choice):
        return {"type": "string", "enum": list(field_type.values)}
    if isinstance(field_type, ListOf):
        array: dict[str, object] = {"type": "array", "items": _type(field_type.item)}
        if field_type.max_items is not None:
            array["maxItems"] = field_type.max_items
        return array
    if isinstance(field_type, Either):
        return {"oneOf": [_type(option) for option in field_type.options]}
    return {"$ref": f"#/$defs/{field_type.definition.name}"}
