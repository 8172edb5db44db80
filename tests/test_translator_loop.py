"""The translator's loop: update after a source edit, the to-do list, where errors are blamed."""
from __future__ import annotations

import json

import polib

ES_KNEE = "locales/es/LC_MESSAGES/knee-osteoarthritis-stem-cells.po"
UNTRANSLATED = "Mitotic Effects: They promote the growth of repair cells."


def _stats(run_cli, project_dir) -> dict:
    code, out, _ = run_cli(project_dir, "stats", "--lang", "es", "--format", "json")
    return next(r for r in json.loads(out) if r["catalog"] == "knee-osteoarthritis-stem-cells")


def test_editing_an_untranslated_entry_leaves_no_empty_obsolete_entry(project_dir, run_cli):
    before = _stats(run_cli, project_dir)
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
    after = _stats(run_cli, project_dir)
    assert after["obsolete"] == 0 and after["fuzzy"] == before["fuzzy"]
    assert after["untranslated"] == before["untranslated"]


def test_stats_and_check_do_not_count_an_empty_obsolete_entry_already_on_disk(project_dir, run_cli):
    path = project_dir / ES_KNEE
    path.write_text(path.read_text() + '\n#~ msgid "An old untranslated sentence."\n#~ msgstr ""\n'
                    '\n#~ msgid "An old translated sentence."\n#~ msgstr "Una frase antigua."\n')
    assert _stats(run_cli, project_dir)["obsolete"] == 1
    code, out, _ = run_cli(project_dir, "-v", "check", "--lang", "es", "--format", "json")
    notes = [p for p in json.loads(out) if p["check"] == "fuzzy" and p["path"] == ES_KNEE]
    assert len(notes) == 1 and "1 obsolete entries" in notes[0]["message"]


def _cut_ui_disclaimer(project_dir, lang: str) -> None:
    """Replace the ui.po disclaimer translation by its first sentence."""
    path = project_dir / f"locales/{lang}/LC_MESSAGES/ui.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if "LEGAL TEXT" in e.comment)
    entry.msgstr = entry.msgstr.split("。")[0] + "。"
    po.save(str(path))


def test_an_error_in_ui_po_is_blamed_on_ui_po_once(project_dir, run_cli):
    _cut_ui_disclaimer(project_dir, "ja")
    code, out, _ = run_cli(project_dir, "build", "--lang", "ja", "--format", "json")
    assert code == 1
    report = json.loads(out)[0]
    assert report["status"] == "refused"
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert {p["path"] for p in errors} == {"locales/ja/LC_MESSAGES/ui.po"}, errors
    assert len({p["line"] for p in errors}) == 1
    assert [p["check"] for p in errors].count("gate.check") == 1
    assert len(errors) == len({(p["path"], p["line"], p["message"]) for p in errors})  # nothing repeated


def test_errors_in_a_guide_catalog_and_in_ui_po_are_each_blamed_on_their_own_file(project_dir, run_cli):
    _cut_ui_disclaimer(project_dir, "ja")
    guide = project_dir / "locales/ja/LC_MESSAGES/knee-osteoarthritis-stem-cells.po"
    po = polib.pofile(str(guide))
    entry = next(e for e in po if "{price}" in e.msgid and e.msgstr)
    entry.msgstr = entry.msgstr.replace("{price}", "")
    po.save(str(guide))
    code, out, _ = run_cli(project_dir, "build", "--lang", "ja", "--format", "json")
    problems = json.loads(out)[0]["problems"]
    line = next(p["line"] for p in problems if p["check"] == "placeholders")
    gates = [p for p in problems if p["check"] == "gate.check"]
    by_path = {p["path"]: p for p in gates}
    assert len(gates) == 2 and set(by_path) == {"locales/ja/LC_MESSAGES/ui.po", guide.relative_to(project_dir).as_posix()}
    guide_gate = by_path[guide.relative_to(project_dir).as_posix()]
    assert guide_gate["line"] == line and "1 catalog error(s)" in guide_gate["message"]


JA_SOFT = "locales/ja/LC_MESSAGES/soft-tissue-injury-stem-cells.po"


def _make_todo(project_dir) -> tuple[str, str]:
    """One fuzzy and one emptied entry in a ja catalog; returns their msgids."""
    po = polib.pofile(str(project_dir / JA_SOFT))
    fuzzy, empty = po.translated_entries()[5], po.translated_entries()[9]
    fuzzy.flags.append("fuzzy")
    empty.msgstr = ""
    po.save(str(project_dir / JA_SOFT))
    return fuzzy.msgid, empty.msgid


def _line_text(project_dir, path: str, line: int) -> str:
    return (project_dir / path).read_text(encoding="utf-8").splitlines()[line - 1]


def test_todo_lists_each_entry_at_its_own_msgstr_line(project_dir, run_cli):
    fuzzy, empty = _make_todo(project_dir)
    code, out, err = run_cli(project_dir, "todo", "--lang", "ja")
    assert code == 0
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    assert len(lines) == 2 and "# ja soft-tissue-injury-stem-cells: 1 fuzzy, 1 untranslated" in out
    assert "ja: 1 fuzzy, 1 untranslated in 1 of 4 catalog(s)" in err
    for line, state, msgid in zip(lines, ("fuzzy", "untranslated"), (fuzzy, empty)):
        path, number, rest = line.split(":", 2)
        assert path == JA_SOFT and rest.startswith(f" info: {state}: {msgid[:20]}") and rest.endswith("[todo]")
        assert _line_text(project_dir, path, int(number)).startswith("msgstr")
    code, out, _ = run_cli(project_dir, "todo", "--lang", "ja", "--format", "json")
    groups = {g["catalog"]: g for g in json.loads(out)}
    assert groups["soft-tissue-injury-stem-cells"]["fuzzy"] == 1 and groups["ui"]["entries"] == []
    assert [e["line"] for e in groups["soft-tissue-injury-stem-cells"]["entries"]] == \
        [int(line.split(":")[1]) for line in lines]


def test_check_todo_shows_the_same_lines_without_verbose(project_dir, run_cli):
    _make_todo(project_dir)
    _, todo_out, _ = run_cli(project_dir, "todo", "--lang", "ja")
    _, plain, _ = run_cli(project_dir, "check", "--lang", "ja")
    _, with_todo, _ = run_cli(project_dir, "check", "--todo", "--lang", "ja")
    wanted = [line for line in todo_out.splitlines() if not line.startswith("#")]
    assert not any(line in plain for line in wanted)
    assert all(line in with_todo.splitlines() for line in wanted)


def test_todo_guide_filter_and_short_texts(project_dir, run_cli):
    _make_todo(project_dir)
    code, out, _ = run_cli(project_dir, "todo", "--lang", "ja", "--guide", "knee-osteoarthritis-stem-cells")
    assert code == 0 and out == ""
    code, out, _ = run_cli(project_dir, "todo", "--lang", "es", "--format", "json")
    entries = [e for g in json.loads(out) for e in g["entries"]]
    assert entries and all(len(e["message"]) <= len("untranslated: ") + 50 for e in entries)


def _legal_comment(project_dir, lang: str, domain: str) -> str:
    po = polib.pofile(str(project_dir / f"locales/{lang}/LC_MESSAGES/{domain}.po"))
    return " ".join(next(e for e in po if "LEGAL TEXT" in e.comment).comment.split())


def _disclaimer_fuzzy(project_dir, lang: str) -> None:
    path = project_dir / f"locales/{lang}/LC_MESSAGES/ui.po"
    po = polib.pofile(str(path))
    next(e for e in po if "LEGAL TEXT" in e.comment).flags.append("fuzzy")
    po.save(str(path))


def test_disclaimer_comments_say_what_each_languages_policy_does(project_dir, run_cli):
    config = project_dir / "workflow.yaml"
    config.write_text(config.read_text().replace("language_gates:\n", "language_gates:\n  ja:\n    protected: refuse\n"))
    assert run_cli(project_dir, "update", "--lang", "ja,es")[0] == 0
    for lang, policy in (("ja", "refuse"), ("es", "fallback")):
        comments = {_legal_comment(project_dir, lang, d) for d in ("ui", "korean-stem-cell-therapy-2026")}
        assert len(comments) == 1, comments   # guide catalogs and ui.po say the same
        comment = comments.pop()
        assert f"(protected: {policy} in workflow.yaml)" in comment
        assert "drops sentences or is cut short is an error and the language is not published" in comment
        _disclaimer_fuzzy(project_dir, lang)
        code, out, _ = run_cli(project_dir, "check", "--lang", lang, "--format", "json")
        legal = [p for p in json.loads(out) if p["check"] == "legal"]
        if "While it is empty or fuzzy, the language is not published" in comment:
            assert code == 1 and [p["severity"] for p in legal] == ["error"]
        else:
            assert "While it is empty or fuzzy, readers see the English text with a notice" in comment
            assert code == 0 and [p["severity"] for p in legal] == ["warning"]
            assert "in English with a notice" in legal[0]["message"]
