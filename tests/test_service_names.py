"""The name next to an emergency number: a translation cannot put a number under another service's name
(source/facts.yaml's vetted names per language; checks/services.py at `check`, editions/services.py in the
verification of every format). Each attack here passed `check` and the build before the mechanism."""
from __future__ import annotations

import json

import pytest

from workflow.editions.edition import Translations, build_edition
from workflow.model import ERROR

from test_checks_redteam2 import AMBULANCE, _catalog, _plain, _problems, _routes, guide  # noqa: F401 (fixture)

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
