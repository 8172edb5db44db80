"""What a newcomer meets on a project with an empty catalog, a source price no whole-amount pattern shows, and
a broken guide: every command names the file and line, once, in the words a reader would use."""
from __future__ import annotations

import json
import re

from test_one_source_index import BROKEN, SOFT, unshowable_price

KNEE = "knee-osteoarthritis-stem-cells"
ES_KNEE = f"locales/es/LC_MESSAGES/{KNEE}.po"


def test_todo_of_an_empty_catalog_is_what_stats_counts(project_dir, run_cli):
    """An empty file (or a stale catalog) has every source entry it lacks to do: `todo` said 0 untranslated
    while `stats` said 199."""
    (project_dir / ES_KNEE).write_bytes(b"")
    _, out, _ = run_cli(project_dir, "stats", "--lang", "es", "--format", "json")
    untranslated = next(r["untranslated"] for r in json.loads(out) if r["catalog"] == KNEE)
    code, out, err = run_cli(project_dir, "todo", "--lang", "es", "--format", "json")
    (knee,) = [t for t in json.loads(out) if t["catalog"] == KNEE]
    assert code == 0 and untranslated > 100 and knee["untranslated"] == untranslated
    assert {(e["path"], e["line"]) for e in knee["entries"]} == {(ES_KNEE, 1)}


def test_a_stale_catalog_lists_the_new_entry(project_dir, run_cli):
    knee = project_dir / "source" / f"{KNEE}.md"
    knee.write_text(knee.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    code, out, _ = run_cli(project_dir, "todo", "--lang", "ja")
    assert code == 0 and f"locales/ja/LC_MESSAGES/{KNEE}.po:1: info: untranslated: A new closing paragraph." in out


def test_a_price_message_shows_what_a_reader_sees(project_dir, run_cli):
    unshowable_price(project_dir)
    _, out, _ = run_cli(project_dir, "extract")
    (line,) = [line for line in out.splitlines() if "[source.price]" in line]
    assert "Decimal(" not in line and "\\u" not in line and "\\x" not in line, line
    assert re.search(r"in ar, price USD 1\.5-15,000 is shown as '2 US\$ – 15,000 US\$', which reads as 2 and 15,000 "
                     r"\(write a whole amount\)", line), line


def test_build_prints_a_broken_guide_once_not_once_per_language(project_dir, run_cli):
    (project_dir / "source" / f"{SOFT}.md").write_text(BROKEN, encoding="utf-8")
    code, out, _ = run_cli(project_dir, "build", "-q")
    assert code == 1
    assert len([line for line in out.splitlines() if line.startswith(f"source/{SOFT}.md:3: error:")]) == 1, out
    _, out, _ = run_cli(project_dir, "build", "--format", "json")
    reports = json.loads(out)
    assert all(any(p["path"] == f"source/{SOFT}.md" and p["line"] == 3 for p in r["problems"]) for r in reports)


def test_a_language_without_its_folder_is_one_warning_not_one_per_catalog(project_dir, run_cli):
    import shutil
    shutil.rmtree(project_dir / "locales" / "zh_CN" / "LC_MESSAGES")   # a locale folder, empty
    config = project_dir / "workflow.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "languages: [ja, zh_CN, fr]\n", encoding="utf-8")
    shutil.rmtree(project_dir / "locales" / "fr", ignore_errors=True)   # listed, no folder at all
    code, out, err = run_cli(project_dir, "check", "--format", "json", "-j", "2")
    stale = [(p["path"], p["line"]) for p in json.loads(out) if p["check"] == "stale"]
    assert code == 0, err
    assert stale == [("workflow.yaml", 1), ("locales/zh_CN", 1)]   # fr, then zh_CN
    _, out, _ = run_cli(project_dir, "check", "--lang", "fr")
    assert out.splitlines() == ["workflow.yaml:1: warning: [fr] no catalogs yet: locales/fr/LC_MESSAGES is missing; "
                                "run `workflow update --lang fr` [stale]"]
    _, out, _ = run_cli(project_dir, "check", "--todo", "--lang", "fr")
    assert len([line for line in out.splitlines() if "info: untranslated:" in line]) > 100   # still listed
