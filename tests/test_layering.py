"""The package layout holds: no import cycles, and no stage imports a stage above it.

Every module of workflow/ is parsed with ast; every import counts, including those inside functions
and `from . import x`. The layers, bottom to top (see README, Architecture):

    bottom       model, names, parallel, files,    plain values and utilities, the atomic write,
                 config, safefs, sealed, codec,    workflow.yaml declared and validated, files read as
                 digests, safeyaml                 data, sealed cache entries, Document as JSON, file
                                                   hashes remembered by stat, the one YAML loader
    editions     workflow/editions/                one guide in one language: pure
    project      project.py                        the project on disk (config, paths, parsed guides)
    checks       workflow/checks/                  the checks over plain entries: pure
    catalogs     workflow/catalogs/                the only code that reads and writes PO files
    publishing   workflow/publishing/              building every edition, the release store
    distributed  workflow/distributed/             the same run on Celery workers
    cli          cli/, __main__.py                 argument parsing and printing

project.py parses guides (editions.segment, editions.facts), so it sits above editions, not at the
bottom; nothing in editions or checks reads the project.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "workflow"

BOTTOM = {"workflow", "workflow.model", "workflow.names", "workflow.parallel", "workflow.files", "workflow.config",
          "workflow.safefs", "workflow.sealed", "workflow.codec",
          "workflow.digests", "workflow.maintainer", "workflow.safeyaml", "workflow.packs"}
STAGES = ("editions", "checks", "catalogs", "publishing", "distributed")

# layer -> layers it must not import
FORBIDDEN = {
    "bottom": {"editions", "project", "checks", "catalogs", "publishing", "distributed", "cli"},
    "editions": {"project", "checks", "catalogs", "publishing", "distributed", "cli"},
    "project": {"checks", "catalogs", "publishing", "distributed", "cli"},
    "checks": {"project", "catalogs", "publishing", "distributed", "cli"},
    "catalogs": {"publishing", "distributed", "cli"},
    "publishing": {"distributed", "cli"},
    "distributed": {"cli"},
    "cli": set(),
}
# PO machinery: editions and checks see plain entries (model.Entry) only
PO_LIBRARIES = ("babel.messages", "polib")
PURE = {"editions", "checks"}


def layer(module: str) -> str:
    if module in BOTTOM:
        return "bottom"
    if module == "workflow.project":
        return "project"
    if module in ("workflow.cli", "workflow.__main__") or module.startswith("workflow.cli."):
        return "cli"
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in STAGES:
        return parts[1]
    raise AssertionError(f"{module}: no layer; put it in a stage package or add it to test_layering.py")


def unit(module: str) -> str:
    """The node of the package graph: a stage package as a whole, any other module by itself."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 and parts[1] in STAGES else module


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def imports(source: str, name: str, is_package: bool, known: set[str]) -> tuple[set[str], set[str]]:
    """(workflow modules, other top-level names) that a module's source imports, anywhere in it."""
    own, other = set(), set()
    package = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                (own if alias.name.split(".")[0] == "workflow" else other).add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] != "workflow":
                if base != "__future__":
                    other.add(base)
                continue
            for alias in node.names:  # `from . import x` imports module x; `from .m import f` imports m
                own.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    own = {m if m in known else _nearest(m, known) for m in own}
    own.discard(name)
    return own, other


def _nearest(module: str, known: set[str]) -> str:
    while module not in known and "." in module:
        module = module.rsplit(".", 1)[0]
    return module


def graph(root: Path = PACKAGE) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    known = {name for name, _ in files}
    edges, external = {}, {}
    for (name, is_package), path in files.items():
        edges[name], external[name] = imports(path.read_text(encoding="utf-8"), name, is_package, known)
    return edges, external


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def package_edges(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for src, targets in edges.items():
        out.setdefault(unit(src), set()).update(unit(t) for t in targets if unit(t) != unit(src))
    return out


def violations(edges: dict[str, set[str]], external: dict[str, set[str]]) -> list[str]:
    found = []
    for src in sorted(edges):
        for target in sorted(edges[src]):
            if layer(target) in FORBIDDEN[layer(src)] or (layer(target) == "cli" and layer(src) != "cli"):
                found.append(f"{src} ({layer(src)}) imports {target} ({layer(target)})")
        if layer(src) in PURE:
            found += [f"{src} ({layer(src)}) imports the PO library {name}" for name in sorted(external[src])
                      if name.startswith(PO_LIBRARIES)]
    return found


def test_every_module_has_a_layer():
    edges, _ = graph()
    assert len(edges) > 30
    for module in edges:
        layer(module)


def test_no_import_cycles_between_modules():
    edges, _ = graph()
    assert cycles(edges) == []


def test_no_import_cycles_between_packages():
    edges, _ = graph()
    assert cycles(package_edges(edges)) == []


def test_no_stage_imports_a_stage_above_it():
    assert violations(*graph()) == []


def test_the_checks_above_catch_what_they_forbid(tmp_path):
    """The rules fire: a copy of the package with a forbidden import and a cycle added inside functions."""
    copy = tmp_path / "workflow"
    for path in PACKAGE.rglob("*.py"):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with open(copy / "editions" / "verify.py", "a", encoding="utf-8") as handle:
        handle.write("\n\ndef _upward():\n    from ..catalogs import reader  # noqa\n    from babel.messages import pofile  # noqa\n")
    with open(copy / "checks" / "registry.py", "a", encoding="utf-8") as handle:
        handle.write("\n\ndef _back():\n    from . import runner  # noqa\n")
    edges, external = graph(copy)
    assert any({"workflow.checks.registry", "workflow.checks.runner"} <= set(c) for c in cycles(edges))
    assert any({"workflow.catalogs", "workflow.editions"} <= set(c) for c in cycles(package_edges(edges)))
    assert set(violations(edges, external)) == {
        "workflow.editions.verify (editions) imports workflow.catalogs.reader (catalogs)",
        "workflow.editions.verify (editions) imports the PO library babel.messages"}
