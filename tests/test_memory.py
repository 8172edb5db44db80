"""Translation memory: a guide that repeats the others is prefilled in every language on `update`."""
from __future__ import annotations

import json

import polib
import pytest
from babel.messages.catalog import Catalog

from workflow.catalogs.memory import Memory, Unit, prefill

from conftest import REPO

NEW = "repeated-guide"
SOFT = "soft-tissue-injury-stem-cells"
KOREAN = "korean-stem-cell-therapy-2026"
HEADING = "Understanding Soft Tissue Injuries"
PARAGRAPH = ("Soft tissue injuries target the non-bony body structures—muscles, ligaments, and tendons. The result "
             "is often pain, swelling, and limited movement, which can strongly impact well-being.")
CLOSE = PARAGRAPH.replace("strongly impact", "deeply affect")
PRICE_LINE = "**Anti-Aging (Facial Rejuvenation/Hair Restoration):** {price} per session."
DISCLAIMER_START = "This blog post is intended for informational purposes only"
LANGS = sorted(p.name for p in (REPO / "locales").iterdir() if p.is_dir() and p.name != "templates")


def _front_matter(project_dir) -> str:
    text = (project_dir / "source" / f"{SOFT}.md").read_text(encoding="utf-8")
    return text[:text.index("---", 3) + 3]


def _disclaimer(project_dir) -> str:
    text = (project_dir / "source" / f"{KOREAN}.md").read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if line.startswith(DISCLAIMER_START))


def _write_new_guide(project_dir) -> None:
    body = [_front_matter(project_dir), f"## {HEADING}", PARAGRAPH, CLOSE,
            "*   **Anti-Aging (Facial Rejuvenation/Hair Restoration):** USD $7,000 - $9,000 per session.",
            "### Medical Disclaimer", _disclaimer(project_dir)]
    (project_dir / "source" / f"{NEW}.md").write_text("\n\n".join(body) + "\n", encoding="utf-8")


def _approved(project_dir, lang: str) -> dict[str, str]:
    """msgid -> approved msgstr in the existing catalogs, read with polib (the reference reader)."""
    found = {}
    for domain in sorted(p.stem for p in (project_dir / "source").glob("*.md") if p.stem != NEW) + ["ui"]:
        for e in polib.pofile(str(project_dir / "locales" / lang / "LC_MESSAGES" / f"{domain}.po")):
            if e.msgstr and "fuzzy" not in e.flags and not e.obsolete:
                found.setdefault(e.msgid, e.msgstr)
    return found


@pytest.fixture
def repeated(project_dir, run_cli):
    before = {lang: _approved(project_dir, lang) for lang in LANGS}
    _write_new_guide(project_dir)
    assert run_cli(project_dir, "extract")[0] == 0
    assert run_cli(project_dir, "update")[0] == 0
    return project_dir, before


@pytest.mark.parametrize("lang", LANGS)
def test_new_guide_repeating_others_is_prefilled(repeated, run_cli, lang):
    project_dir, before = repeated
    approved = before[lang]
    po = polib.pofile(str(project_dir / "locales" / lang / "LC_MESSAGES" / f"{NEW}.po"))
    entries = {e.msgid: e for e in po}
    exact = [m for m in entries if m in approved]
    assert HEADING in exact or lang == "es"   # es has not translated that heading yet
    assert any(m.startswith(DISCLAIMER_START) for m in exact) and PRICE_LINE in exact
    for msgid in exact:
        entry = entries[msgid]
        assert entry.msgstr == approved[msgid] and "fuzzy" not in entry.flags, msgid
        assert "memory: exact match, from " in entry.tcomment and ".po:" in entry.tcomment
    close = entries[CLOSE]
    if PARAGRAPH in approved:
        assert close.msgstr == approved[PARAGRAPH] and "fuzzy" in close.flags
        assert "% similar source, from" in close.tcomment and f"{SOFT}.po:" in "".join(close.tcomment.split())
    else:
        assert close.msgstr == ""
    assert entries[PRICE_LINE].msgstr.count("{price}") == 1
    code, out, _ = run_cli(project_dir, "check", "--lang", lang, "--format", "json")
    errors = [p for p in json.loads(out) if p["severity"] == "error"]
    assert code == 0 and errors == []


def test_new_guide_is_published_with_its_own_prices(repeated, run_cli):
    project_dir, _ = repeated
    code, out, _ = run_cli(project_dir, "publish", "--lang", "ja", "--guide", NEW, "--format", "json")
    assert code == 0, out
    html = (project_dir / "dist/ja/current" / f"{NEW}.html").read_text(encoding="utf-8")
    assert "7,000" in html and "9,000" in html and "15,000" not in html


def test_a_translation_with_check_errors_is_not_memory(project_dir, run_cli):
    path = project_dir / "locales/ja/LC_MESSAGES" / f"{KOREAN}.po"
    po = polib.pofile(str(path))
    po.find(PRICE_LINE).msgstr = po.find(PRICE_LINE).msgstr.replace("{price}", "5000ドル")
    po.save(str(path))
    _write_new_guide(project_dir)
    run_cli(project_dir, "extract")
    run_cli(project_dir, "update", "--lang", "ja")
    new = polib.pofile(str(project_dir / "locales/ja/LC_MESSAGES" / f"{NEW}.po"))
    assert new.find(PRICE_LINE).msgstr == ""


# -- matching rules, on the memory itself ------------------------------------------------------------

def _catalog(*msgids: str) -> Catalog:
    catalog = Catalog(locale="es")
    for msgid in msgids:
        catalog.add(msgid, "")
    return catalog


def _fill(memory: Memory, msgid: str, legal=None):
    catalog = _catalog(msgid)
    prefill(catalog, memory, lambda text: legal)
    message = catalog.get(msgid)
    return message.string, message.fuzzy


def test_exact_match_with_placeholders_named_differently_is_renamed():
    memory = Memory([Unit("From {price} to {price2} per knee.", "De {price} a {price2} por rodilla.", "a.po:1", None)])
    assert _fill(memory, "From {price2} to {price3} per knee.") == ("De {price2} a {price3} por rodilla.", False)
    assert _fill(memory, "From {price2} to {price2} per knee.") == ("", False)   # two names cannot become one


def test_close_match_needs_the_same_placeholders_and_is_fuzzy():
    memory = Memory([Unit("Call {ambulance} at once if you are hurt.", "Llame al {ambulance} si está herido.",
                          "a.po:1", None)])
    assert _fill(memory, "Call {ambulance} at once if you are badly hurt.") == \
        ("Llame al {ambulance} si está herido.", True)
    assert _fill(memory, "Call {police} at once if you are badly hurt.") == ("", False)
    assert _fill(memory, "Something else entirely, nothing alike.") == ("", False)


def test_threshold_is_configurable():
    unit = Unit("Stem cells reduce inflammation in the joint.", "Las células madre reducen la inflamación.", "a.po:1",
                None)
    query = "Stem cells reduce the inflammation in a joint."
    assert _fill(Memory([unit], 80), query)[1] is True
    assert _fill(Memory([unit], 99), query) == ("", False)


def test_legal_text_only_from_the_same_disclaimer():
    legal = Unit("This guide is information only and not medical advice.", "Esta guía es solo información.",
                 "ui.po:82", "medical")
    memory = Memory([legal])
    assert _fill(memory, legal.source, legal="medical") == (legal.target, False)
    assert _fill(memory, legal.source, legal="financial") == ("", False)
    assert _fill(memory, "This guide is information only and not financial advice.", legal="financial") == ("", False)
    assert _fill(memory, "This guide is information only and not medical advice!", legal=None) == ("", False)
    assert _fill(memory, "This guide is information only, and not medical advice.", legal="medical") == \
        (legal.target, True)   # the same disclaimer, edited: offered, never approved


def test_a_unit_that_lost_a_placeholder_is_not_memory():
    memory = Memory([Unit("Costs {price} per session.", "Cuesta 5000 por sesión.", "x.tmx:3", None),
                     Unit("Costs {price} each.", "Cuesta {price} {price} cada una.", "x.tmx:9", None)])
    assert len(memory) == 0 and memory.rejected == 2
    assert _fill(memory, "Costs {price} per session.") == ("", False)


def test_translated_and_babel_fuzzy_entries_are_not_overwritten():
    memory = Memory([Unit("Knee pain", "Dolor de rodilla", "a.po:1", None),
                     Unit("Knee pains", "Dolores de rodilla", "a.po:2", None)])
    catalog = _catalog()
    catalog.add("Knee pain", "Mi traducción")
    catalog.add("Knee pains!", "Una traducción anterior", flags=["fuzzy"])
    prefill(catalog, memory, lambda text: None)
    assert catalog.get("Knee pain").string == "Mi traducción"
    assert catalog.get("Knee pains!").string == "Una traducción anterior"


def test_memory_threshold_in_workflow_yaml_is_validated(project_dir, run_cli):
    config = project_dir / "workflow.yaml"
    text = config.read_text()
    config.write_text(text + "memory:\n  min_similarity: 150\n")
    line = text.count("\n") + 2
    code, _, err = run_cli(project_dir, "update", "--lang", "ja")
    assert code == 2 and f"workflow.yaml:{line}: error: memory.min_similarity must be above 0" in err


def test_a_wrapped_memory_comment_is_replaced_whole_and_other_comments_stay():
    memory = Memory([Unit("Knee pain", "Dolor de rodilla", "knee.po:7", None)])
    catalog = _catalog()
    catalog.add("Knee pain", "", user_comments=["memory: 85% similar source, from", "a-very-long-", "guide.po:12",
                                                  "ask the doctors"])
    prefill(catalog, memory, lambda text: None)
    assert catalog.get("Knee pain").user_comments == ["ask the doctors", "memory: exact match, from knee.po:7"]


def test_the_origin_cannot_break_the_comment_line():
    memory = Memory([Unit("Knee pain", "Dolor de rodilla", 'evil\nmsgid "x".tmx:3', None)])
    catalog = _catalog("Knee pain")
    prefill(catalog, memory, lambda text: None)
    assert all("\n" not in c for c in catalog.get("Knee pain").user_comments)
