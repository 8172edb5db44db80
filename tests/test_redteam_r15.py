"""Red team of round 15: a hostile translator's ui.po and guide catalogs against the round's changes (the text
around the body read for numbers, the page written by editions/page.py, the JSON edition without json's Python
encoder, the memo of the check runner, the money words' new boundary, ordinary phrases, dotted abbreviations).

What holds is a passing test. Each hole is a strict xfail with the fix proposed in its reason, or was fixed (said
so at the test). How they were found: each attack run through the checks' plain route and the build's own
verification (test_checks_redteam2._routes; test_around_numbers._errors for ui.po), on main and on /work/base
(main before the round): "base refused it" marks a regression of the round."""
from __future__ import annotations

import enum
import json
import math

import pytest

from workflow.editions import edition as edition_module
from workflow.editions.edition import Translations, build_edition, edition_json
from workflow.model import ERROR

from test_around_numbers import UI_ES, WITH_SECTION, LEGAL_IN_BODY, _errors, project  # noqa: F401 (fixture)
from test_checks_redteam2 import AMBULANCE, PRICE, _catalog, _plain, _problems, _routes, guide  # noqa: F401
from test_money_word_boundary import ROUTES, _spans, spellings_with_a_joiner
from test_redteam_r10_money import YEAR

AMBULANCE_ES = "Ambulancia/Bomberos/Emergencias"
A = "Ambulance/Fire/Emergency"

# ui.po entries a hostile translator writes: the build's own verification refuses each (whatever checks are on)
UI_ATTACKS = {
    "labels swapped": {"Police": AMBULANCE_ES, A: "Policía"},
    "a box number in another service's label": {A: "Ambulancia (no el 112)"},
    "the date's day reused": {"Police": "Policía (15)"},
    "superscript digits": {"Police": "Policía ¹¹⁹"},
    "circled digits": {"Police": "Policía ①①⑨"},
    "mathematical bold digits": {"Police": "Policía 𝟏𝟏𝟗"},
    "Tamil digits": {"Police": "Policía ௧௧௯"},
    "Thai digits": {"Police": "Policía ๑๑๙"},
    "split by a zero-width space": {"Police": "Policía 1\u200b1\u200b9"},
    "split by a soft hyphen": {"Police": "Policía 1\u00ad19"},
    "split by a combining grapheme joiner": {"Police": "Policía 1\u034f19"},
    "split by a word joiner": {"Police": "Policía 1\u206019"},
    "split by U+2028": {"Police": "Policía\u2028119"},
    "markup in a label": {"Police": "Policía <b>119</b>"},
    "an empty label": {"Police": ""},
    "numbers in the box's heading": {"Emergency numbers in Korea": "Números de emergencia: Policía 119, Ambulancia 112"},
    "a number in the disclaimer's heading": {"Medical Disclaimer": "Aviso médico — llame al 112"},
    "a service in the menu's aria-label": {"Languages": "Idiomas (policía 1-1-9)"},
    "a number in a table's aria-label": {"Table": "Tabla 119"},
}


@pytest.mark.parametrize("guide_name", [WITH_SECTION, LEGAL_IN_BODY])
@pytest.mark.parametrize("name", sorted(UI_ATTACKS))
def test_a_hostile_ui_string_is_refused_by_the_builds_own_verification(project, name, guide_name):
    if "disclaimer" in name and guide_name == LEGAL_IN_BODY:
        pytest.skip("the body holds the disclaimer: the page shows no section, nor its heading")
    assert _errors(project, guide_name, {**UI_ES, **UI_ATTACKS[name]}), name


@pytest.mark.parametrize("lang, ui", [
    ("es", {"All guides": "Todas las guías en dólares"}), ("es", {"Skip to content": "Saltar (US$)"}),
    ("es", {"Languages": "Idiomas €"}), ("es", {"Table": "Tabla en euros"}), ("ja", {"All guides": "全ガイド（ドル）"}),
    ("da", {"All guides": "Alle guider t.kr."}),          # refused since ERA_ABBREVIATIONS (this round's fix)
    ("he", {"All guides": "כל המדריכים ׳ש״ח"}),           # refused since a leading joiner starts a word (fix)
])
def test_a_currency_in_a_ui_string_is_refused_by_the_builds_own_verification(project, lang, ui):
    errors = _errors(project, WITH_SECTION, {**(UI_ES if lang == "es" else {}), **ui}, lang=lang)
    assert any(error.endswith("[verify.price]") for error in errors), errors


# fixed in round 16 (verify_front.verify_around counts the services the text around the body names: none beyond
# the box's labels, the titles and the source's texts there; tests/test_around_names.py holds the class)
@pytest.mark.parametrize("heading", ["Números de emergencia (policía: ciento diecinueve)"])
def test_a_service_named_with_a_number_in_words_in_the_boxs_heading_is_refused(project, heading):
    assert _errors(project, WITH_SECTION, {**UI_ES, "Emergency numbers in Korea": heading})


# fixed in round 16: a run of numeral characters (Roman U+2160.., Suzhou, Ethiopic...) reads as its value (visible)
def test_a_service_named_with_a_number_in_roman_numerals_in_the_boxs_heading_is_refused(project):
    assert _errors(project, WITH_SECTION, {**UI_ES, "Emergency numbers in Korea": "Números de emergencia (policía: ⅭⅩⅨ)"})


def test_an_emergency_number_in_roman_numeral_characters_is_refused(guide):
    errors, refused = _routes(guide, AMBULANCE, f"**{AMBULANCE_ES}:** {{ambulance}} (o ⅭⅩⅡ)")
    assert errors or refused


# money written where the source shows none: refused by the checks or by the verification
MONEY_HELD = [
    ("ja", PRICE, "**アンチエイジング:** 1回{price}、フランスフラン"),        # an ordinary phrase then the franc
    ("ja", PRICE, "**アンチエイジング:** 1回{price}、マインフランク語で100フラン"),
    ("ja", YEAR, "韓国の幹細胞治療の推定価格 (2026フランス)"),               # the phrase after an amount: money
    ("ja", YEAR, "韓国の幹細胞治療の推定価格 (2026ウォンバット)"),
    ("ja", YEAR, "韓国の幹細胞治療の推定価格 (2026ユーロ圏)"),
    ("ko", YEAR, "한국 줄기세포 치료 예상 가격 (2026유로존)"),
    ("zh_CN", YEAR, "韩国干细胞治疗估计价格 (2026欧元区)"),
    ("zh_CN", YEAR, "韩国干细胞治疗估计价格 (2026卢布尔雅那)"),
    ("da", YEAR, "Anslåede priser i Korea (2026 kr.)"),
    ("es", YEAR, "Precios estimados en Corea (2026 x.EUR.)"),
    ("hu", YEAR, "Becsült árak Koreában (2026 európa)"),                  # the stem exception hides no amount
    ("ru", YEAR, "Ориентировочные цены в Корее (2026 еврики)"),
    ("es", YEAR, "Precios estimados en Corea (2026 \u0301euros)"),         # a combining mark after a space
    ("es", YEAR, "Precios estimados en Corea (2026\u0301 euros)"),
    ("he", YEAR, "מחירים משוערים בקוריאה (2026 ש״ח׳)"),
    ("es", YEAR, "Precios estimados en Corea (HK$2026)"),
    ("es", YEAR, "Precios estimados en Corea (2026 $US)"),
    ("es", YEAR, "Precios estimados en Corea (R$ 2026)"),
    ("es", YEAR, "Precios estimados en Corea (CN¥2026)"),
    # fixed here (currency_names.ERA_ABBREVIATIONS): round 15 took any one letter, a dot, a spelling of three
    # letters or fewer and a dot for a dotted abbreviation (f.Kr.), so real amounts' abbreviations were published
    # (base refused each): t.kr. (tusind kroner), т.руб. (тысяч рублей), х.лв. (хиляди лева), and any code
    ("da", YEAR, "Anslåede priser i Korea (2026 t.kr.)"),
    ("nb", YEAR, "Anslåtte priser i Korea (2026 t.kr.)"),
    ("ru", YEAR, "Ориентировочные цены в Корее (2026 т.руб.)"),
    ("bg", YEAR, "Приблизителни цени в Корея (2026 х.лв.)"),
    ("en", YEAR, "Estimated Pricing in Korea (2026 a.usd.)"),
    ("es", YEAR, "Precios estimados en Corea (2026 a.eur.)"),
]


@pytest.mark.parametrize("lang, msgid, msgstr", MONEY_HELD, ids=[f"{m[0]}:{m[2][-16:]}" for m in MONEY_HELD])
def test_money_written_by_a_translation_is_refused(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors or refused, msgstr


@pytest.mark.parametrize("lang, msgstr", [("da", "Anslåede priser i Korea (år 2026 e.Kr.)"),
                                          ("sv", "Uppskattade priser i Korea (år 2026 e.Kr.)")])
def test_an_era_after_the_year_is_no_money(guide, lang, msgstr):
    errors, refused = _routes(guide, YEAR, msgstr, lang)
    assert not errors and not refused, (errors, refused)


# fixed here (currency_names.before_is_word, _visible.c's word start alike): round 15 took a joiner (a combining
# mark, the geresh) after a space or a digit for the inside of a word, so a money word glued after one read no
# mark (base refused each): a joiner continues a word only after a letter
@pytest.mark.parametrize("lang, msgstr", [("he", "מחירים משוערים בקוריאה (2026 ׳ש״ח)"),
                                          ("he", "מחירים משוערים בקוריאה (2026 ׳׳שקלים)"),
                                          ("hi", "कोरिया में अनुमानित कीमतें (2026 ािरुपये)"),
                                          ("es", "Precios estimados en Corea (2026 ׳dólares)"),   # any language
                                          ("es", "Precios estimados en Corea (2026 ׳euros)")])
def test_a_money_word_after_a_leading_joiner_is_refused(guide, lang, msgstr):
    errors, refused = _routes(guide, YEAR, msgstr, lang)
    assert errors or refused


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("lang", ["he", "hi", "en", "ru"])
def test_a_joiner_after_no_letter_starts_a_word_on_both_routes(lang, route):
    for spelling, joiner in spellings_with_a_joiner(lang, "leading joiner"):
        for before in ("x ", "5", "("):
            text = f"{before}{joiner}{spelling} x"
            assert len(before) + 1 in _spans(lang, text, route)[::2], (lang, text, route)
        assert 3 not in _spans(lang, f"xก{joiner}{spelling} x", route)[::2], (lang, spelling, route)


# a regression of round 15 (base refused it), fixed by the lead: a geresh or gershayim goes on with a word only
# before a letter (פייג׳ין); at a word's end it is the abbreviation mark, no letter of it
def test_a_money_word_before_a_trailing_geresh_is_refused(guide):
    errors, refused = _routes(guide, YEAR, "מחירים משוערים בקוריאה (2026 שקלים׳)", "he")
    assert errors or refused


# fixed in round 16: he שקל (the singular shekel; also 'weighed') is money after a number only (currency_words)
def test_the_singular_shekel_after_an_amount_is_refused(guide):
    errors, refused = _routes(guide, YEAR, "מחירים משוערים בקוריאה (2026 שקל)", "he")
    assert errors or refused


@pytest.fixture(scope="module")
def knee(project):   # its table's header "Cost Range (USD)": the one currency the source names in words
    doc = project.document(WITH_SECTION)
    return project, doc, {s.msgid: s for s in doc.segments}


@pytest.mark.parametrize("lang, msgstr", [
    ("es", "Rango de costos (HK$)"),              # a hole of base: round 15's lettered symbols (HKD only)
    ("es", "Rango de costos (R$)"), ("es", "Rango de costos (CN¥)"), ("es", "Rango de costos (CA$)"),
    ("es", "Rango de costos (HKD)"), ("es", "Rango de costos (dólares canadienses)"), ("es", "Rango de costos (euros)"),
    ("fr", "Fourchette de coûts (dollars de Hong Kong)"), ("de", "Kostenspanne (Hongkong-Dollar)"),
    ("ja", "費用の範囲（香港ドル）"), ("zh_CN", "费用范围（港元）"), ("ko", "비용 범위(홍콩 달러)"),
])
def test_another_currency_for_the_sources_usd_is_refused(knee, lang, msgstr):
    errors, refused = _routes(knee, "Cost Range (USD)", msgstr, lang)
    assert errors or refused


# round 16: "dólares de Hong Kong" is read as CLDR's "dólares hongkoneses" (a currency noun, "of" and a place: that
# place's currencies, currency_names.qualified_name; tests/test_money_of_a_place.py holds the class). Left: es "pesos"
# alone (currency_words.ORDINARY: peso 'weight', 'levantar pesos'), no mark on its own anywhere; a data choice
@pytest.mark.parametrize("msgstr", [
    pytest.param("Rango de costos (pesos)", marks=pytest.mark.xfail(strict=True, reason=(
        "pre-existing (base too), a data choice for the lead: es pesos is also 'weights' (currency_words.ORDINARY), "
        "no mark on its own; money next to a number only. Proposed: an ordinary money noun that is a whole "
        "parenthetical ('(pesos)', a unit as in 'Cost (USD)') is a mark of its currencies"))),
    "Rango de costos (dólares de Hong Kong)"])
def test_a_spanish_name_of_another_dollar_or_peso_for_the_sources_usd_is_refused(knee, msgstr):
    errors, refused = _routes(knee, "Cost Range (USD)", msgstr, "es")
    assert errors or refused


def test_the_runners_memo_checks_each_entry_sharing_a_msgstr_as_the_plain_route(guide):
    """Entries with one msgstr and other msgids (other placeholders and numbers), fuzzy or not, in one catalog
    and across catalogs of one memo: each gets the plain route's findings (runner's memo of the last msgstr)."""
    project, doc, sources = guide
    shared = "**Antienvejecimiento:** {price} por sesión."
    pairs = [(PRICE, shared), (AMBULANCE, shared), (PRICE, shared), (AMBULANCE, shared)]
    catalog = _catalog(pairs)
    memo: dict = {}
    for other in (_catalog(pairs[::-1], "other.po"), _catalog(pairs, "fuzzy.po", fuzzy=True)):
        _problems(other, sources, project, memo)
    fast = _problems(catalog, sources, project, memo)
    assert fast == _plain(catalog, sources, project)
    assert [p["line"] for p in fast if p["severity"] == ERROR and p["line"] in (3, 5)], fast   # AMBULANCE's


class _Level(enum.IntEnum):
    ONE = 1


class _Text(str):
    pass


@pytest.mark.parametrize("value", [
    "\x00\x1f\x7f\u2028\u2029\ud800\udfff\ufeff\"\\/", _Text("sub"), {_Text("k"): 1}, {1: "x"}, {"b": 1, "a": [{}]},
    math.nan, math.inf, -0.0, 1e16, 2 ** 70, _Level.ONE, True, (1, 2), [None, False, 1.5], {"": ""}, "\U0001f600",
])
def test_edition_json_is_json_dumps_on_hostile_values(value):
    data = {"title": value, "emergency": [{"label": value, "number": "119"}]}
    assert edition_json(data) == json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


@pytest.mark.parametrize("hostile", ['" onmouseover="alert(1)', "<script>119</script>", "&amp; &#49;&#49;&#57;",
                                     "\u2028\u2029\u0085", "'\"<>&" * 5000, "Policía\x00\x0b"])
def test_the_written_page_is_jinjas_page_on_hostile_ui_strings(project, monkeypatch, hostile):
    """Every UI string the page prints (menus, box heading, labels, notices) hostile: the page writer's bytes are
    Jinja's, and the edition's verification gives the same problems either way (a label with punctuation added,
"Policía '\"<>&", is its vetted name: a reader sees the same service)."""
    ui = {msgid: f"{text} {hostile}" for msgid, text in UI_ES.items()}
    doc = project.document(WITH_SECTION)

    def built():
        return build_edition(doc, "es", Translations(ui=ui), project.registry, project.templates_dir, ["en", "es"])
    written = built()
    monkeypatch.setattr(edition_module, "page_writer_fits", lambda templates_dir: False)
    rendered = built()
    assert written.files == rendered.files
    assert [str(p) for p in written.problems] == [str(p) for p in rendered.problems]
