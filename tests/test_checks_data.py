"""Each registered check against data files (faults.md items 6-8, 15, 16).

tests/data/po/check.*.po and good.*.po are catalogs whose msgids are real msgids of the project's POTs.
Their header comments say where they go:
    # guide: <domain>            locales/<lang>/LC_MESSAGES/<domain>.po in a project copy
    # lang: <code>               a language with no other catalogs in the copy
    # policy: refuse             optional: gates.protected in workflow.yaml
    # source: guides/<file>.md   optional: a test guide copied to source/<domain>.md
Each entry states what `check` must report at its msgstr line with `#. expect: SEVERITY CHECK-ID` lines
(none: the entry must be clean). The test asserts the exact set per entry, the file and the line.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from workflow.catalogs import review, sources
from workflow.model import ERROR, INFO
from workflow.project import Project

from conftest import copy_project

DATA = Path(__file__).parent / "data"
FILES = sorted((DATA / "po").glob("check.*.po")) + sorted((DATA / "po").glob("good.*.po"))
CHECK_IDS = {"placeholders", "braces", "percent", "numbers", "facts", "markup", "injection", "legal", "glossary", "blank"}


def parse(path: Path) -> tuple[dict, dict[int, set[tuple[str, str]]]]:
    """(directives, {msgstr line: {(severity, check)}}) of one data file."""
    directives: dict[str, str] = {}
    expected: dict[int, set] = {}
    pending: set = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        m = re.match(r"^# (guide|lang|policy|source): (\S+)$", line)
        if m:
            directives[m.group(1)] = m.group(2)
        m = re.match(r"^#\. expect: (error|warning) ([\w.-]+)$", line)
        if m:
            pending.add((m.group(1), m.group(2)))
        if line.startswith("msgstr"):
            expected[number] = pending
            pending = set()
    assert not pending, f"{path.name}: expect comment after the last msgstr"
    assert {"guide", "lang"} <= set(directives), f"{path.name}: needs '# guide:' and '# lang:'"
    return directives, expected


def install(root: Path, path: Path) -> tuple[Project, str, str, dict]:
    directives, expected = parse(path)
    project_dir = copy_project(root / "project", languages=[])
    if "source" in directives:
        shutil.copy(DATA / directives["source"], project_dir / "source" / f"{directives['guide']}.md")
    if "policy" in directives:
        config = project_dir / "workflow.yaml"
        config.write_text(re.sub(r"protected: \w+", f"protected: {directives['policy']}", config.read_text()))
    lang, guide = directives["lang"], directives["guide"]
    target = project_dir / "locales" / lang / "LC_MESSAGES" / f"{guide}.po"
    target.parent.mkdir(parents=True)
    shutil.copy(path, target)
    return Project(project_dir), lang, f"locales/{lang}/LC_MESSAGES/{guide}.po", expected


_SOURCES: dict = {}


def source_index(project: Project) -> dict:
    """sources.sources() for this project, shared by every copy with the same source guides (it is the slow part)."""
    key = tuple(sorted((p.name, p.stat().st_size) for p in project.source_dir.glob("*")))
    if key not in _SOURCES:
        _SOURCES[key] = sources.sources(project)
    return _SOURCES[key]


def test_every_check_has_data():
    covered = set()
    for path in FILES:
        for found in parse(path)[1].values():
            covered |= {c for _, c in found}
    assert CHECK_IDS <= covered, CHECK_IDS - covered
    assert any(p.name.startswith("good.") for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_check_data_file(tmp_path, path):
    project, lang, rel, expected = install(tmp_path, path)
    result = review.check_language(project, lang, source_index(project))
    mine = [p for p in result.problems if p.path == rel and p.severity != INFO]
    # catalog-level notes at line 1 (entries of the POT this small file does not carry) are not what is tested
    mine = [p for p in mine if not (p.line == 1 and p.check == "stale")]
    got: dict[int, set] = {}
    for p in mine:
        assert p.line in expected, f"problem at a line that is no entry's msgstr: {p}"
        got.setdefault(p.line, set()).add((p.severity, p.check))
        assert str(p).startswith(f"{rel}:{p.line}: {p.severity}: ")
        assert p.segment, f"problem does not name its segment: {p}"
    wrong = [f"{path.name}:{line}: expected {sorted(want)}, got {sorted(got.get(line, set()))}\n" +
             "\n".join("    " + str(p) for p in mine if p.line == line)
             for line, want in expected.items() if got.get(line, set()) != want]
    assert not wrong, "\n".join(wrong)
    if path.name.startswith("good."):
        assert not [p for p in result.problems if p.severity == ERROR], "\n".join(map(str, result.problems))


def test_check_cli_prints_file_line_and_id(tmp_path, run_cli):
    project, lang, rel, expected = install(tmp_path, DATA / "po" / "check.numbers.po")
    code, out, err = run_cli(project.root, "check", "--lang", lang)
    assert code == 1
    for line, want in expected.items():
        for severity, check in want:
            assert re.search(rf"^{re.escape(rel)}:{line}: {severity}: .+ \[{check}\]$", out, re.M), (line, check, out)
    assert "error(s)" in err


def test_check_cli_exit_zero_for_good_catalog(tmp_path, run_cli):
    project, lang, rel, _ = install(tmp_path, DATA / "po" / "good.ar.po")
    code, out, err = run_cli(project.root, "check", "--lang", lang)
    assert code == 0, out
    assert f"{rel}:" not in out.replace(f"{rel}:1:", "")


def test_disabled_check_is_silent(tmp_path):
    """`checks: {disable: [glossary]}` in workflow.yaml turns a check off by id."""
    project, lang, rel, expected = install(tmp_path, DATA / "po" / "check.glossary.po")
    config = project.root / "workflow.yaml"
    config.write_text(config.read_text().replace("disable: []", "disable: [glossary]"))
    result = review.check_language(Project(project.root), lang)
    assert not [p for p in result.problems if p.check == "glossary"]


def test_rejected_entry_is_not_published_in_built_edition(tmp_path, run_cli, monkeypatch):
    """A msgstr refused by `check` never reaches the edition; the source text is shown instead."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project, lang, rel, _ = install(tmp_path, DATA / "po" / "check.injection.po")
    config = project.root / "workflow.yaml"
    config.write_text(config.read_text().replace("min_coverage: 0.8", "min_coverage: 0.0"))
    code, out, err = run_cli(project.root, "--quiet", "build", "--lang", lang, "--guide",
                             "knee-osteoarthritis-stem-cells", "--format", "json")
    assert code == 1  # refused: the language has catalog errors
    assert rel in out
