"""The name next to an emergency number: a translation cannot put a number under another service's name
(source/facts.yaml's vetted names per language; checks/services.py at `check`, editions/services.py in the
verification of every format). Each attack here passed `check` and the build before the mechanism."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from workflow.editions.edition import Translations, build_edition
from workflow.maintainer import check_facts
from workflow.model import ERROR

from test_checks_redteam2 import AMBULANCE, _catalog, _plain, _problems, _routes, guide  # noqa: F401 (fixture)
from test_maintainer_files import _problems as _file_problems

LABELS = {"ja": ("救急・消防・緊急", "医療相談（外国人向け）", "警察"),
          "es": ("Ambulancia/Bomberos/Emergencias", "Consulta médica (para extranjeros)", "Policía")}
ENGLISH = ("Ambulance/Fire/Emergency", "Medical Consultation (for foreigners)", "Police")


def _ui_errors(guide, lang, pairs):  # noqa: F811
    project, doc, sources = guide
    from workflow.checks.runner import source_for_ui
    ui_sources = {m: source_for_ui(m, project.registry) for m, _ in pairs}
    catalog = _catalog(pairs, "locales/x/LC_MESSAGES/ui.po", lang=lang)
    plain = _plain(catalog, ui_sources, project, lang)
    assert _problems(catalog, ui_sources, project, {}, lang) == plain
    return [(p["line"], p["message"]) for p in plain if p["severity"] == ERROR and p["check"] == "services"]


def _edition_errors(guide, lang, ui=None, body=None):  # noqa: F811
    project, doc, sources = guide
    edition = build_edition(doc, lang, Translations(guide=body or {}, ui=ui or {}), project.registry,
                            project.templates_dir, ["en", lang])
    return [p.message for p in edition.problems if p.severity == ERROR and p.check.startswith("verify.service")]


@pytest.mark.parametrize("lang", sorted(LABELS))
def test_swapped_labels_are_refused_by_check_and_by_verification(guide, lang):  # noqa: F811
    ambulance, helpline, police = LABELS[lang]
    swapped = [(ENGLISH[0], police), (ENGLISH[1], helpline), (ENGLISH[2], ambulance)]
    errors = _ui_errors(guide, lang, swapped)
    assert {line for line, _ in errors} == {2, 4}, errors
    assert _ui_errors(guide, lang, list(zip(ENGLISH, LABELS[lang]))) == []
    shown = _edition_errors(guide, lang, ui=dict(swapped))
    assert any("HTML" in m for m in shown) and any("JSON" in m for m in shown), shown
    assert _edition_errors(guide, lang, ui=dict(zip(ENGLISH, LABELS[lang]))) == []


def test_another_services_name_next_to_a_number_in_a_guide_is_refused(guide):  # noqa: F811
    errors, refused = _routes(guide, AMBULANCE, "**警察：** {ambulance}", lang="ja")
    assert any("police" in e.lower() for e in errors), errors
    assert any("Police" in r or "police" in r for r in refused), refused
    errors, refused = _routes(guide, AMBULANCE, "**救急・消防・緊急：** {ambulance}", lang="ja")
    assert errors == [] and refused == []


# --- the check and the verification against a hostile translator -----------------------------------------
MEDICAL = "**Medical Consultation (for foreigners):** {medical_helpline} (available in multiple languages)"
ATTACKS = [  # (lang, msgid, msgstr): a reader would see the number under another service's name
    ("ja", AMBULANCE, "**警察：** {ambulance}"),
    ("ja", AMBULANCE, "**警 察：** {ambulance}"),                       # a space inside the name
    ("ja", AMBULANCE, "**警**察：{ambulance}"),                         # split by markup
    ("ja", AMBULANCE, "**警\u200b察：** {ambulance}"),                  # zero-width space
    ("ja", AMBULANCE, "**&#35686;&#23519;：** {ambulance}"),            # entities
    ("ja", AMBULANCE, "**Police:** {ambulance}"),                        # the English name
    ("ja", AMBULANCE, "**ＰＯＬＩＣＥ：** {ambulance}"),                # full-width forms
    ("ja", AMBULANCE, "**Policía:** {ambulance}"),                       # another language's name
    ("ja", AMBULANCE, "**救急・消防・緊急（警察）：** {ambulance}"),    # its own name and another
    ("ja", MEDICAL, "**救急・消防・緊急：** {medical_helpline}（多言語対応）"),
    ("es", AMBULANCE, "**Policía:** {ambulance}"),
    ("es", AMBULANCE, "**Poli-cía:** {ambulance}"),
    ("es", AMBULANCE, "**POLICIA:** {ambulance}"),
    ("es", AMBULANCE, "**Pol&iacute;c&iacute;a:** {ambulance}"),
    ("es", AMBULANCE, "**P\u043elic\u00eda:** {ambulance}"),             # Cyrillic о
    ("es", AMBULANCE, "**Poli\u0301cia:** {ambulance}"),                 # a combining accent
    ("ar", AMBULANCE, "**الشرطة:** {ambulance}"),
    ("ar", AMBULANCE, "**الشـرطة:** {ambulance}"),                       # tatweel
    ("ar", AMBULANCE, "**الشرطه:** {ambulance}"),                        # heh for teh marbuta
    ("ar", AMBULANCE, "**الشُّرْطَة:** {ambulance}"),                     # harakat
    ("zh_CN", AMBULANCE, "**警察：** {ambulance}"),
    ("en_XA", AMBULANCE, "**⟦Pölîçé⟧:** {ambulance}"),                  # the pseudo locale: accented English
]


@pytest.mark.parametrize("lang, msgid, msgstr", ATTACKS)
def test_another_services_name_is_refused_at_check_and_in_every_format(guide, lang, msgid, msgstr):  # noqa: F811
    errors, refused = _routes(guide, msgid, msgstr, lang=lang)
    assert any("a name of" in e for e in errors), errors
    shown = [r for r in refused if "verify.services" in r]
    assert any("HTML:" in r for r in shown) and any("Markdown:" in r for r in shown), refused


@pytest.mark.parametrize("lang, msgstr", [("ja", "**警：** {ambulance}"), ("ja", "**電話：** {ambulance}"),
                                          ("es", "**Llame al** {ambulance}"), ("ar", "**اتصل:** {ambulance}")])
def test_a_number_whose_name_is_dropped_or_cut_is_refused(guide, lang, msgstr):  # noqa: F811
    """The source shows the service's name next to its number: the translation must show one of its vetted
    names (a fragment of another's, 警 for 警察, is no name of its own)."""
    errors, refused = _routes(guide, AMBULANCE, msgstr, lang=lang)
    assert any("without a name of 119" in e for e in errors), errors
    assert any("without a name of 119" in r for r in refused), refused


@pytest.mark.parametrize("lang, msgstr", [
    ("ja", "**救急・消防・緊急：** {ambulance}"), ("ja", "**救急車・消防：** {ambulance}"),
    ("es", "**Ambulancia/Bomberos/Emergencias:** {ambulance}"), ("es", "**Ambulancia:** {ambulance}"),
    ("ar", "**الإسعاف/الحريق/الطوارئ:** {ambulance}"), ("zh_CN", "**救护车/消防/急救：** {ambulance}"),
    ("en_XA", "**⟦Åmbûlåñçé/Fîré/Émérgéñçý:** {ambulance} ··⟧"), ("fr", "**Ambulance/Pompiers :** {ambulance}")])
def test_the_vetted_names_pass(guide, lang, msgstr):  # noqa: F811
    assert _routes(guide, AMBULANCE, msgstr, lang=lang) == ([], [])


def test_a_label_swapped_in_the_pseudo_locale_and_an_unvetted_language(guide):  # noqa: F811
    assert _ui_errors(guide, "en_XA", [(ENGLISH[0], "⟦Pölîçé ··⟧"), (ENGLISH[2], "⟦Pölîçé ··⟧")]) == [
        (2, _ui_errors(guide, "en_XA", [(ENGLISH[0], "⟦Pölîçé ··⟧")])[0][1])]
    # fr has no vetted names: its labels are unverified (a warning), another service's English name an error
    errors = _ui_errors(guide, "fr", [(ENGLISH[0], "Police"), (ENGLISH[2], "Police")])
    assert [line for line, _ in errors] == [2]
    project, doc, sources = guide
    from workflow.checks.runner import source_for_ui
    catalog = _catalog([(ENGLISH[2], "Police")], "locales/fr/LC_MESSAGES/ui.po", lang="fr")
    warnings = _plain(catalog, {ENGLISH[2]: source_for_ui(ENGLISH[2], project.registry)}, project, "fr")
    assert [p["message"] for p in warnings] == [
        "fr has no vetted names of the emergency services in source/facts.yaml (names.fr): this label is unverified"]


@pytest.mark.parametrize("label", ["救急・消防・緊急・警察", "警察", "Police", "救急", "救急・消防"])
def test_a_label_that_is_not_its_vetted_name_is_refused(guide, label):  # noqa: F811
    """ja's ambulance label reads as 救急・消防・緊急 (spacing, width and zero-width aside) or as the English label."""
    assert len(_ui_errors(guide, "ja", [(ENGLISH[0], label)])) == 1
    assert _ui_errors(guide, "ja", [(ENGLISH[0], "救急・消防・\u200b緊 急"), (ENGLISH[1], ENGLISH[1])]) == []


def test_a_service_named_in_an_aria_label_is_refused(guide):  # noqa: F811
    """ui.po's "Table" is the aria-label of each table region: a screen reader says it, no label check sees it."""
    assert _ui_errors(guide, "ja", [("Table", "警察")]) != []
    shown = _edition_errors(guide, "ja", ui={"Table": "警察"})
    assert any("attribute a screen reader says" in m for m in shown), shown


CONTACTS = """---
title: "Contacts"
date: 2026-01-22
excerpt: "Who to call."
category: Medical Tourism
author: Korea Experience Team
---

## Emergency contacts

| Service | Number |
| --- | --- |
| Police | 112 |
| Ambulance | 119 |

Keep these numbers with you.
"""


@pytest.fixture
def contacts(tmp_path):
    from conftest import copy_project
    from workflow.project import Project
    root = copy_project(tmp_path / "p", languages=["ja"])
    (root / "source" / "contacts.md").write_text(CONTACTS, encoding="utf-8")
    project = Project(root)
    doc = project.document("contacts")
    return project, doc, {s.msgid: s for s in doc.segments}


@pytest.mark.parametrize("cells", [
    {"Police": "救急", "Ambulance": "警察"},                 # the names of a table's rows swapped
    {"Police": "警察", "Ambulance": "警察"},                 # the ambulance row named police
    {"Emergency contacts": "警察", "Ambulance": "連絡先"},   # the name in a heading, the row's own name gone
])
def test_a_number_in_a_table_under_another_services_name_is_refused(contacts, cells):
    """Each cell is its own entry: the name and the number meet only on the page. `check` refuses a cell
    naming another service than its source; the verification reads the table row as a reader does."""
    project, doc, sources = contacts
    catalog = _catalog(list(cells.items()), "locales/ja/LC_MESSAGES/contacts.po", lang="ja")
    errors = [p for p in _plain(catalog, sources, project, "ja") if p["severity"] == ERROR]
    # a heading that names no service in the source is not read at check (most entries): its page is
    assert (errors or list(cells) == ["Emergency contacts"]) and all(p["check"] == "services" for p in errors), errors
    edition = build_edition(doc, "ja", Translations(guide=cells), project.registry, project.templates_dir, ["en", "ja"])
    refused = [p.message for p in edition.problems if p.check == "verify.services"]
    # the Markdown edition's body reads as the page's here (verify reads that text once)
    assert any("HTML:" in m for m in refused), refused
    honest = {"Police": "警察", "Ambulance": "救急車", "Emergency contacts": "緊急連絡先", "Service": "機関"}
    assert [p for p in _plain(_catalog(list(honest.items()), lang="ja"), sources, project, "ja")
            if p["severity"] == ERROR] == []
    edition = build_edition(doc, "ja", Translations(guide=honest), project.registry, project.templates_dir, ["en", "ja"])
    assert [p.message for p in edition.problems if p.severity == ERROR] == []


# --- the cheaper routes against the plain ones ---------------------------------------------------------------
_TEXTS = st.lists(st.sampled_from(list("0123456789.,  ٠١٩警察救急/") + ["119", "112", "1339", "警察", "救急", "Policía",
                                                                      "Ambulance", "Police"]), max_size=20).map("".join)


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_number_spans_are_the_patterns_matches(text):
    from workflow.editions.services import services_for
    from workflow.project import Project
    from conftest import REPO
    names = services_for(Project(REPO).registry, "ja")
    assert names.number_spans(text) == [m.span() for m in names.numbers.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS, max_size=8), st.integers(1, 30))
def test_reading_near_the_numbers_only_finds_what_the_whole_reading_finds(parts, near):
    """events(text, near) leaves out names far from every number: its pairs are the whole reading's
    nearest ones, so nothing it reports is what the whole reading would not."""
    from workflow.editions.services import GAP, named_numbers, pairs, services_for
    from workflow.project import Project
    from conftest import REPO
    names = services_for(Project(REPO).registry, "ja")
    text = " ".join(parts)
    whole, windowed = names.events(text), names.events(text, near)
    assert names.events(text, len(text) + 1) == (whole if names.number_spans(text) else [])
    assert [e for e in windowed if e.number] == [e for e in whole if e.number]
    assert {e.fact for e in windowed} - {""} <= {e.fact for e in whole}
    assert pairs(windowed) <= pairs(whole) and named_numbers(windowed) <= named_numbers(whole)
    assert GAP not in whole


@pytest.mark.parametrize("names, line, words", [
    ("{fr-FR: [x]}", 5, "invalid language code"),
    ("{ja: []}", 5, "at least one name"),
    ("{ja: ['・・']}", 5, "has no letter"),
    ("{ja: [警察, 警察]}", 5, "duplicate name in ja"),
    ("[警察]", 5, "must map language codes"),
    ("{ja: 警察, es: 7}", 5, "non-empty text"),
])
def test_malformed_names_are_errors_at_their_line(names, line, words):
    text = f"emergency:\n  - id: police\n    number: '112'\n    label: Police\n    names: {names}\n"
    found = _file_problems(check_facts, text)
    assert any(n == line and words in message for n, message in found), found


def test_a_language_named_for_one_service_must_name_them_all():
    text = ("emergency:\n  - id: police\n    number: '112'\n    label: Police\n    names: {ja: [警察], en: [Cops]}\n"
            "  - id: ambulance\n    number: '119'\n    label: Ambulance\n    names: {ja: [救急]}\n"
            "  - id: fire\n    number: '118'\n    label: Fire\n")
    assert _file_problems(check_facts, text) == [
        (10, "emergency 'fire' has no names.ja: every service needs its vetted names in ja, or none does")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Korea", " ", "**", "call", "119", "警察", "Police", "救急", "{price}", "&#35686;",
                                 "Ambulancia", "112", "police", "Poli\u200bce", "\u0643"]), max_size=8).map("".join),
       _TEXTS, st.sampled_from(["ja", "es", "fr", "en_XA"]), st.sampled_from(["paragraph", "cell", "ui"]))
def test_the_services_check_reports_nothing_without_its_bits(msgid, msgstr, lang, kind):
    """The runner calls it on a ui text or a segment whose source shows an emergency number or a service's
    name (entry bits UI, SERVICE; a price placeholder alone is neither); on any other entry it reports nothing."""
    from decimal import Decimal
    from workflow.checks.registry import SERVICE, UI, EntryView, RunContext, entry_bits
    from workflow.checks.services import services
    from workflow.editions.facts import placeholder_names
    from workflow.model import Entry, Price, Segment
    from workflow.project import Project
    from conftest import REPO
    registry = Project(REPO).registry
    values = {n: Price("USD", Decimal(5), source="$5") for n in placeholder_names(msgid)}
    view = EntryView(Entry(msgid, msgstr, None, False, False, 2, []), Segment(msgid, 1, kind, values),
                     RunContext(lang, registry, [], "refuse"))
    if not entry_bits(view) & (UI | SERVICE):
        assert list(services(view)) == []


def test_a_label_is_read_as_the_page_prints_it(guide):  # noqa: F811
    """A template prints a ui text escaped, not as Markdown: an entity in a label shows as written, so it is
    no vetted name at check, as the verification reads the page."""
    assert _ui_errors(guide, "ja", [(ENGLISH[2], "&#35686;察")]) != []
    assert _edition_errors(guide, "ja", ui={ENGLISH[2]: "&#35686;察"}) != []
    assert _ui_errors(guide, "ja", [(ENGLISH[2], "警\u200b察")]) == []


@pytest.mark.parametrize("msgstr, ok", [
    ("警察：{police}、救急：{ambulance}", True),
    ("警察：{ambulance}、救急：{police}", False),          # the numbers swapped, every name kept
    ("救急：{police}、警察：{ambulance}", False),          # the names swapped
    ("警察は{police}、救急車は{ambulance}です", True),
])
def test_two_services_in_one_sentence_keep_their_numbers(guide, msgstr, ok):  # noqa: F811
    """Each number keeps the neighbours the source gives it: a swap puts one under the other's name. (A
    translation that reorders the two is refused too: it keeps the source's order of services.)"""
    project, doc, sources = guide
    from workflow.model import Segment
    facts = {f.id: f for f in project.registry.emergency}
    msgid = "Police: {police}, ambulance: {ambulance}"
    segment = Segment(msgid, 1, "paragraph", {"police": facts["police"], "ambulance": facts["ambulance"]})
    catalog = _catalog([(msgid, msgstr)], lang="ja")
    errors = [p["message"] for p in _plain(catalog, {msgid: segment}, project, "ja") if p["check"] == "services"]
    assert (errors == []) == ok, errors


def test_a_hostile_text_of_names_and_numbers_costs_linear_time_and_memory():
    """Names and numbers 100,000 times each: the reading is one pass per name and number (str.find), the
    names merged lazily, under the hostile-input limits (RLIMIT_AS, a timeout)."""
    from test_hostile_limits import run_python
    out = run_python(
        "import time\n"
        "from workflow.project import Project\n"
        "from workflow.editions.services import services_for, misplaced\n"
        "names = services_for(Project('.').registry, 'ja')\n"
        "text = '警 察119救急・Poli\\u200bce ' * 100000\n"
        "start = time.process_time()\n"
        "found = names.events(text)\n"
        "problems = misplaced(found, [], names) + misplaced(names.events(text, 200), [], names)\n"
        "print(len(found), len(problems), round(time.process_time() - start))\n", timeout=120)
    events, problems, seconds = map(int, out.split())
    assert events == 300001 and problems >= 2 and seconds < 60, out   # a police name first, then 3 a time


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["Police", "pol", "ice", "Ambulance", "amb", "ulance", "11", "9", "1", "3", "119", "1339",
                                 "*", "**", "_", "__", " ", "\n", "~", "#", "-", "x", "Fire department", "!", "(", ")",
                                 "&#49;", "\\", "[a](b)", "`", "<", ".", ","]), max_size=14).map("".join))
def test_a_source_text_read_without_markdown_only_where_the_reading_finds_nothing(text):
    """surely_unnamed (no Markdown parse for most source segments) says True only where the plain reading,
    shown_text, shows no number and no name."""
    from workflow.editions.services import services_for, shown_text
    from workflow.project import Project
    from conftest import REPO
    names = services_for(Project(REPO).registry, "ja")
    if names.surely_unnamed(text):
        assert names.events(shown_text(text, {})) == []


def test_most_source_texts_are_read_without_markdown(guide):  # noqa: F811
    from workflow.editions.services import services_for
    project, doc, sources = guide
    names = services_for(project.registry, "ja")
    quick = [m for m, s in sources.items() if not s.placeholders and names.surely_unnamed(m)]
    assert len(quick) > len(sources) // 2 and not names.surely_unnamed("Call the **Pol**ice")


def test_the_verifications_source_reading_is_the_plain_one(guide, contacts):  # noqa: F811
    """The source body's events, most texts read without their Markdown, are every text's plain reading."""
    from workflow.editions.segment import walk_texts
    from workflow.editions.services import services_for, shown_text, source_body_events
    project = guide[0]
    for project, doc in ((project, guide[1]), (contacts[0], contacts[1]),
                         (project, project.document("soft-tissue-injury-stem-cells"))):
        names = services_for(project.registry, "ja")
        plain = [e for t in walk_texts(doc.blocks) for e in names.events(shown_text(t.template, t.placeholders))]
        assert source_body_events(doc, names) == plain and (plain or doc.guide.startswith("soft"))


@settings(max_examples=1000, deadline=None)
@given(st.text(st.characters(max_codepoint=127)), st.text(max_size=3))
def test_the_ascii_skeleton_is_the_general_one(text, other):
    """skeleton's ASCII route (bytes lower and delete) against NFKD, casefold, folds and the letter filter."""
    import unicodedata
    from workflow.editions import services
    # lookalikes folded before case folding (a capital's look: Greek Ε is Latin E) and after (the small letters
    # it gave); a reference folding only after missed 84 capitals, which Hypothesis drew now and then
    general = lambda t: services._NOT_LETTER.sub("", unicodedata.normalize("NFKD", t).translate(  # noqa: E731
        services._FOLDS).casefold().translate(services._FOLDS))
    assert services.skeleton(text) == general(text)
    assert services.skeleton(text + other) == general(text + other)
