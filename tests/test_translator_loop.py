"""The translator's loop: update after a source edit, the to-do list, where errors are blamed."""
from __future__ import annotations

import json

import polib

ES_KNEE = "locales/es/LC_MESSAGES/knee-osteoarthritis-stem-cells.po"
UNTRANSLATED = "Mitotic Effects: They promote the growth of repair cells."


def test_editing_an_untranslated_entry_leaves_no_empty_obsolete_entry(project_dir, run_cli):
    guide = project_dir / "source" / "knee-osteoarthritis-stem-cells.md"
    text = guide.read_text()
    assert UNTRANSLATED in text
    assert polib.pofile(str(project_dir / ES_KNEE)).find(UNTRANSLATED).msgstr == ""
    guide.write_text(text.replace(UNTRANSLATED, "Mitotic Effects: They promote the growth of new repair cells."))
    code, _, _ = run_cli(project_dir, "update", "--lang", "es")
    assert code == 0
    po = polib.pofile(str(project_dir / ES_KNEE))
    assert po.obsolete_entries() == []
    assert "#~" not in (project_dir / ES_KNEE).read_text()
    edited = po.find("Mitotic Effects: They promote the growth of new repair cells.")
    assert edited is not None and edited.msgstr == ""
    code, out, _ = run_cli(project_dir, "stats", "--lang", "es", "--format", "json")
    row = next(r for r in json.loads(out) if r["catalog"] == "knee-osteoarthritis-stem-cells")
    assert row["obsolete"] == 0 and row["fuzzy"] == 0


def test_stats_and_check_do_not_count_an_empty_obsolete_entry_already_on_disk(project_dir, run_cli):
    path = project_dir / ES_KNEE
    path.write_text(path.read_text() + '\n#~ msgid "An old untranslated sentence."\n#~ msgstr ""\n'
                    '\n#~ msgid "An old translated sentence."\n#~ msgstr "Una frase antigua."\n')
    code, out, _ = run_cli(project_dir, "stats", "--lang", "es", "--format", "json")
    row = next(r for r in json.loads(out) if r["catalog"] == "knee-osteoarthritis-stem-cells")
    assert row["obsolete"] == 1
    code, out, _ = run_cli(project_dir, "-v", "check", "--lang", "es", "--format", "json")
    notes = [p for p in json.loads(out) if p["check"] == "fuzzy" and p["path"] == ES_KNEE]
    assert [n["message"] for n in notes] == ["0 fuzzy entries (not published until reviewed), 1 obsolete entries"]
