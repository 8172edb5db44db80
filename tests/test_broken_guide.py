"""One guide whose source does not parse: `check`, `stats`, `update`, `todo`, `tm`, `pseudo` and `init` report
it once at its line, go on with the other guides and exit 1 (they exited 2 at the first broken guide, so
`make publish` stopped at `stats` and a translator could not check or update any other guide). That guide's
template and catalogs are left as they are."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

SOFT = "soft-tissue-injury-stem-cells"
KNEE = "knee-osteoarthritis-stem-cells"
BROKEN = "---\ntitle: [unclosed\n---\n\n# Soft\n"
PROBLEM = re.compile(rf"source/{SOFT}\.md:3: error: malformed front matter.*\[source\.front-matter\]")


def snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted((project / "locales").rglob("*"))
            if p.is_file()}


def break_soft(project: Path) -> None:
    (project / "source" / f"{SOFT}.md").write_text(BROKEN, encoding="utf-8")


@pytest.mark.parametrize("command", [("check",), ("check", "-j", "2"), ("stats",), ("stats", "--format", "json"),
                                     ("todo",), ("todo", "--format", "json"), ("update",), ("update", "--lang", "ja"),
                                     ("tm", "export", "--lang", "ja", "-o", "-"), ("pseudo",), ("init", "de")])
def test_a_broken_guide_is_reported_once_and_the_command_goes_on(project_dir, run_cli, command):
    break_soft(project_dir)
    before = snapshot(project_dir)
    code, out, err = run_cli(project_dir, *command)
    assert code == 1, err
    assert len(PROBLEM.findall(out + err)) == 1, out + err
    soft = {k: v for k, v in snapshot(project_dir).items() if SOFT in k}
    assert soft == {k: v for k, v in before.items() if SOFT in k}, "the broken guide's catalogs are left as they are"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_of_the_other_guides_is_what_it_was(project_dir, run_cli, jobs):
    code, out, _ = run_cli(project_dir, "check", "--format", "json", "-j", jobs)
    honest = json.loads(out)
    break_soft(project_dir)
    code, out, _ = run_cli(project_dir, "check", "--format", "json", "-j", jobs)
    found = json.loads(out)
    assert code == 1
    assert [p["check"] for p in found[:1]] == ["source.front-matter"]
    assert found[1:] == [p for p in honest if f"/{SOFT}.po" not in p["path"]]


def test_stats_of_the_other_guides_is_what_it_was(project_dir, run_cli):
    _, out, _ = run_cli(project_dir, "stats", "--format", "json")
    honest = json.loads(out)
    break_soft(project_dir)
    code, out, _ = run_cli(project_dir, "stats", "--format", "json")
    assert code == 1
    assert json.loads(out) == [r for r in honest if r["catalog"] != SOFT]
    assert any(r["catalog"] == KNEE for r in honest)


def test_update_merges_the_other_guides(project_dir, run_cli):
    knee = project_dir / "source" / f"{KNEE}.md"
    knee.write_text(knee.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    break_soft(project_dir)
    before = snapshot(project_dir)
    code, out, err = run_cli(project_dir, "update", "--lang", "ja")
    assert code == 1, err
    after = snapshot(project_dir)
    assert 'msgid "A new closing paragraph."' in after[f"locales/ja/LC_MESSAGES/{KNEE}.po"].decode()
    assert 'msgid "A new closing paragraph."' in after[f"locales/templates/{KNEE}.pot"].decode()
    assert {k for k in after if SOFT in k} == {k for k in before if SOFT in k}
    assert all(after[k] == before[k] for k in before if SOFT in k)


@pytest.mark.skipif(not shutil.which("make") or not (Path(sys.executable).parent / "workflow").exists(),
                    reason="needs make and the workflow script beside this python")
def test_make_publish_gets_to_publish_with_a_broken_guide(project_dir):
    """The Makefile's sequence itself (extract, check, stats, publish), with this interpreter's scripts."""
    break_soft(project_dir)
    done = subprocess.run(["make", "-s", "-f", str(REPO / "Makefile"), "publish", "STAMP=",
                           f"BIN={Path(sys.executable).parent}"], cwd=project_dir, capture_output=True, text=True)
    assert PROBLEM.search(done.stdout + done.stderr), done.stderr
    current = project_dir / "dist" / "ja" / "current"
    assert (current / f"{KNEE}.html").is_file(), done.stderr
    assert not (current / f"{SOFT}.html").exists()


def test_tm_import_merges_the_other_guides(project_dir, run_cli, tmp_path):
    tmx = tmp_path / "ja.tmx"
    assert run_cli(project_dir, "tm", "export", "--lang", "ja", "-o", str(tmx))[0] == 0
    break_soft(project_dir)
    before = snapshot(project_dir)
    code, out, err = run_cli(project_dir, "tm", "import", str(tmx), "--lang", "ja")
    assert code == 1, err
    assert len(PROBLEM.findall(out + err)) == 1, out + err
    soft = {k: v for k, v in snapshot(project_dir).items() if SOFT in k}
    assert soft == {k: v for k, v in before.items() if SOFT in k}
