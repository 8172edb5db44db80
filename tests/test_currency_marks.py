"""editions/currency_marks.py: a currency mark a translated segment shows that its source does not (by the
currencies it may name) is refused at check and by the verification; ordinary words are no marks."""
from __future__ import annotations

import pytest

from workflow.editions.currencies import units
from workflow.editions.currency_marks import extra_marks, loose_marks, marks
from workflow.editions.visible import markdown_text, numbers
from workflow.project import Project

from test_checks_redteam2 import REPO, _routes


@pytest.fixture(scope="module")
def knee():
    project = Project(REPO)
    doc = project.document("knee-osteoarthritis-stem-cells")
    return project, doc, {s.msgid: s for s in doc.segments}


HEADER = "Cost Range (USD)"  # a table header cell of the knee guide: the source names the prices' currency


def _marks(lang: str, text: str) -> list[str]:
    shown = markdown_text(text)
    return [m for m, _ in loose_marks(shown, lang, numbers(shown, units(lang)))]


@pytest.mark.parametrize("lang, msgstr", [("es", "Rango de costos (EUR)"), ("es", "Rango de costos (€)"),
                                           ("ja", "費用の範囲（円）"), ("es", "Rango de costos (USD, EUR)"),
                                           ("ru", "Диапазон цен (рублей)")])
def test_a_source_currency_swapped_for_another_is_refused(knee, lang, msgstr):
    errors, refused = _routes(knee, HEADER, msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


@pytest.mark.parametrize("lang, msgstr", [("es", "Rango de costos (USD)"), ("es", "Rango de costos (dólares)"),
                                           ("ja", "費用の範囲（米ドル）"), ("ja", "費用の範囲（ドル）"), ("zh_CN", "费用范围（美元）"),
                                           ("ko", "비용 범위(달러)"), ("es", "Rango de costos ($)"), ("es", "Rango de costos")])
def test_the_source_currency_in_the_language_is_published(knee, lang, msgstr):
    errors, refused = _routes(knee, HEADER, msgstr, lang)
    assert not errors and not refused, (lang, msgstr, errors, refused)


# ordinary words, and words that start like a currency word, are no marks; those words whole are
@pytest.mark.parametrize("lang, text", [("ru", "рубеж рубрика вон там"), ("he", "שקלול"), ("ja", "アイドル ハードル 紀元 地元"),
                                        ("ko", "엔진 위안을 불교 원하다 병원"), ("vi", "đến đi"), ("es", "su peso real, sol"),
                                        ("it", "lei è qui"), ("fr", "livres et balles"), ("en", "won the mark, all top pen"),
                                        ("zh_CN", "今日元旦"), ("de", "Rand, Mark, Pfund"), ("en", "U.S. A.B.C. i.e.")])
def test_ordinary_words_are_no_currency_marks(lang, text):
    assert _marks(lang, text) == [], (lang, text)


@pytest.mark.parametrize("lang, text, want", [("ru", "в руб. и у.е.", ["руб", "уе"]), ("he", "2026 שקלים", ["שקלים"]),
                                              ("es", "U.S.D. y ＄", ["USD", "$"]), ("ko", "달러로", ["달러"]),
                                              ("ja", "料金は米ドルで", ["米ドル"]), ("zh_CN", "以美元计", ["美元"]),
                                              ("es", "en Euros", ["Euros"]), ("es", "(\u0415UR)", ["EUR"]),   # Cyrillic Е
                                              ("es", "(E\u200bU**R**)", ["EUR"]), ("es", "(ＥＵＲ) &euro;", ["EUR", "€"])])
def test_currency_marks_are_found_wherever_they_stand(lang, text, want):
    assert _marks(lang, text) == want


def test_an_amounts_own_mark_is_not_counted_again():
    assert _marks("es", "5.000 US$ por sesión") == []
    assert _marks("es", "5.000 US$ (EUR)") == ["EUR"]


def test_each_source_mark_accounts_for_one_mark_of_its_currencies():
    es, en = marks("es"), marks("en")
    usd, eur, dollars = ("USD", en.named("USD")), ("EUR", es.named("EUR")), ("dólares", es.named("dólares"))
    assert extra_marks([dollars], [usd]) == []
    assert extra_marks([eur], [usd]) == ["EUR"]
    assert extra_marks([dollars, dollars], [usd]) == ["dólares"]
    assert extra_marks([dollars, ("USD", es.named("USD"))], [("$", en.named("$")), usd]) == []
