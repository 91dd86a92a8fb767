"""YAML text → a tree of located values, rejecting duplicate keys. One of the two yaml importers.

PyYAML's ``compose`` keeps every node's position but builds plain dicts only through a
constructor that silently lets a later duplicate key win, so the tree is built here instead:
mappings keep their entries in order with the position of each key and value, and scalars are
constructed one by one (so an impossible date such as ``2026-02-30`` stays text and is reported
by whoever expects a date, instead of aborting the whole file).

Positions are 1-based, like editors show them; PyYAML's marks are 0-based.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.constructor import SafeConstructor

from pd_sync.curriculum.excerpt import quoted
from pd_sync.curriculum.limits import YAML_DEPTH_MAX
from pd_sync.errors import Problem

# The C parser is several times faster on large curricula; both give the same nodes and marks.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_YAML_TAG = "tag:yaml.org,2002:"
_MERGE_TAG = _YAML_TAG + "merge"
_RESOLVER = yaml.resolver.Resolver()


@dataclass(frozen=True)
class Position:
    """1-based line and column inside one file."""

    line: int
    column: int


@dataclass(frozen=True)
class Scalar:
    """A scalar as YAML types it: str, int, float, bool, None, date, datetime or bytes.

    ``text`` is the scalar as written (without quotes), for messages such as "got yes".
    ``style`` is how it is written: None (plain), quotes, or ``|``/``>`` for block scalars,
    whose content starts on the line after the indicator.
    """

    value: object
    text: str
    position: Position
    style: str | None = None


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]
    position: Position


@dataclass(frozen=True)
class Entry:
    """One ``key: value`` of a mapping; ``key_position`` is where the key is written."""

    key: str
    key_position: Position
    value: Node


@dataclass(frozen=True)
class Mapping:
    entries: tuple[Entry, ...]
    position: Position

    def get(self, key: str) -> Entry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None


Node = Scalar | Sequence | Mapping


def parse_yaml(
    text: str, file: str, *, first_line: int = 1, root: str = ""
) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document; ``None`` for an empty one (comments only).

    ``file`` is how problems name the file; ``first_line`` is the file line where ``text``
    starts (front matter inside a Markdown file starts on line 2); ``root`` is the key path of
    the document in messages ("" for "the top level"). A syntax error yields no tree and one
    problem; other problems (duplicate keys, bad tags) come with the tree.
    """
    bounded = _unbounded_parts(text, file, first_line, root)
    if bounded:
        return None, bounded
    try:
        composed = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        return None, [_syntax_problem(error, text, file, first_line, root)]
    except (UnicodeError, RecursionError) as error:
        # The C parser re-encodes to UTF-8 (lone surrogates fail); deep nesting exhausts the stack.
        what = "nested too deeply" if isinstance(error, RecursionError) else "not valid UTF-8"
        message = f"cannot read YAML: the text is {what} {where(root)}; simplify it"
        return None, [Problem(file, first_line, 1, message)]
    if composed is None:
        return None, []
    builder = _TreeBuilder(file, first_line)
    try:
        tree = builder.build(composed, root)
    except RecursionError:
        message = f"cannot read YAML: values are nested too deeply {where(root)}; flatten them"
        return None, [Problem(file, first_line, 1, message)]
    return tree, builder.problems


def _unbounded_parts(text: str, file: str, first_line: int, root: str) -> list[Problem]:
    """Aliases, and nesting deeper than ``YAML_DEPTH_MAX``, found before anything is built.

    PyYAML shares an anchored value with each alias, and every pass after it walks the value
    once per alias, so ten aliases of ten aliases of ... ("billion laughs") take exponential
    time from a few hundred bytes; the curriculum never needs them, so they are refused. Deep
    nesting would exhaust the stack of the recursive passes. Events come from the parser
    without building anything, and libyaml's parser keeps its own stack, so this pass is flat.
    """
    problems: list[Problem] = []
    depth = aliases = 0
    first_alias: tuple[tuple[int, int], str] | None = None
    # Events carry places but no key paths; the place says where.
    inside = f" in {root}" if root else ""
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            mark = event.start_mark
            at = (mark.line + first_line, mark.column + 1) if mark is not None else (first_line, 1)
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases == 1:
                    first_alias = (at, str(event.anchor))
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > YAML_DEPTH_MAX:
                    message = (
                        f"lists and mappings are nested more than {YAML_DEPTH_MAX} levels "
                        f"deep{inside}; flatten them"
                    )
                    problems.append(Problem(file, *at, message))
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # a syntax error: compose reports it, with its place
    if first_alias is not None:
        (line, column), anchor = first_alias
        more = f", nor are the {aliases - 1} after it" if aliases > 1 else ""
        message = (
            f"YAML alias {quoted('*' + anchor)} is not supported{inside}{more} (an alias "
            "repeats a value without bound); write the value out in full instead of & and *"
        )
        problems.append(Problem(file, line, column, message))
    return problems


def key_path(parent: str, key: str) -> str:
    """``modules[0]`` + ``due`` → ``modules[0].due``."""
    return f"{parent}.{key}" if parent else key


def index_path(parent: str, index: int) -> str:
    return f"{parent}[{index}]"


def where(path: str) -> str:
    """``at modules[0].due``, or ``at the top level`` for the document itself."""
    return f"at {path}" if path else "at the top level"


def _syntax_problem(
    error: yaml.YAMLError, text: str, file: str, first_line: int, root: str
) -> Problem:
    line, column = 1, 1
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        what = ", ".join(part for part in (error.context, error.problem) if part) or "cannot parse"
    else:
        position = getattr(error, "position", None)
        if isinstance(position, int):
            before = text[:position]
            line = before.count("\n") + 1
            column = position - (before.rfind("\n") + 1) + 1
        what = str(error).splitlines()[0] if str(error) else "cannot parse"
    lines = text.splitlines()
    written = lines[line - 1] if 0 < line <= len(lines) else ""
    if "another document" in what:
        fix = "keep one YAML document per file: remove the '---' line or split the file"
    elif "\t" in written[: column + 1]:
        fix = "indent with spaces: YAML does not allow tabs for indentation"
    else:
        fix = "check the indentation, colons and quoting around this place"
    # No key path: the text around a syntax error has no structure to name.
    inside = f" in {root}" if root else ""
    message = f"YAML syntax error{inside}: {what}; {fix}"
    return Problem(file, line + first_line - 1, column, message)


class _TreeBuilder:
    """Turns composed nodes into ``Node``s, collecting problems instead of stopping."""

    def __init__(self, file: str, first_line: int) -> None:
        self.file = file
        self.first_line = first_line
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def position(self, mark: yaml.Mark) -> Position:
        return Position(mark.line + self.first_line, mark.column + 1)

    def problem(self, mark: yaml.Mark, message: str) -> None:
        position = self.position(mark)
        self.problems.append(Problem(self.file, position.line, position.column, message))

    def build(self, node: yaml.Node, path: str) -> Node:
        # Aliases were refused before composing (``_unbounded_parts``), so every node is new.
        self._check_tag(node, path)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = tuple(
                self.build(item, index_path(path, i)) for i, item in enumerate(node.value)
            )
            return Sequence(items, self.position(node.start_mark))
        return self._scalar(node, path)

    def _check_tag(self, node: yaml.Node, path: str) -> None:
        if not node.tag.startswith(_YAML_TAG):
            self.problem(
                node.start_mark,
                f"unsupported YAML tag {quoted(node.tag)} {where(path)}; remove the tag",
            )

    def _mapping(self, node: yaml.MappingNode, path: str) -> Mapping:
        entries: list[Entry] = []
        first_seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            key_at = self.position(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(
                    key_node.start_mark,
                    f"a list or mapping is used as a key {where(path)}; keys are plain names",
                )
                continue
            key = str(key_node.value)
            if key_node.tag == _MERGE_TAG:
                self.problem(
                    key_node.start_mark,
                    f"YAML merge keys (<<) are not supported {where(path)}; "
                    "write the fields out in full",
                )
                continue
            if key in first_seen:
                first = first_seen[key]
                self.problem(
                    key_node.start_mark,
                    f"duplicate key {quoted(key)} {where(path)} (first written at "
                    f"{self.file}:{first.line}:{first.column}); remove one of them",
                )
                continue
            first_seen[key] = key_at
            value = self.build(value_node, key_path(path, key))
            entries.append(Entry(key, key_at, value))
        return Mapping(tuple(entries), self.position(node.start_mark))

    def _scalar(self, node: yaml.Node, path: str) -> Scalar:
        text = str(node.value)
        style = getattr(node, "style", None) or None
        at = self.position(node.start_mark)
        if not node.tag.startswith(_YAML_TAG):
            # The tag was reported; read the value as if untagged, so it is not reported twice.
            implicit: str = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, text, (True, False)
            )
            node = yaml.ScalarNode(implicit, text, node.start_mark, node.end_mark, style)
        try:
            value: object = self._constructor.construct_object(node)
        except Exception as error:  # each explicit tag fails in its own way
            if node.tag == _YAML_TAG + "timestamp":
                # "2026-02-30" looks like a date but is none; a date field reports it as such.
                return Scalar(text, text, at, style)
            self.problem(
                node.start_mark,
                f"cannot read {quoted(text)} as {node.tag.removeprefix(_YAML_TAG)} {where(path)} "
                f"({quoted(str(error))}); remove the tag or fix the value",
            )
            return Scalar(text, text, at, style)
        return Scalar(value, text, at, style)
