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
    yaml.width = 4096                            # no re-wrapping of long lines
    yaml.indent(mapping=2, sequence=4, offset=2)  # "slots:\n  - id: …", as the sample files are written
    yaml.representer.add_representer(type(None), lambda r, _none: r.represent_scalar("tag:yaml.org,2002:null", "null"))

    data = yaml.load(path.read_text("utf-8") if path.exists() else "") or CommentedMap()
    for keys, value in changes.items():
        node = data
        for key in keys[:-1]:
            if isinstance(key, int):                # an entry of a list: slots[2]
                node = node[key]
                continue
            if not isinstance(node.get(key), (dict, list)):   # missing (or empty): a new mapping
                node[key] = CommentedMap()

            node = node[key]
        old = node.get(keys[-1])

        if isinstance(value, (list, tuple)):
            seq = CommentedSeq(value)
            if not isinstance(old, CommentedSeq) or old.fa.flow_style():   # [a, b], as people write them
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
