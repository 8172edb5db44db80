"""The text around a guide's body (UI strings from ui.po: skip link, language menu, the emergency box's heading
and labels, the disclaimer section, the footer, attributes a screen reader says; the JSON's date and labels; the
index page's own UI) is read by the build's own verification for numbers, whatever catalog checks are on
(verify_front.verify_around): each number there must come from the emergency box, the source's date as the
locale writes it, the guide's front matter or a title shown (verified on its own). A hostile ui.po entry or a
template bug that adds or changes one is refused in every output that shows it, in any digit script."""
from __future__ import annotations

import json
from types import SimpleNamespace
from unittest import mock

import pytest

from workflow.editions import edition as edition_module
from workflow.editions.edition import Translations, build_edition
from workflow.model import ERROR, WorkflowError
from workflow.project import Project
from workflow.publishing.builder import Builder

from conftest import REPO

WITH_SECTION = "knee-osteoarthritis-stem-cells"    # its body holds no disclaimer: the page adds the section
LEGAL_IN_BODY = "korean-stem-cell-therapy-2026"    # its body holds the disclaimer: no section
UI_ES = {
    "Skip to content": "Saltar al contenido", "Languages": "Idiomas", "Table": "Tabla",
    "Emergency numbers in Korea": "Números de emergencia en Corea", "All guides": "Todas las guías",
    "Medical travel guides for Korea": "Guías de viaje médico para Corea", "Police": "Policía",
    "Ambulance/Fire/Emergency": "Ambulancia/Bomberos/Emergencias", "Medical Disclaimer": "Aviso médico",
}
# 113 as each script writes it: ASCII, Arabic-Indic, full-width, Devanagari; each reads as 113
DIGITS = ["113", "\u0661\u0661\u0663", "\uff11\uff11\uff13", "\u0967\u0967\u0969"]


@pytest.fixture(scope="module")
def project():
    return Project(REPO)


def _errors(project, guide: str, ui: dict, alter=None, lang: str = "es") -> list[str]:
    """The edition's errors with these UI strings, its outputs altered by alter(html, markdown, json_text)
    before the verification (as a template or writer bug would)."""
    real = edition_module.verify_edition

    def altered(html, doc, lang, locale, registry, disclaimers, path, markdown, json_text, **kw):
        if alter:
            html, markdown, json_text = alter(html, markdown, json_text)
        return real(html, doc, lang, locale, registry, disclaimers, path, markdown, json_text, **kw)

    with mock.patch.object(edition_module, "verify_edition", altered):
        built = build_edition(project.document(guide), lang, Translations(ui=ui), project.registry,
                              project.templates_dir, ["en", lang])
    return [f"{p.message} [{p.check}]" for p in built.problems if p.severity == ERROR]


def _number_refused(errors: list[str], output: str) -> bool:
    return any(m.startswith(f"[es] {output}: number ") and "'113'" in m and m.endswith("[verify.value]")
               for m in errors)


def test_the_real_ui_strings_show_no_number_the_source_does_not_account_for(project):
    for guide in (WITH_SECTION, LEGAL_IN_BODY):
        assert _errors(project, guide, UI_ES) == []
        assert _errors(project, guide, {}, lang="en") == []   # titles with a year, the date, the box: accounted


@pytest.mark.parametrize("digits", DIGITS)
@pytest.mark.parametrize("msgid, outputs", [
    ("Skip to content", ["HTML"]),
    ("Languages", ["HTML"]),                        # the menu's aria-label: said by a screen reader
    ("Emergency numbers in Korea", ["HTML"]),
    ("Police", ["HTML", "JSON"]),                   # a box label: the page and the JSON's emergency list
    ("All guides", ["HTML"]),
    ("Medical Disclaimer", ["HTML", "Markdown"]),    # the section after the body, and the .md's appendix
    ("Table", ["HTML"]),                            # a table's aria-label, inside the body
])
def test_a_number_in_a_ui_string_is_refused_in_every_output_showing_it(project, msgid, outputs, digits):
    errors = _errors(project, WITH_SECTION, {**UI_ES, msgid: f"{UI_ES[msgid]} (policía: {digits})"})
    for output in outputs:
        assert _number_refused(errors, output), (output, errors)


def test_a_box_number_repeated_in_a_ui_string_is_refused(project):
    # the box shows 112 once: a second 112 in the skip link is counted, not let through as "a box number"
    errors = _errors(project, WITH_SECTION, {**UI_ES, "Skip to content": "Saltar al contenido (policía: 112)"})
    assert any("number '112' in the UI text" in m for m in errors), errors


def test_a_year_of_the_title_repeated_in_a_ui_string_is_refused(project):
    errors = _errors(project, LEGAL_IN_BODY, {**UI_ES, "All guides": "Todas las guías de 2026"})
    assert any("number '2026' in the UI text" in m for m in errors), errors


def test_a_number_in_the_translated_disclaimer_section_is_refused(project):
    text = next(d.text for d in project.registry.disclaimers)
    errors = _errors(project, WITH_SECTION, {**UI_ES, text: "Llame al 113 antes de cualquier tratamiento."})
    assert _number_refused(errors, "HTML") and _number_refused(errors, "Markdown"), errors


def _html(old: str, new: str):
    def alter(html, markdown, json_text):
        assert old in html
        return html.replace(old, new, 1), markdown, json_text
    return alter


@pytest.mark.parametrize("old, new", [
    ("Saltar al contenido", "Saltar al contenido 11<b>3</b>"),                  # split by an inline tag
    ("Saltar al contenido", "Saltar al contenido &#49;&#x31;3"),                # written as references
    ("Todas las guías", "Todas las guías 1<span>1</span>&#51;"),
    ('<nav class="languages"', '<nav title="Policía 113" class="languages"'),     # an attribute said aloud
    ('<header class="site">', '<header class="site"><img alt="Llame al 113" src="x.png">'),
    (">Español<", ">Español 113<"),                                               # the language menu
    ("Policía</span>", "Policía (113)</span>"),
])
def test_a_number_a_template_adds_around_the_body_is_refused(project, old, new):
    errors = _errors(project, WITH_SECTION, UI_ES, _html(old, new))
    assert _number_refused(errors, "HTML"), errors


def test_a_changed_date_is_refused_in_the_page_and_the_json(project):
    page = _errors(project, WITH_SECTION, UI_ES, _html(">15 de enero de 2026<", ">16 de enero de 2026<"))
    assert any("HTML: number '16' in the UI text" in m for m in page), page

    def json_date(html, markdown, json_text):
        return html, markdown, json_text.replace('"15 de enero de 2026"', '"15 de enero de 2027"')
    data = _errors(project, WITH_SECTION, UI_ES, json_date)
    assert any("JSON: number '2027' in the UI text" in m for m in data), data


# --- the language's index page: its own UI strings, its guides' dates ----------------------------------------------

def _summary(project, guide=LEGAL_IN_BODY):
    return build_edition(project.document(guide), "es", Translations(ui=UI_ES), project.registry,
                         project.templates_dir, ["en", "es"]).summary


def _index_errors(project, ui: dict, summaries: list[dict]) -> list[str]:
    builder = Builder(project)
    entries = {msgid: SimpleNamespace(msgstr=msgstr, translated=True) for msgid, msgstr in ui.items()}
    with mock.patch.object(Builder, "ui_translations", lambda self, lang, problems: entries):
        try:
            builder.index_page("es", summaries, [])
        except WorkflowError as refused:
            return [f"{p.message} [{p.check}]" for p in refused.problems]
    return []


def test_the_index_page_with_the_real_ui_strings_is_published(project):
    assert _index_errors(project, UI_ES, [_summary(project), _summary(project, WITH_SECTION)]) == []


@pytest.mark.parametrize("digits", DIGITS)
@pytest.mark.parametrize("msgid", ["Medical travel guides for Korea", "Skip to content", "Languages", "Police"])
def test_a_number_in_the_index_page_ui_is_refused(project, msgid, digits):
    # "Medical travel guides for Korea" is the index page's <title> and <h1>
    errors = _index_errors(project, {**UI_ES, msgid: f"{UI_ES[msgid]} {digits}"}, [_summary(project)])
    assert any("index page: HTML: number '113' in the UI text" in m for m in errors), errors


def test_a_guide_date_the_source_does_not_have_is_no_index_page(project):
    summary = {**_summary(project), "date": "3 de febrero de 2026"}   # the source's: 2 de febrero de 2026
    errors = _index_errors(project, UI_ES, [summary])
    assert any("index page: HTML: number '3' in the UI text" in m for m in errors), errors


def test_the_json_ui_fields_are_read():
    from workflow.editions.verify_front import json_around
    data = json.loads('{"date": "2 de febrero de 2026", "emergency": [{"label": "Policía"}, {"label": 7}, 3]}')
    assert json_around(data) == ["2 de febrero de 2026", "Policía"]
    assert json_around(None) == [] and json_around({"emergency": "x"}) == []
