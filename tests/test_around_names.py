"""The text around a guide's body names no emergency service beyond the box's labels (round 16, issue 17's
guarantee): a UI string (the box's heading, the skip link, the footer, the disclaimer section, a notice) that
names a service beside a number written in words ("policía: ciento diecinueve"), in a script's numerals or any
way no digit reading finds, would send a reader to the wrong service. The build's own verification
(verify_front.verify_around) counts the services named there against the box's labels as shown (each verified as
its service's name), the titles (verified on their own) and the source's texts there, in the page, the .md's
appendix and the language's index page, whatever checks are on. Each attack below was published on main."""
from __future__ import annotations

import pytest

from workflow.editions.edition import Translations, build_edition
from workflow.model import ERROR
from workflow.publishing.builder import Builder

from test_around_numbers import LEGAL_IN_BODY, UI_ES, WITH_SECTION, _errors, _index_errors, _summary, project  # noqa: F401

LANGS = ["es", "ja", "zh_CN", "ar"]   # the languages with vetted names (source/facts.yaml)
# the police (112) named beside 119 written in words, as each language writes it
ATTACKS = {
    "es": "policía: ciento diecinueve",
    "ja": "警察：ひゃくじゅうきゅう",
    "zh_CN": "报警请拨幺幺九",
    "ar": "الشرطة: مئة وتسعة عشر",
}
NOT_LABELS = ["Emergency numbers in Korea", "Skip to content", "All guides", "Medical Disclaimer",
              "Parts of this guide are not yet translated and are shown in English."]


def _real_ui(project, lang: str) -> dict:
    """The language's ui.po as the build reads it (approved entries)."""
    return Translations.from_entries({}, Builder(project).ui_translations(lang, [])).ui


def _named(errors: list[str], output: str) -> bool:
    return any(f"] {output}: the page's UI text" in m and "names 112 (Police)" in m and m.endswith("[verify.services]")
               for m in errors)


@pytest.mark.parametrize("lang", LANGS + ["en_XA"])
def test_the_real_ui_strings_of_every_language_are_published(project, lang):
    for guide in (WITH_SECTION, LEGAL_IN_BODY):
        assert _errors(project, guide, _real_ui(project, lang), lang=lang) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("msgid", ["Emergency numbers in Korea", "Skip to content", "All guides"])
def test_a_service_named_in_a_ui_string_is_refused_in_the_page(project, lang, msgid):
    ui = _real_ui(project, lang)
    errors = _errors(project, WITH_SECTION, {**ui, msgid: f"{ui.get(msgid, msgid)} ({ATTACKS[lang]})"}, lang=lang)
    assert _named(errors, "HTML"), errors


def test_a_service_named_in_the_disclaimer_section_is_refused_in_the_page_and_the_md(project):
    for msgid in ("Medical Disclaimer", next(d.text for d in project.registry.disclaimers)):
        errors = _errors(project, WITH_SECTION, {**UI_ES, msgid: f"{msgid} (policía: ciento diecinueve)"})
        assert _named(errors, "HTML") and _named(errors, "Markdown"), (msgid, errors)


def test_the_fallback_notice_naming_a_service_is_refused(project):
    doc = project.document(WITH_SECTION)
    notice = NOT_LABELS[-1]
    built = build_edition(doc, "es", Translations({}, {**UI_ES, notice: "Aún sin traducir (policía: ciento diecinueve)"}),
                          project.registry, project.templates_dir, ["en", "es"])
    assert _named([f"{p.message} [{p.check}]" for p in built.problems if p.severity == ERROR], "HTML")


@pytest.mark.parametrize("name", ["Policía", "POLICÍA", "Pоlicía", "Poli\u00adcía", "police", "警察"])
def test_any_writing_of_a_service_name_in_the_boxs_heading_is_refused(project, name):
    errors = _errors(project, WITH_SECTION, {**UI_ES, "Emergency numbers in Korea": f"Números ({name}: ciento once)"})
    assert _named(errors, "HTML"), errors


def test_a_label_repeated_in_the_heading_just_before_it_is_refused(project):
    # the heading's name and the label after it: one run of one service to services.named, two names counted
    errors = _errors(project, WITH_SECTION, {**UI_ES, "Emergency numbers in Korea": "Números: Ambulancia ciento doce"})
    assert any("names 119 (Ambulance/Fire/Emergency)" in m for m in errors), errors


@pytest.mark.parametrize("msgid", ["Medical travel guides for Korea", "Skip to content"])
def test_a_service_named_in_the_index_pages_ui_is_refused(project, msgid):
    errors = _index_errors(project, {**UI_ES, msgid: f"{UI_ES[msgid]} (policía: ciento diecinueve)"}, [_summary(project)])
    assert any("index page: HTML: the page's UI text" in m and "names 112 (Police)" in m for m in errors), errors



# a language without vetted names (the bench's de, ru, ko...): the box's label as the page shows it names its service
UI_DE = {"Police": "Polizei", "Ambulance/Fire/Emergency": "Rettung/Feuerwehr/Notruf",
         "Medical Consultation (for foreigners)": "Medizinische Beratung (für Ausländer)",
         "Emergency numbers in Korea": "Notrufnummern in Korea", "Skip to content": "Zum Inhalt",
         "All guides": "Alle Ratgeber", "Medical Disclaimer": "Medizinischer Haftungsausschluss"}


def test_a_language_without_vetted_names_publishes_its_labels_words_in_compounds(project):
    # "Notrufnummern" holds the label "Notruf" (of 119) inside a word: no name of it
    assert _errors(project, WITH_SECTION, {**UI_DE, "Ambulance/Fire/Emergency": "Notruf"}, lang="de") == []


@pytest.mark.parametrize("msgid", ["Emergency numbers in Korea", "Skip to content", "All guides", "Medical Disclaimer"])
def test_a_label_of_a_language_without_vetted_names_repeated_in_a_ui_string_is_refused(project, msgid):
    errors = _errors(project, WITH_SECTION, {**UI_DE, msgid: f"{UI_DE[msgid]} (POLIZEI: einhundertneunzehn)"}, lang="de")
    assert _named(errors, "HTML"), errors


def _title_errors(project, title: str, lang: str = "es") -> list[str]:
    doc = project.document(WITH_SECTION)
    built = build_edition(doc, lang, Translations(guide={doc.meta_texts["title"].segment.msgid: title}, ui=UI_ES),
                          project.registry, project.templates_dir, ["en", lang])
    return [f"{p.message} [{p.check}]" for p in built.problems if p.severity == ERROR]


@pytest.mark.parametrize("title", ["Artrosis de rodilla en Corea (policía: ciento diecinueve)",
                                   "Artrosis de rodilla en Corea: llame a la POLICÍA, ciento once"])
def test_a_title_naming_a_service_its_source_does_not_is_refused_wherever_it_is_shown(project, title):
    # the title names no emergency number in digits, so no event near a number: read for names all the same
    errors = _title_errors(project, title)
    for where in ("HTML <title>", "Markdown front matter", "JSON"):
        assert any(where in m and "names 112 (Police)" in m for m in errors), (where, errors)


def test_a_translated_title_naming_no_service_is_published(project):
    assert _title_errors(project, "Tratamiento de la artrosis de rodilla en Corea: células madre") == []
