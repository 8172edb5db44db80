"""One way to report a problem: every `path:line: severity: message [id]` line comes from model.Problem,
parses back to exactly one problem, and never nests another (the Celery path once printed
`source/g.md:1: error: source/g.md:9: error: ... [source.table] [build]`)."""
from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

from workflow.distributed import record, tasks
from workflow.model import Problem, WorkflowError

from conftest import REPO

DATA = Path(__file__).parent / "data"
GUIDE = "knee-osteoarthritis-stem-cells"
# what a hand-formatted problem looks like inside a string literal: `...}:1: error: ` or `...}: warning: `
HAND_FORMATTED = re.compile(r"(\}|:\d+): (error|warning|info): ")


def _assert_one_flat_problem(line: str) -> Problem:
    problem = Problem.parse(line)
    assert problem is not None, f"not in the problem format: {line!r}"
    assert str(problem) == line
    assert not HAND_FORMATTED.search(problem.message) and "] [" not in line, f"nested problem: {line!r}"
    return problem


def _problem_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(r": (error|warning|info): ", line)]


def _literal_text(node: ast.AST) -> str:
    """A string literal as text, each f-string field shown as `{}`; '' for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return ""


def test_no_module_but_model_spells_the_problem_format():
    offenders = []
    for path in sorted((REPO / "workflow").rglob("*.py")):
        if path.name == "model.py" and path.parent.name == "workflow":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if HAND_FORMATTED.search(_literal_text(node)):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []


def test_celery_task_reports_a_guide_problem_as_it_is(project_dir, monkeypatch):
    shutil.copy(DATA / "guides" / "bad.table-ragged.md", project_dir / "source" / f"{GUIDE}.md")
    monkeypatch.setattr(tasks, "PROJECT_ROOT", str(project_dir))   # the worker's own project (WORKFLOW_PROJECT)
    built = tasks.build_guides.apply(args=([GUIDE], ["ja"])).get()
    assert built == {"editions": 1, "refused": 1}
    result = tasks.report_language.apply(args=([], "ja"), kwargs={"guides": [GUIDE]}).get()   # the language's callback
    assert result["status"] == "refused" and result["refused_guides"] == [GUIDE]
    problems = [Problem(**p) for p in result["problems"] if p["severity"] == "error"]
    assert [(p.path, p.line, p.check) for p in problems] == [(f"source/{GUIDE}.md", 9, "source.table")]
    for p in problems:
        _assert_one_flat_problem(str(p))
    # `workflow status` shows the same lines from the build record
    fields = {"meta": json.dumps({"id": "b", "guides": [GUIDE], "languages": ["ja"], "publish": True,
                                     "project": "p", "created": 0}),
              f"lang:ja:edition:{GUIDE}": record.edition_error(problems)}
    assert record.parse_record(fields)["languages"]["ja"]["failures"] == [str(p) for p in problems]


def test_error_without_a_place_becomes_one_problem_not_a_nested_one():
    placed = WorkflowError.at("source/g.md", 9, "table row has 3 cells, the header has 2", "source.table")
    assert placed.as_problems("source/g.md", "build") == placed.problems
    assert str(placed) == "source/g.md:9: error: table row has 3 cells, the header has 2 [source.table]"
    unplaced = WorkflowError("edition abc is not in the cache; build it first")
    [problem] = unplaced.as_problems("source/g.md", "build")
    assert str(problem) == "source/g.md:1: error: edition abc is not in the cache; build it first [build]"


def test_every_line_check_and_publish_print_is_one_flat_problem(project_dir, run_cli):
    po = project_dir / "locales" / "ja" / "LC_MESSAGES"
    shutil.copy(DATA / "po" / "bad.unterminated-string.po", po / f"{GUIDE}.po")
    shutil.copy(DATA / "po" / "check.placeholders.po", po / "korean-stem-cell-therapy-2026.po")
    lines = []
    for command in (["check"], ["publish", "-j", "1"], ["build", "--lang", "ja"]):
        code, out, err = run_cli(project_dir, *command)
        assert code == 1
        lines += _problem_lines(out + err)
    shutil.copy(DATA / "guides" / "bad.table-ragged.md", project_dir / "source" / "soft-tissue-injury-stem-cells.md")
    code, out, err = run_cli(project_dir, "publish", "-j", "1")
    assert code == 1   # the broken guide is refused; the others still publish (issue 15)
    lines += _problem_lines(out + err)
    checks = {_assert_one_flat_problem(line).check for line in lines}
    assert {"po.syntax", "stale", "gate.check", "source.table"} <= checks


def test_a_line_break_in_a_message_never_makes_a_second_problem_line():
    forged = "bad\nlocales/ja/LC_MESSAGES/ui.po:1: error: all good [po.syntax]"
    text = str(Problem("source/g.md", 3, "error", forged, "source.front-matter"))
    assert len(text.splitlines()) == 1
    assert Problem.parse(text).check == "source.front-matter"
