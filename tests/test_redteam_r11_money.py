"""Red team of round 11's money words (editions/currencies.py, currency_words.py): a hostile translator's
currency next to a source number or a {price}, and ordinary words next to a number. Found holes fixed here are
passing tests; holes left are strict xfails with the reason."""
from __future__ import annotations

import pytest

from workflow.editions import visible
from workflow.editions.currencies import units

from test_checks_redteam2 import PRICE, _routes, guide  # noqa: F401 (fixture)
from test_redteam_r10_money import YEAR


def _both_routes(guide, lang, msgid, msgstr, compiled_route):
    visible.choose_route(compiled_route)
    try:
        return _routes(guide, msgid, msgstr, lang)
    finally:
        visible.choose_route(True)


def _money(lang: str, text: str) -> list[str]:
    shown, unit = visible.normalize(text), units(lang)
    fast, plain = visible.numbers(shown, unit), visible._numbers_py(shown, unit)
    assert fast == plain, (lang, text, fast, plain)
    return [n.money for n in fast]


# Passed check and the build (published) before round 11's red team: the money word a reader of the language
# sees on every price tag, which neither CLDR's names (as Units read them) nor the supplement spelled
FIXED = [
    ("es", YEAR, "Precios estimados en Corea (2026 dolares)"),               # dólares typed without its accent
    ("es", PRICE, "**Antienvejecimiento:** {price} dolares por sesión."),
    ("id", YEAR, "Perkiraan harga di Korea (Rp 2026)"),                      # CLDR's own symbol, two Latin letters
    ("id", PRICE, "**Anti-penuaan:** Rp {price} per sesi."),
    ("tr", YEAR, "Kore'de tahmini fiyatlar (2026 dolar)"),                   # CLDR: "ABD doları" only
    ("tr", PRICE, "**Yaşlanma karşıtı:** {price} dolar seans başına."),
    ("tr", YEAR, "Kore'de tahmini fiyatlar (2026 LİRA)"),                    # İ lowers to i + U+0307
    ("tr", YEAR, "Kore'de tahmini fiyatlar (2026 TÜRK LİRASI)"),
    ("el", YEAR, "Τιμές στην Κορέα (2026 ΕΥΡΩ)"),                            # Greek capitals drop the tonos
    ("el", YEAR, "Τιμές στην Κορέα (2026 ΔΟΛΑΡΙΑ)"),
    ("el", PRICE, "**Αντιγήρανση:** {price} ΕΥΡΩ ανά συνεδρία."),
    ("ko", YEAR, "한국 예상 비용 (2026만원)"),                                 # 만 between the number and 원
    ("uk", YEAR, "Ціни в Кореї (2026 грн)"),
    ("he", YEAR, "מחירים בקוריאה (2026 ש״ח)"),
    ("vi", YEAR, "Giá ước tính tại Hàn Quốc (2026 VNĐ)"),
    ("hi", YEAR, "कोरिया में अनुमानित कीमतें (Rs 2026)"),
    ("ja", YEAR, "韓国の費用（2026人民元）"),                                  # CLDR: 中国人民元 only
    ("ja", YEAR, "韓国の費用（2026ウォン）"),                                  # CLDR: 韓国ウォン only
    ("fa", YEAR, "قیمت‌ها در کره (۲۰۲۶ تومان)"),                                # no ISO code: not in CLDR
]


@pytest.mark.parametrize("compiled_route", [True, False])
@pytest.mark.parametrize("lang, msgid, msgstr", FIXED)
def test_a_currency_word_of_the_language_is_refused_by_check_and_build(guide, lang, msgid, msgstr, compiled_route):
    errors, refused = _both_routes(guide, lang, msgid, msgstr, compiled_route)
    assert errors, (lang, msgstr)
    if "{price}" not in msgstr:  # a source number read as money: the edition is refused too
        assert refused, (lang, msgstr)


# Round 11's open gaps, through check and build before round 12: a currency mark (sign, code, dotted code, a word
# naming money only) a translated segment shows and its source does not is refused wherever it stands
# (editions/currency_marks.py): at check (`visible`, the segment) and by the edition's verification (the page)
MARKS_FIXED = [
    ("ru", YEAR, "Цены в Корее (2026 руб)"),                                 # whole word: not рубеж, рубрика
    ("uk", YEAR, "Ціни в Кореї (2026 гривень)"),                             # genitive plural after numbers
    ("he", YEAR, "מחירים בקוריאה (2026 שקלים)"),                             # whole word: not שקלול
    ("es", YEAR, "Precios estimados en Corea (2026 U.S.D.)"),                # dotted code
    ("es", PRICE, "**Antienvejecimiento:** {price} (EUR) por sesión."),      # parentheses between
    ("es", PRICE, "**Antienvejecimiento:** {price}/EUR por sesión."),        # a slash between
    ("ja", PRICE, "**アンチエイジング：** {price}（円）／回"),                    # full-width parentheses between
    # round 11's untested list: words between, slang, scripts' abbreviations, unspaced names
    ("es", PRICE, "**Antienvejecimiento:** {price} en euros por sesión."),
    ("es", PRICE, "**Antienvejecimiento:** en euros, {price} por sesión."),
    ("es", PRICE, "**Antienvejecimiento:** {price} por sesión.\n\nPrecios en EUR."),  # another line of the segment
    ("en_XA", PRICE, "**Anti-Aging:** {price} per session, about 20 bucks."),
    ("en_XA", PRICE, "**Anti-Aging:** {price} per session (quid)."),
    ("ru", YEAR, "Цены в Корее (2026 у.е.)"),
    ("ru", YEAR, "Цены в Корее (2026 баксов)"),
    ("ko", YEAR, "한국 예상 비용 (2026 엔)"),
    ("ko", YEAR, "한국 예상 비용 (2026 불)"),
    ("ko", PRICE, "**안티에이징:** {price} 달러로 1회."),                        # a particle after the word
    ("vi", YEAR, "Giá ước tính tại Hàn Quốc (2026đ)"),
    # hi "(2026 रु)": a hole again since round 13 (tests/test_redteam_r13_money.py: रु read as र refused उपचार)
    ("ja", YEAR, "韓国の費用（2026メキシコペソ）"),                               # no space
    ("ja", PRICE, "**アンチエイジング：** {price}、料金は米ドルで／回"),
    ("zh_CN", PRICE, "**抗衰老：** {price}，以美元计/次"),
]


@pytest.mark.parametrize("lang, msgid, msgstr", MARKS_FIXED)
def test_a_currency_mark_the_source_does_not_show_is_refused_by_check_and_build(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


# Left open: a currency word of a language with no entry in currency_words.FREE_WORDS, or one that is also an
# ordinary word (fr "balles" 'balls', "livres" 'books'; its unit reading next to a number is CLDR's and Units')
OPEN = [
    ("fr", YEAR, "Prix estimés en Corée (2026 balles)", "balles is also 'balls': no whole-word reading of it"),
]


@pytest.mark.parametrize("lang, msgid, msgstr, reason", OPEN)
def test_open_currency_gaps(guide, lang, msgid, msgstr, reason, request):
    request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors or refused, (lang, msgstr)


# False refusals of round 11: a country's name CLDR gives a fund with its unit in parentheses ("メキシコ (UDI)",
# "ボリビア (Mvdol)") read as a currency name once the parentheses were stripped; 元 (ja's CNY symbol) at the end
# of an ordinary Han word before a number (紀元 'era', 単元 'unit', 地元 'local')
@pytest.mark.parametrize("lang, text", [("ja", "メキシコ 2026"), ("ja", "ボリビア 2026"), ("ja", "エクアドル 5"),
                                        ("zh_CN", "墨西哥 2026"), ("zh_CN", "智利 2026"), ("ko", "멕시코 2026"),
                                        ("ko", "칠레 5"), ("ja", "紀元2026"), ("ja", "単元2"), ("ja", "地元2026")])
def test_a_country_or_an_ordinary_han_word_before_a_number_is_no_money(lang, text):
    assert not any(_money(lang, text)), (lang, text)


@pytest.mark.parametrize("lang, text", [("ja", "元2026"), ("ja", "（元2026）"), ("ja", "日本円2026"), ("ja", "米ドル2026"),
                                        ("ja", "香港ドル2026"), ("ja", "人民元2026"), ("zh_CN", "美元2026"),
                                        ("ja", "2026元"), ("ja", "メキシコ ペソ 2026"), ("ko", "2026억원")])
def test_a_currency_name_before_or_after_a_number_is_still_money(lang, text):
    assert any(_money(lang, text)), (lang, text)


def test_a_year_after_a_country_in_a_japanese_table_is_published(guide):
    # the page's text joins table cells with a space: the heading cell メキシコ before a year was money at build
    errors, refused = _routes(guide, YEAR, "メキシコ 2026年の韓国の費用", "ja")
    assert not errors and not refused, (errors, refused)


# "peso" is weight in es/pt/it: "Peso 70 kg" (a table row "| Peso | 70 kg |" is that text on the page) read as
# 70 pesos once unit words were read before a number; words that are ordinary words too are read after one only
# (currency_words.ORDINARY_BEFORE_A_NUMBER), and still are money there
@pytest.mark.parametrize("lang, text", [("es", "Peso 70 kg"), ("pt_BR", "Peso 70 kg"), ("it", "peso 70 kg"),
                                        ("es", "su peso 70 kg"), ("de", "Pfund 5 kg"), ("de", "Rand 5 mm"),
                                        ("en_XA", "won 3 awards"), ("es", "Libra 2 kg")])
def test_weight_before_a_number_is_no_money(lang, text):
    assert not any(_money(lang, text)), (lang, text)


@pytest.mark.parametrize("lang, text", [("es", "70 pesos"), ("es", "70 pesos mexicanos"), ("de", "5 Pfund"),
                                        ("es", "dólares 2026"), ("es", "euros 2026"), ("pt_BR", "5 reais")])
def test_those_words_after_a_number_and_others_before_it_are_still_money(lang, text):
    assert any(_money(lang, text)), (lang, text)


# every text tried, both routes the same (compiled _visible.c and _numbers_py)
TRIED = {
    "es": ["2026 yenes", "2026 dls", "2026 U$S", "2026 pesos", "su peso 70 kg", "real 5", "Corona 19", "2026 dolares"],
    "ru": ["2026 руб", "2026 у.е.", "2026 тыс. руб.", "фунтов 70", "вон 5", "2026 р."],
    "tr": ["2026 LİRA", "2026 DOLARI", "lira 5", "2026 kuruş", "2026 dolarlık"],
    "el": ["2026 ΕΥΡΩ", "2026 ΕΥΡΏ", "Ευρώπη 2026", "λίρα 5"],
    "ja": ["2026ｴﾝ", "2026万円", "元年", "2026セント"],
    "ko": ["2026불", "2026만원", "병원 2026", "원2026"],
    "vi": ["2026đ", "2026 đến 2030", "2026 VNĐ"],
    "hi": ["Rs. 2026", "2026 रु.", "2026 रुपये"],
}


@pytest.mark.parametrize("lang", sorted(TRIED))
def test_both_routes_read_every_text_tried_alike(lang):
    for text in TRIED[lang]:
        _money(lang, text)
