"""Red team of round 13's speed-ups and the title verification. What held: the compiled routes (_visible's
mark_spots, _mdroute's .md route decision, _pagetext's unescape_known and find_char) decided as their Python
references on differential fuzzing (every code point beside '*' and '_', astral and 2-byte texts, entities);
codec.decode raised only ValueError on mutated and deeply nested entries (and a planted entry is unsealed
first); render's inline fast path rendered 60,000 generated inline texts as round 12's did; a title or excerpt
that shows a currency mark, a changed number or a service beside a number is refused by the build alone.

The holes are in the UI text around the body: the verification read it for numbers (.md) and the emergency
box, never for currency marks, so with the catalog checks off only the check gate stood between a hostile
ui.po and the published page."""
from __future__ import annotations

import re

import pytest


GUIDE = "knee-osteoarthritis-stem-cells"
UI = "locales/es/LC_MESSAGES/ui.po"
TITLE_PO = "locales/es/LC_MESSAGES/korean-stem-cell-therapy-2026.po"
TITLE = '"Terapia con células madre en Corea: antienvejecimiento y salud articular "\n"2026"'


def _edit(project, path: str, old: str, new: str) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _checks_off(project) -> None:
    """The catalog checks that read numbers, currencies and services turned off (workflow.yaml's checks.disable):
    the build's own verification is then all that reads the editions."""
    _edit(project, "workflow.yaml", "disable: []", "disable: [visible, services, facts, numbers]")


def _build(run_cli, project, command: str = "build") -> str:
    code, out, err = run_cli(project, command, "--lang", "es", "--jobs", "1")
    return out + err


def _refused(output: str, guide: str) -> bool:
    return bool(re.search(rf"{guide}\.md:\d+: error: \[es\] .*\[verify\.", output))


# --- what holds ----------------------------------------------------------------------------------------------

def test_a_hostile_ui_entry_is_refused_by_the_check_gate(es_project, run_cli):
    """UI strings are read by the build's check gate: a currency or 112 and a service's name in ui.po refuses
    every es edition (readers get the English stand-in)."""
    _edit(es_project, UI, 'msgstr "Saltar al contenido"', 'msgstr "Saltar al contenido (precios en EUR)"')
    _edit(es_project, UI, 'msgstr "Idiomas"', 'msgstr "Idiomas — policía: 112"')
    output = _build(run_cli, es_project)
    assert "[gate.check]" in output and "every es edition refused" in output


@pytest.mark.parametrize("title, check", [
    ("Terapia con células madre en Corea (precios en EUR): 2026", "verify.price"),
    ("Terapia con células madre en Corea 2026: policía 119", "verify.services"),
    ("Terapia con células madre en Corea 2029", "verify.value"),
])
def test_a_hostile_title_is_refused_by_the_build_alone(es_project, run_cli, title, check):
    _checks_off(es_project)
    _edit(es_project, TITLE_PO, TITLE, f'"{title}"')
    output = _build(run_cli, es_project)
    assert re.search(rf"korean-stem-cell-therapy-2026\.md:\d+: error: \[es\] title in HTML <title>.*\[{check}\]",
                     output)


# --- holes ---------------------------------------------------------------------------------------------------


def test_a_currency_in_the_disclaimer_heading_is_refused_by_the_build_alone(es_project, run_cli):
    """The disclaimer's heading (ui.po) is shown after the body in the page and in the .md ("appendix"): the
    verification read the appendix for numbers only and the page around the body for the emergency box only,
    so "Aviso médico: precios en EUR y US$" was published in every es edition when the checks were off.
    Fix: the verification reads the text around the body (the page's, less the title it verifies on its own;
    the .md's appendix) for currency marks: the source language's UI shows none."""
    _checks_off(es_project)
    _edit(es_project, UI, 'msgstr "Aviso médico"', 'msgstr "Aviso médico: precios en EUR y US$"')
    output = _build(run_cli, es_project)
    assert _refused(output, GUIDE) and "verify.price" in output



def test_a_currency_in_a_ui_string_of_the_page_is_refused_by_the_build_alone(es_project, run_cli):
    """A UI string the page alone shows ("Skip to content"): no .md holds it, and the page around the body was
    read for the emergency box only. Fix: as above, the page's text around the body read for currency marks."""
    _checks_off(es_project)
    _edit(es_project, UI, 'msgstr "Saltar al contenido"', 'msgstr "Saltar al contenido (precios en EUR)"')
    output = _build(run_cli, es_project)
    assert _refused(output, GUIDE) and "verify.price" in output


def test_a_currency_in_the_index_page_ui_is_refused_by_the_build_alone(es_project, run_cli):
    """The index page's own UI strings (its heading, "All guides") were read by the check gate only: with the
    checks off, "Guías de viaje médico para Corea (precios en EUR)" was published. Fix: the index page's text
    read for currency marks beyond those of the titles and excerpts it shows (verified on their own)."""
    _checks_off(es_project)
    _edit(es_project, UI, 'msgstr "Guías de viaje médico para Corea"',
          'msgstr "Guías de viaje médico para Corea (precios en EUR)"')
    output = _build(run_cli, es_project, "publish")   # the index page is made by publish
    assert re.search(r"templates/index\.html:\d+: error: \[es\] .*\[verify\.price\]", output)


def test_a_changed_emergency_number_in_a_ui_string_is_refused_by_the_build_alone(es_project, run_cli):
    """The emergency box's heading and the skip link (ui.po) are shown on every page, around the body: with the
    catalog checks off, "Números de emergencia en Corea (policía: 113)" and "Saltar al contenido: ambulancia
    118" are published on every es page and the index page (the .md's appendix is read for numbers, the page
    around the body is not). Fixed (round 15): the page's text around the body read as the .md's appendix is, its
    numbers accounted for by the box's registry numbers, the titles shown (verified on their own) and the date
    (the source's, as the locale writes it); anything else there is refused (verify_front.verify_around, beside
    the currency marks; tests/test_around_numbers.py holds the class)."""
    _checks_off(es_project)
    _edit(es_project, UI, 'msgstr "Números de emergencia en Corea"',
          'msgstr "Números de emergencia en Corea (policía: 113)"')
    output = _build(run_cli, es_project)
    assert _refused(output, GUIDE) and "113" in output
