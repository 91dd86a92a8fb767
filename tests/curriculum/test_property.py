"""Whatever is on disk, loading ends in a ``Program`` or a ``CurriculumError``, never a crash.

Three kinds of input: arbitrary text or bytes as a YAML file; arbitrary nested data dumped to
YAML; and the valid fixture with one value replaced by arbitrary data (which reaches the
deeper checks: references, weeks, dates, Markdown). Front matter gets arbitrary text too.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pd_sync.curriculum import load_curriculum
from pd_sync.curriculum.fields import CURRICULUM, Field, ListOf, Object, ObjectDef
from pd_sync.errors import CurriculumError

VALID = Path(__file__).parent / "fixtures" / "valid"
MODULE_YML = Path("modules/mod1/module.yml")


def _all_field_names(definition: ObjectDef, into: set[str]) -> set[str]:
    for field in definition.fields:
        into.add(field.name)
        _nested(field, into)
    return into


def _nested(field: Field, into: set[str]) -> None:
    kind = field.type.item if isinstance(field.type, ListOf) else field.type
    if isinstance(kind, Object):
        _all_field_names(kind.definition, into)


FIELD_NAMES = sorted(_all_field_names(CURRICULUM, set()))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["Friday of week 2", "America/Denver", "mod1", "week1.md", "page:overview"]),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=10))
data = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=25,
)


def _load_quietly(root: Path) -> None:
    try:
        load_curriculum(root)
    except CurriculumError as error:
        assert error.problems, "a CurriculumError must carry at least one problem"
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1, problem


def _with_file(name: str, content: bytes, base: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "curriculum"
        if base is not None:
            shutil.copytree(base, root)
        root.mkdir(exist_ok=True)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
        _load_quietly(root)


quick = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(st.text(max_size=300))
def test_arbitrary_text_as_yaml(text: str) -> None:
    _with_file("curriculum.yml", text.encode("utf-8"))


@quick
@given(st.binary(max_size=200))
def test_arbitrary_bytes_as_yaml(content: bytes) -> None:
    _with_file("curriculum.yml", content)


@quick
@given(st.dictionaries(keys, data, max_size=6))
def test_arbitrary_data_dumped_to_yaml(value: dict[str, object]) -> None:
    _with_file("curriculum.yml", yaml.safe_dump(value).encode("utf-8"))


def _replace_somewhere(tree: object, choose: Callable[[int], int], new: object) -> object:
    """``tree`` with one node (picked by ``choose``) replaced by ``new``."""
    if isinstance(tree, dict) and tree:
        keys_ = sorted(tree)
        pick = choose(len(keys_) + 1)
        if pick == len(keys_):
            return new
        key = keys_[pick]
        return {**tree, key: _replace_somewhere(tree[key], choose, new)}
    if isinstance(tree, list) and tree:
        pick = choose(len(tree) + 1)
        if pick == len(tree):
            return new
        return [*tree[:pick], _replace_somewhere(tree[pick], choose, new), *tree[pick + 1 :]]
    return new


@quick
@given(st.data(), data)
def test_valid_curriculum_with_one_value_replaced(draw: st.DataObject, new: object) -> None:
    original = yaml.safe_load((VALID / MODULE_YML).read_text(encoding="utf-8"))

    def choose(n: int) -> int:
        return draw.draw(st.integers(min_value=0, max_value=n - 1))

    mutated = _replace_somewhere(original, choose, new)
    _with_file(str(MODULE_YML), yaml.safe_dump(mutated).encode("utf-8"), base=VALID)


@quick
@given(st.text(max_size=200))
def test_arbitrary_front_matter_and_markdown(text: str) -> None:
    content = f"---\n{text}\n---\nSee [week 2](week2.md) and {text}\n"
    _with_file("modules/mod1/week1.md", content.encode("utf-8"), base=VALID)
