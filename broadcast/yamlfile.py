"""YAML loading that remembers line numbers, so errors can name file, line and field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from broadcast.errors import InputError
from broadcast.i18n import N_, _

# PyYAML's usual complaints, in the officer's language
YAML_PROBLEMS = (N_("mapping values are not allowed here"), N_("found character that cannot start any token"),
                 N_("could not find expected ':'"), N_("expected <block end>, but found '<block mapping start>'"),
                 N_("expected <block end>, but found '-'"), N_("found undefined alias"),
                 N_("found unexpected end of stream"), N_("found duplicate anchor"),
                 N_("expected ',' or ']', but got '<stream end>'"), N_("expected ',' or '}', but got '<stream end>'"),
                 N_("found a tab character that violates indentation"), N_("did not find expected key"),
                 N_("did not find expected '-' indicator"), N_("but found another document"),
                 # libyaml's wording of the same
                 N_("mapping values are not allowed in this context"), N_("did not find expected node content"),
                 N_("did not find expected ',' or ']'"), N_("did not find expected ',' or '}'"),
                 N_("found unknown escape character"), N_("found unexpected ':'"),
                 N_("did not find expected alphabetic or numeric character"),
                 N_("found incompatible YAML document"), N_("did not find expected <document start>"))



class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader (libyaml's C parser where PyYAML has it: about 5x faster) that leaves dates
    and clock times as strings (YAML 1.1 reads 17:30 as the sexagesimal number 1050): our own
    parsers read them and give located errors."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0] and _CLOCK.match(value):
            return "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)


_CLOCK = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Located:
    """Parsed YAML data plus the line of every key path (1-based)."""

    path: Path
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    line_offset: int = 0

    def line(self, *keys) -> int | None:
        while keys and keys not in self.lines:
            keys = keys[:-1]
        found = self.lines.get(keys)
        return None if found is None else found + self.line_offset

    def error(self, keys: tuple, problem: str, hint: str | None = None) -> InputError:
        name = ".".join(str(k) for k in keys) if keys else None
        return InputError(self.path, self.line(*keys), name, problem, hint)


def _walk(node, keys: tuple, lines: dict) -> None:
    lines.setdefault(keys, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            sub = keys + (key_node.value,)
            lines[sub] = key_node.start_mark.line + 1
            _walk(value_node, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, keys + (index,), lines)


def parse(text: str, path: Path, line_offset: int = 0) -> Located:
    """Parse YAML text; a syntax error becomes an InputError with its line."""
    loader = _Loader(text)
    try:                                  # one parse: the node gives the lines, then the data
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        if problem in YAML_PROBLEMS:
            problem = _(problem)
        raise InputError(path, line, None, _("YAML syntax: {problem}").format(problem=problem),
                         _("check the indentation, that 'key: value' pairs have a space after ':', and put "
                           "a value that itself holds ': ' or '#' in quotes")) from exc
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return Located(Path(path), data, lines, line_offset)


def load(path: Path) -> Located:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise InputError(path, None, None, _("file not found")) from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, None, None, _("not UTF-8 text"), _("save the file as UTF-8")) from exc

    return parse(text, path)
