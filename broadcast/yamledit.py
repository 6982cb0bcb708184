"""Change a few values in a YAML file the officer may also edit by hand, keeping everything else as
written (comments, key order, quoting, flow lists: ruamel.yaml's round trip). The new text is
checked before it replaces the file, atomically."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from broadcast.files import atomic_path


def edit(path: Path, changes: dict[tuple, object], check: Callable[[str], None]) -> str:
    """Set each key path of CHANGES (("report", "signer"): "…") in PATH; CHECK(new_text) raises on
    a bad result and then the file is left as it was. Returns the new text."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.representer.add_representer(type(None), lambda r, _none: r.represent_scalar("tag:yaml.org,2002:null", "null"))

    data = yaml.load(path.read_text("utf-8") if path.exists() else "") or CommentedMap()
    for keys, value in changes.items():
        node = data
        for key in keys[:-1]:
            if not isinstance(node.get(key), dict):
                node[key] = CommentedMap()
            node = node[key]
        old = node.get(keys[-1])
        if isinstance(value, (list, tuple)):
            seq = CommentedSeq(value)
            if isinstance(old, CommentedSeq) and old.fa.flow_style():
                seq.fa.set_flow_style()
            value = seq
        node[keys[-1]] = value
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue()
    check(text)
    with atomic_path(path) as tmp:
        tmp.write_text(text, "utf-8")
    return text
