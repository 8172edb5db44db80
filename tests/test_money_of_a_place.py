"""A currency noun that names several currencies (dólares: every dollar), followed by "of" and a place, names that
place's currencies only, as a reader takes it (round 16): es "dólares de Hong Kong" is CLDR's "dólares hongkoneses"
(HKD), so it is no translation of the source's USD; "dólares de Estados Unidos" or "de Ecuador" (which pays in
USD) still is. Places: CLDR's territory names in the language and English and the time-zone database's cities,
read without their spaces and hyphens (Hongkong, Hong-Kong). And he שקל, the singular shekel ('weighed' before a
number), is money after one. Each refusal here was published by main."""
from __future__ import annotations

import pytest

from workflow.editions import visible
from workflow.editions.currency_marks import loose_marks
from workflow.editions.visible import normalize

from test_checks_redteam2 import _routes
from test_redteam_r10_money import YEAR
from test_redteam_r15 import guide, knee, project  # noqa: F401 (fixtures)

USD_HEADER = "Cost Range (USD)"


@pytest.mark.parametrize("lang, msgstr", [
    ("es", "Rango de costos (dólares de Hong Kong)"), ("es", "Rango de costos (dólares de Hongkong)"),
    ("es", "Rango de costos (DÓLARES DE HONG-KONG)"), ("es", "Rango de costos (dólares de Singapur)"),
    ("es", "Rango de costos (dólares del Canadá)"), ("es", "Rango de costos (dólar de Taiwán)"),
    ("es", "Rango de costos (dólares de Nueva Zelanda)"), ("pt", "Faixa de custos (dólares de Hong Kong)"),
    ("pt", "Faixa de custos (dólares da Austrália)"), ("it", "Fascia di costo (dollari di Singapore)"),
    ("fr", "Fourchette de coûts (dollars d'Australie)"), ("ca", "Rang de costos (dòlars de Hong Kong)"),
])
def test_a_dollar_of_another_place_for_the_sources_usd_is_refused(knee, lang, msgstr):
    errors, refused = _routes(knee, USD_HEADER, msgstr, lang)
    assert errors and refused, msgstr


@pytest.mark.parametrize("lang, msgstr", [
    ("es", "Rango de costos (dólares de Estados Unidos)"), ("es", "Rango de costos (dólares de los Estados Unidos)"),
    ("es", "Rango de costos (dólares de Ecuador)"),   # Ecuador pays in US dollars
    ("es", "Rango de costos (dólares)"), ("es", "Rango de costos (dólares de hoy)"),   # no place: every dollar
])
def test_the_sources_dollar_so_written_is_published(knee, lang, msgstr):
    errors, refused = _routes(knee, USD_HEADER, msgstr, lang)
    assert not errors and not refused, (errors, refused)


@pytest.mark.parametrize("route", [True, False])
def test_both_routes_read_the_place(route):
    visible.choose_route(route)
    try:
        assert [(m, sorted(c)) for m, c in loose_marks(normalize("Precio (dólares de Hong Kong) y más"), "es", None)] \
            == [("dólares de hong kong", ["HKD"])]
    finally:
        visible.choose_route(True)


@pytest.mark.parametrize("msgstr", ["מחירים משוערים בקוריאה (2026 שקל)", "מחירים משוערים בקוריאה (2026 שקל.)"])
def test_the_singular_shekel_after_a_number_is_refused(guide, msgstr):
    errors, refused = _routes(guide, YEAR, msgstr, "he")
    assert errors or refused


def test_the_verb_weighed_before_a_number_is_no_money():
    from workflow.editions.currencies import units
    from workflow.editions.visible import numbers
    assert [n.money for n in numbers(normalize("הוא שקל 70 קילו"), units("he"))] == [""]
