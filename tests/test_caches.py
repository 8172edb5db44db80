"""Caches with an owner: no module-level cache that callers must remember to clear.

What a pure stage derives from a Segment or a Document lives on it (model.DERIVED); lru_caches are pure
functions of immutable values; the few module-level containers that are filled at run time say why."""
from __future__ import annotations

import ast
import dataclasses
import gc
from pathlib import Path

from workflow.checks import runner
from workflow.editions import verify
from workflow.editions.localeformat import locale_for
from workflow.editions.facts import Registry
from workflow.model import Entry, Fact, Price, TranslatedCatalog
from workflow.project import Project

from conftest import REPO

MUTATORS = {"append", "extend", "insert", "clear", "update", "setdefault", "pop", "popitem", "add", "remove",
            "discard", "__setitem__"}
# module-level containers filled at run time, and why that is not a cache someone must clear
OWNED = {
    ("workflow/checks/registry.py", "REGISTRY"): "the check table, filled once at import by @check",
    ("workflow/editions/currency_marks.py", "_SETS"): "the currency sets a mark may name, interned: values only "
                                                       "(frozensets of ISO codes from CLDR and the word tables), "
                                                       "bounded by the distinct sets (~60)",
    ("workflow/catalogs/review.py", "_CHECKERS"): "a check process's project and findings, for the chunks of one "
                                                  "`check` (its id); replaced when another check's chunk comes, "
                                                  "dropped by check_all in its own process",
    ("workflow/distributed/record.py", "_clients"): "one Redis connection pool per broker URL (a resource)",
    ("workflow/distributed/tasks.py", "_builders"): "the worker process's Builder, replaced when "
                                                    "Project.worker_inputs change (inputs_stamp)",
    ("workflow/publishing/run.py", "_BUILDERS"): "a build worker's Builder, for the chunks of one build (its id); "
                                                 "replaced when another build's chunk comes",
}
IMMUTABLE = {"str", "int", "bool", "Locale", "Price", "Decimal"}


def _modules():
    for path in sorted((REPO / "workflow").rglob("*.py")):
        yield path.relative_to(REPO).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _mutated_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            owner = node.func.value
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            owner = next((t.value for t in targets if isinstance(t, ast.Subscript)), None)
        elif isinstance(node, ast.Global):
            names.update(node.names)
            continue
        else:
            continue
        if isinstance(owner, ast.Name):
            names.add(owner.id)
    return names


def test_no_module_level_cache_without_an_owner():
    found = set()
    for rel, tree in _modules():
        module_names = {t.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                        if isinstance(t, ast.Name)}
        found |= {(rel, name) for name in module_names & _mutated_names(tree)}
    assert found == set(OWNED)


def test_lru_caches_are_pure_functions_of_immutable_values():
    assert dataclasses.fields(Price) and Price.__dataclass_params__.frozen
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                    ast.unparse(d).split("(")[0] in ("lru_cache", "cache", "functools.lru_cache", "functools.cache")
                    for d in node.decorator_list):
                for arg in node.args.args:
                    assert arg.annotation is not None and ast.unparse(arg.annotation) in IMMUTABLE, \
                        f"{rel}:{node.lineno}: {node.name}({arg.arg}) is cached by a mutable or unknown value"


def test_derived_values_go_with_their_segment():
    """A segment dropped and another made at the same address never sees the first one's source facts."""
    registry = Registry(emergency=[Fact("ambulance", "119", "Ambulance")], disclaimers=[])

    def problems(msgid: str, msgstr: str):
        sources = {msgid: runner.source_for_ui(msgid, registry)}
        catalog = TranslatedCatalog("x.po", "fr", [Entry(msgid, msgstr, None, False, False, 2, [])])
        return [p.check for p in runner.run(catalog, sources, "fr", registry)]

    for _ in range(200):   # ids are reused at once after a collection: an id()-keyed cache would mix them
        assert problems("Call 119 now.", "Appelez 119.") == []
        gc.collect()
        assert "numbers" in problems("Stay 3 days.", "Restez 4 jours.")


def test_verify_expectations_live_on_the_document(project_dir):
    project = Project(project_dir)
    guide = project.guides[0]
    doc = project.document(guide)
    assert doc.derived == {}
    first = verify.expected(doc, "ja", locale_for("ja"))
    derived = dict(doc.derived)  # the guide's expectations, and the rendered values for ja
    assert len(derived) == 2
    again = verify.expected(doc, "ja", locale_for("ja"))
    assert doc.derived == derived and again.required == first.required  # computed once, kept
    verify.expected(doc, "de", locale_for("de"))
    assert len(doc.derived) == 3  # another language adds its rendered values only
    other = Project(project_dir).document(guide)    # read back from .cache/documents: nothing derived
    assert other is not doc and other.derived == {}
    assert Path(project.cache_dir / "documents").is_dir()
