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


MAX_BYTES = 1024 * 1024       # a schedule, a script or station.yaml is a few kB: a larger file is not one
MAX_DEPTH = 32                # deeper nesting is a mistake (or an attack), never a setting


_PLAIN_TAGS = {yaml.MappingNode: "tag:yaml.org,2002:map", yaml.SequenceNode: "tag:yaml.org,2002:seq"}


def _tagged(loader, node) -> bool:
    """The node carries an explicit YAML tag (!!float x, !!binary, !!set): never needed in our files,
    and a tag the value does not fit fails when the data is built."""
    if isinstance(node, yaml.ScalarNode):
        return node.tag != loader.resolve(yaml.ScalarNode, node.value, (node.style in (None, ""), True))
    return node.tag != _PLAIN_TAGS[type(node)]


def _walk(root, path: Path, line_offset: int, loader=None) -> dict[tuple, int]:
    """The line of every key path, refusing what would blow up when the data is built: a node used
    twice (an alias: "billion laughs" grows without bound), nesting deeper than MAX_DEPTH, a key
    written twice in one mapping, an explicit tag. Iterative: deep nesting cannot overflow the stack here."""
    lines: dict[tuple, int] = {}
    seen: set[int] = set()
    stack = [(root, ())]
    while stack:
        node, keys = stack.pop()
        where = node.start_mark.line + 1 + line_offset
        if id(node) in seen:
            raise InputError(path, where, None, _("anchors and aliases (&, *) are not allowed"),
                             _("write the value out where it is needed"))
        seen.add(id(node))
        if loader is not None and _tagged(loader, node):
            name = ".".join(str(k) for k in keys) or None
            raise InputError(path, where, name, _("YAML tags such as {tag} are not allowed").format(
                tag=node.tag.replace("tag:yaml.org,2002:", "!!")), _("write the value alone, without the tag"))
        if len(keys) > MAX_DEPTH:
            raise InputError(path, where, None, _("nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                             _("check the indentation"))
        lines.setdefault(keys, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            names: set = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise InputError(path, key_node.start_mark.line + 1 + line_offset, None,
                                     _("a key must be a plain name"))
                if key_node.value in names:
                    raise InputError(path, key_node.start_mark.line + 1 + line_offset, key_node.value,
                                     _("written twice"), _("keep one of the two lines"))
                names.add(key_node.value)
                sub = keys + (key_node.value,)
                lines[sub] = key_node.start_mark.line + 1
                stack.append((value_node, sub))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, keys + (index,)) for index, item in enumerate(node.value))
    return lines


def parse(text: str, path: Path, line_offset: int = 0) -> Located:
    """Parse YAML text; a syntax error becomes an InputError with its line."""
    if len(text) > MAX_BYTES:
        raise InputError(path, None, None, _("the file is too large ({mb:.1f} MB)").format(mb=len(text) / 1024 / 1024),
                         _("check that this is the right file"))
    loader = _Loader(text)
    try:                                  # one parse: the node gives the lines, then the data
        node = loader.get_single_node()
        lines = _walk(node, Path(path), line_offset, loader) if node is not None else {}
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        if "maximum nesting depth" in problem:         # libyaml's own limit, met before ours
            raise InputError(path, line, None, _("nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                             _("check the indentation")) from None
        if problem in YAML_PROBLEMS:
            problem = _(problem)
        raise InputError(path, line, None, _("YAML syntax: {problem}").format(problem=problem),
                         _("check the indentation, that 'key: value' pairs have a space after ':', and put "
                           "a value that itself holds ': ' or '#' in quotes")) from exc
    except RecursionError:
        raise InputError(path, None, None, _("nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                         _("check the indentation")) from None
    finally:
        loader.dispose()
    return Located(Path(path), data, lines, line_offset)


def load(path: Path) -> Located:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(path, None, None, _("the file is too large ({mb:.1f} MB)").format(
                mb=path.stat().st_size / 1024 / 1024), _("check that this is the right file"))
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise InputError(path, None, None, _("file not found")) from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, None, None, _("not UTF-8 text"), _("save the file as UTF-8")) from exc

    return parse(text, path)
