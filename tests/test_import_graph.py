"""The package has no import cycles, between modules or between stage packages; the service
layer imports no front end; front ends (CLI, web console) import only the service layer, the
presentation module and the shared vocabulary (messages, errors)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "broadcast"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every broadcast module PATH imports, at top level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{a.name}" for a in node.names} & modules
            found.update(submodules or {node.module})   # `from broadcast import proc` imports proc
    return {name for name in found if name in modules}


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: imports_of(path, modules) - {name} for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


FRONT_ENDS = {"broadcast.cli", "broadcast.__main__"}


def stage(module: str) -> str:
    """The stage package a module belongs to; top-level modules are the shared base."""
    if module in FRONT_ENDS:
        return "front end"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else "base"


def test_no_module_cycle():
    assert cycles(import_graph()) == []


def test_no_cycle_between_stage_packages():
    graph: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        graph.setdefault(stage(module), set()).update(stage(t) for t in targets if stage(t) != stage(module))
    assert cycles(graph) == []


def test_service_layer_imports_no_front_end():
    for path in (PACKAGE / "service").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not names & {"click", "starlette", "jinja2", "uvicorn"}, path
        assert "broadcast.cli" not in {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}, path


FRONT_END_MAY_IMPORT = ("broadcast.service", "broadcast.present", "broadcast.i18n", "broadcast.errors")


def front_end_package(module: str) -> str | None:
    if module in FRONT_ENDS:
        return "broadcast.cli"
    return "broadcast.web" if module == "broadcast.web" or module.startswith("broadcast.web.") else None


def forbidden_front_end_imports(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    """Per front-end module, what it imports beyond the service layer, presentation and the front ends."""
    found = {}
    for module, targets in graph.items():
        own = front_end_package(module)
        if own is None:
            continue
        bad = sorted(t for t in targets if not any(t == a or t.startswith(a + ".") for a in FRONT_END_MAY_IMPORT)
                     and front_end_package(t) is None)   # the CLI may start the console (`broadcast web`)
        if bad:
            found[module] = bad
    return found


def test_front_ends_import_only_the_service_layer_and_presentation():
    assert forbidden_front_end_imports(import_graph()) == {}


def test_presentation_imports_no_stage():
    assert import_graph()["broadcast.present"] <= {"broadcast.i18n", "broadcast.errors"}


def test_the_rule_catches_a_front_end_reaching_into_a_stage():
    graph = {"broadcast.web.views.x": {"broadcast.service.scripts", "broadcast.present", "broadcast.web.console",
                                       "broadcast.schedule.checks"},
             "broadcast.cli": {"broadcast.records.asrun", "broadcast.errors"}, "broadcast.__main__": {"broadcast.cli"}}
    assert forbidden_front_end_imports(graph) == {"broadcast.web.views.x": ["broadcast.schedule.checks"],
                                                 "broadcast.cli": ["broadcast.records.asrun"]}


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
