"""The code stays readable in pieces: no module of workflow/ over 400 lines, no function over 60 (issue 12)."""
from __future__ import annotations

import ast

from conftest import REPO

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules():
    for path in sorted((REPO / "workflow").rglob("*.py")):
        yield path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8")


def test_no_module_over_400_lines():
    long = {rel: text.count("\n") for rel, text in _modules() if text.count("\n") > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_over_60_lines():
    long = [f"{rel}:{node.lineno}: {node.name} has {node.end_lineno - node.lineno + 1} lines"
            for rel, text in _modules() for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
