"""workflow.yaml declared once (workflow/config.py) and validated: every bad file of tests/data/config is an
error at its `# expect: LINE message` line, unknown keys and check ids come with a suggestion."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from workflow.config import SETTINGS, Config, load_config
from workflow.model import Problem

DATA = Path(__file__).parent / "data" / "config"
BAD = sorted(DATA.glob("bad.*.yaml"))


def _expectation(path: Path) -> tuple[int, str]:
    match = re.search(r"^# expect: (\d+) (.+)$", path.read_text(encoding="utf-8"), re.M)
    assert match, f"{path.name}: no `# expect: LINE message` line"
    return int(match[1]), match[2]


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_config_is_an_error_at_its_line(path, project_dir, run_cli):
    line, message = _expectation(path)
    (project_dir / "workflow.yaml").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run_cli(project_dir, "check", "--lang", "ja")
    assert code == 2, out + err
    problems = [Problem.parse(text) for text in err.splitlines()]
    assert any(p and (p.path, p.line, p.check) == ("workflow.yaml", line, "config") and message in p.message
               for p in problems), err
    assert not (project_dir / "dist").exists()


def test_every_key_of_a_good_config_is_read(project_dir, run_cli):
    path = DATA / "ok.every-key.yaml"
    (project_dir / "workflow.yaml").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    config = load_config(path.read_text(encoding="utf-8"))
    assert config.disabled_checks == ("glossary",) and config.keep_releases == 3
    assert config.gate("es", "min_coverage") == 0.2 and config.gate("ja", "min_coverage") == 0.5
    assert config.gate("es", "protected") == "refuse" and config.memory_min_similarity == 92.5
    assert config.gate("es", "stand_in") == "source" and config.gate("ja", "stand_in") == "last-good"
    code, out, err = run_cli(project_dir, "check", "--lang", "ja")
    assert code in (0, 1) and "[glossary]" not in out


def test_defaults_are_declared_once():
    """An absent file gives each declared default, and so does a file that spells every default out."""
    assert load_config(None) == Config()
    spelled: dict = {}
    for setting in SETTINGS:
        *sections, last = setting.key.split(".")
        node = spelled
        for name in sections:
            node = node.setdefault(name, {})
        node[last] = setting.default
    assert load_config(yaml.safe_dump(spelled)) == Config()
