"""Extraction, init and update: every segment an entry, facts as placeholders, no churn."""
from __future__ import annotations

import json
import shutil
import subprocess

import polib
import pytest

from workflow.project import Project


def pot(project_dir, guide) -> polib.POFile:
    return polib.pofile(str(project_dir / "locales" / "templates" / f"{guide}.pot"))


def test_extract_protects_emergency_numbers_and_prices(project_dir, run_cli):
    shutil.rmtree(project_dir / "locales" / "templates")
    code, out, _ = run_cli(project_dir, "extract")
    assert code == 0
    entries = pot(project_dir, "korean-stem-cell-therapy-2026")
    texts = [e.msgid for e in entries]
    assert "**Ambulance/Fire/Emergency:** {ambulance}" in texts
    assert "**Medical Consultation (for foreigners):** {medical_helpline} (available in multiple languages)" in texts
    assert "**Anti-Aging (Facial Rejuvenation/Hair Restoration):** {price} per session." in texts
    for e in entries:
        assert "119" not in e.msgid and "1339" not in e.msgid and "$" not in e.msgid, e.msgid
        if "{price}" in e.msgid or "{ambulance}" in e.msgid:
            assert "python-brace-format" in e.flags
            assert any("=" in c for c in e.comment.split("\n"))
    knee = [e.msgid for e in pot(project_dir, "knee-osteoarthritis-stem-cells")]
    # price-only and number-only cells and the reference list are not translatable
    assert not any(m.strip() in ("{price}", "1, 2, 3") for m in knee)
    assert "Spain" in knee and "Stable pricing" in knee


def test_every_heading_item_and_cell_is_an_entry(project_dir):
    project = Project(project_dir)
    doc = project.document("soft-tissue-injury-stem-cells")
    msgids = {e.msgid for e in pot(project_dir, "soft-tissue-injury-stem-cells")}
    assert {s.msgid for s in doc.segments} == msgids
    kinds = {s.kind for s in doc.segments}
    assert {"heading", "paragraph", "item", "cell", "title", "excerpt"} <= kinds
    cell = next(s for s in doc.segments if s.msgid == "Comparable to UK")
    assert "column 'Key Factors/Notes'" in cell.context and "row 'Canada'" in cell.context


def test_msgfmt_accepts_every_pot_and_po(project_dir):
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (gettext) is not installed")
    for path in sorted((project_dir / "locales").rglob("*.po*")):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_extract_and_update_twice_change_no_byte(project_dir, run_cli, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    run_cli(project_dir, "extract")
    run_cli(project_dir, "update")
    before = {p: p.read_bytes() for p in (project_dir / "locales").rglob("*.po*")}
    code, out, _ = run_cli(project_dir, "extract")
    assert code == 0 and "0 template(s) changed" in out
    code, out, _ = run_cli(project_dir, "update")
    assert code == 0 and "0 catalog(s) changed" in out
    assert {p: p.read_bytes() for p in (project_dir / "locales").rglob("*.po*")} == before


def test_editing_one_paragraph_changes_only_that_entry(project_dir, run_cli):
    guide = project_dir / "source" / "korean-stem-cell-therapy-2026.md"
    old = "The Korean government has recognized the immense potential"
    guide.write_text(guide.read_text().replace(old, "The Korean government has long recognized the immense potential"))
    code, _, _ = run_cli(project_dir, "update", "--lang", "ja")
    assert code == 0
    po = polib.pofile(str(project_dir / "locales/ja/LC_MESSAGES/korean-stem-cell-therapy-2026.po"))
    fuzzy = [e for e in po if "fuzzy" in e.flags]
    assert len(fuzzy) == 1 and fuzzy[0].msgid.startswith("The Korean government has long")
    assert fuzzy[0].msgstr  # the old translation is offered, marked fuzzy
    assert [e.msgid for e in po.obsolete_entries()] == [e.previous_msgid for e in fuzzy] or po.obsolete_entries() == []
    assert len(po.translated_entries()) == len(po) - 1
    code, out, _ = run_cli(project_dir, "stats", "--lang", "ja", "--format", "json")
    import json
    row = next(r for r in json.loads(out) if r["catalog"] == "korean-stem-cell-therapy-2026")
    assert row["fuzzy"] == 1 and row["untranslated"] == 0
    # fuzzy is never published as if approved: that paragraph is shown in English, marked
    code, _, _ = run_cli(project_dir, "publish", "--quiet", "--lang", "ja")
    html = (project_dir / "dist/ja/current/korean-stem-cell-therapy-2026.html").read_text()
    assert code == 0 and '<p lang="en">The Korean government has long recognized' in html
    assert fuzzy[0].msgstr not in html


def test_removed_text_is_kept_as_obsolete(project_dir, run_cli):
    guide = project_dir / "source" / "knee-osteoarthritis-stem-cells.md"
    text = guide.read_text()
    line = "Understanding these synonyms can make medical information clearer and more accessible."
    assert line in text
    guide.write_text(text.replace(line + "\n\n", ""))
    run_cli(project_dir, "update", "--lang", "ja")
    po = polib.pofile(str(project_dir / "locales/ja/LC_MESSAGES/knee-osteoarthritis-stem-cells.po"))
    assert line in [e.msgid for e in po.obsolete_entries()]
    assert "#~ msgid" in (project_dir / "locales/ja/LC_MESSAGES/knee-osteoarthritis-stem-cells.po").read_text()


def test_init_uses_cldr_plural_forms(project_dir, run_cli):
    code, _, _ = run_cli(project_dir, "init", "pl")
    assert code == 0
    po = polib.pofile(str(project_dir / "locales/pl/LC_MESSAGES/ui.po"))
    assert po.metadata["Language"] == "pl"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    code, _, err = run_cli(project_dir, "init", "pl")
    assert code == 2 and "already exists" in err


def test_pseudo_localization_keeps_placeholders(project_dir, run_cli):
    shutil.rmtree(project_dir / "locales" / "en_XA")
    code, _, _ = run_cli(project_dir, "pseudo")
    assert code == 0
    po = polib.pofile(str(project_dir / "locales/en_XA/LC_MESSAGES/korean-stem-cell-therapy-2026.po"))
    entry = next(e for e in po if "{ambulance}" in e.msgid)
    assert "{ambulance}" in entry.msgstr and entry.msgstr != entry.msgid and "**" in entry.msgstr
    code, out, err = run_cli(project_dir, "check", "--lang", "en_XA")
    assert code == 0, out + err
    for real in ("ja", "en_GB"):   # en_GB: an English variant is a real language too
        code, _, err = run_cli(project_dir, "pseudo", real)
        assert code == 2 and f"{real} is not a pseudo-locale" in err and "nothing written" in err


def test_previous_msgids_survive_update_as_valid_po(project_dir, run_cli):
    """Babel re-wraps `#| msgid` lines mid-string and reads them back as comments; `update` must write
    them so that every PO tool reads them, and keep them while the entry stays fuzzy."""
    guide = project_dir / "source" / "soft-tissue-injury-stem-cells.md"
    text = guide.read_text()
    paragraphs = [p for p in text.split("\n\n") if p[:1].isalpha() and len(p) > 150 and "\n" not in p]
    assert len(paragraphs) >= 10
    for p in paragraphs:
        text = text.replace(p, p.replace(" ", " really ", 1), 1)
    guide.write_text(text)
    po_path = project_dir / "locales/ja/LC_MESSAGES/soft-tissue-injury-stem-cells.po"
    old_ids = {e.msgid for e in polib.pofile(str(po_path))}
    assert run_cli(project_dir, "update", "--lang", "ja")[0] == 0
    first = po_path.read_bytes()
    assert run_cli(project_dir, "update", "--lang", "ja")[0] == 0
    assert po_path.read_bytes() == first  # the previous msgids are kept, not turned into "# |" comments

    from workflow.catalogs import reader
    ours = [e for e in reader.read(first, str(po_path)).entries if e.fuzzy]
    theirs = [e for e in polib.pofile(str(po_path)) if e.fuzzy]
    assert len(ours) == len(theirs) >= len(paragraphs)
    for mine, polibs in zip(ours, theirs):
        assert mine.previous_msgid == polibs.previous_msgid and mine.previous_msgid in old_ids
        assert mine.msgid == mine.previous_msgid.replace(" ", " really ", 1)
    if shutil.which("msgfmt"):
        assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po_path)]).returncode == 0
    code, out, _ = run_cli(project_dir, "check", "--lang", "ja", "--format", "json")
    assert code == 0 and not [p for p in json.loads(out) if p["check"].startswith("po.")]


def test_update_repairs_previous_lines_that_older_babel_wrapped_mid_string(project_dir, run_cli):
    po_path = project_dir / "locales/ja/LC_MESSAGES/knee-osteoarthritis-stem-cells.po"
    text = po_path.read_text()
    at = text.index('\nmsgid "', text.index("\n\n")) + 1   # the first entry after the header
    broken = '#| msgid "" "An older text that Babel wrapped in the middle of a\n#| string" " when it wrote the file"\n'
    po_path.write_text(text[:at] + broken + text[at:])
    line = text[:at].count("\n") + 2
    code, out, _ = run_cli(project_dir, "check", "--lang", "ja")
    assert code == 1 and f"knee-osteoarthritis-stem-cells.po:{line}: error:" in out
    assert run_cli(project_dir, "update", "--lang", "ja")[0] == 0
    assert "#| " not in po_path.read_text() and "# |" not in po_path.read_text()
    assert run_cli(project_dir, "check", "--lang", "ja")[0] == 0


def test_committed_catalogs_are_in_sync_with_source_and_templates(project_dir, run_cli, monkeypatch):
    """extract + update on the project as committed change no byte of any catalog: references, headers
    (the pseudo-locale's Plural-Forms too) and entries are what the tools write, whatever the date."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = {p: p.read_bytes() for p in (project_dir / "locales").rglob("*.po*")}
    assert run_cli(project_dir, "extract")[0] == 0
    assert run_cli(project_dir, "update")[0] == 0
    changed = [str(p.relative_to(project_dir)) for p, data in before.items() if p.read_bytes() != data]
    assert changed == []
