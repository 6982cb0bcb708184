"""Change a few values in a YAML file the officer may also edit by hand, keeping everything else as
written (comments, key order, quoting, flow lists: ruamel.yaml's round trip). The new text is
checked before it replaces the file, atomically."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from broadcast.files import atomic_path


def edit(path: Path, changes: dict[tuple, object], check: Callable[[str], None]) -> str:
    """Set each key path of CHANGES (("report", "signer"): "…", ("slots", 2, "start"): "06:00") in
    PATH; CHECK(new_text) raises on a bad result and then the file is left as it was. Returns the
    new text."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def change(data) -> None:
        for keys, value in changes.items():
            node = data
            for key in keys[:-1]:
                if not isinstance(key, int) and not isinstance(node.get(key), (dict, list)):
                    node[key] = CommentedMap()          # missing (or empty): a new mapping
                node = node[key]
            old = node.get(keys[-1])
            if isinstance(value, (list, tuple)):
                seq = CommentedSeq(value)
                if not isinstance(old, CommentedSeq) or old.fa.flow_style():   # [a, b], as people write them
                    seq.fa.set_flow_style()
                value = seq
            node[keys[-1]] = value

    return _rewrite(path, change, check)


def append(path: Path, keys: tuple, value: dict, check: Callable[[str], None]) -> str:
    """Add VALUE (a mapping) to the list at KEYS of PATH, created if missing; the rest as written."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def commented(v):
        if isinstance(v, dict):
            return CommentedMap((k, commented(x)) for k, x in v.items())
        if isinstance(v, (list, tuple)):
            seq = CommentedSeq(commented(x) for x in v)
            seq.fa.set_flow_style()
            return seq
        return v

    def add(data) -> None:
        node = data
        for key in keys[:-1]:
            if not isinstance(node.get(key), dict):
                node[key] = CommentedMap()
            node = node[key]
        if not isinstance(node.get(keys[-1]), list):
            node[keys[-1]] = CommentedSeq()
        node[keys[-1]].append(commented(value))

    return _rewrite(path, add, check)


def _rewrite(path: Path, change: Callable, check: Callable[[str], None]) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096                             # no re-wrapping of long lines
    yaml.indent(mapping=2, sequence=4, offset=2)  # "slots:\n  - id: …", as the sample files are written
    yaml.representer.add_representer(type(None), lambda r, _none: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    data = yaml.load(path.read_text("utf-8") if path.exists() else "") or CommentedMap()
    change(data)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue()
    check(text)
    with atomic_path(path) as tmp:
        tmp.write_text(text, "utf-8")
    return text
