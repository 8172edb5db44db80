"""Red team of round 12's currency marks (editions/currency_marks.py, currency_words.FREE_WORDS): a hostile msgstr
naming a currency its source does not show, through `check` and the build's verification (test_checks_redteam2's
_routes), and ordinary text a real translator writes that the rule now refuses. Holes and false refusals are
strict xfails, each with the fix proposed; what held is passing tests. Round 13 closed the holes and false
refusals of words at their root (CLDR's words of each language, stems, proclitics, skeletons of lookalike letters,
emoji): passing tests now, with cases of the same classes no list names; what is left is a strict xfail.

Measured: `check` of the project (locales/: ar en_XA es ja zh_CN) and of the 30-guide corpus /tmp/c30 (de en_XA
fr it ko nl pl pt_BR ru tr): no currency-mark error in either, so every false refusal below is a text tried."""
from __future__ import annotations

import pytest

from workflow.editions.currency_marks import loose_marks
from workflow.editions.visible import markdown_text

from test_checks_redteam2 import PRICE, _routes, guide  # noqa: F401 (fixture)
from test_redteam_r10_money import YEAR

P, Y = PRICE, YEAR  # {price} and the segment's text around it; a source year a translation may make money


# --- held: refused by check and by the build ------------------------------------------------------------------
HELD = [
    ("es", P, "**Antienvejecimiento:** {price} por sesión (ＥＵＲ)."),          # full-width (NFKC)
    ("es", P, "**Antienvejecimiento:** {price} por sesión (𝐄𝐔𝐑)."),          # mathematical bold
    ("es", P, "**Antienvejecimiento:** {price} por sesión (ЕUR)."),           # Cyrillic capital Е
    ("es", P, "**Antienvejecimiento:** {price} por sesión (ΕUR)."),           # Greek capital Epsilon
    ("es", P, "**Antienvejecimiento:** {price} por sesión (EU&#82;)."),       # an entity
    ("es", P, "**Antienvejecimiento:** {price} por sesión (eu\u200bros)."),   # zero-width space inside
    ("es", P, "**Antienvejecimiento:** {price} por sesión (eu\u00adros)."),   # soft hyphen inside
    ("es", P, "**Antienvejecimiento:** {price} por sesión (eu\u034fros)."),   # combining grapheme joiner
    ("es", P, "**Antienvejecimiento:** {price} por sesión (E.U.R.)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (ᵁˢᴰ)."),           # modifier letters
    ("es", P, "**Antienvejecimiento:** {price} por sesión (Ⓔⓤⓡⓞⓢ)."),        # circled letters
    ("es", P, "**Antienvejecimiento:** {price} por sesión [EUR]."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión «EUR»."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (Eur)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (EUROS)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (₿)."),
    ("he", P, "**נגד הזדקנות:** {price} לטיפול (₪)."),
    ("ru", P, "**Антивозрастная терапия:** {price} за сеанс (в рублях)."),
    ("ko", P, "**안티에이징:** {price} 1회 (달러로)"),
    ("ja", P, "**アンチエイジング：** {price}／回（ユーロ建て）"),
    ("ja", P, "**アンチエイジング：** {price}／回（㌦）"),                         # SQUARE DORU: NFKC ドル
    ("zh_CN", P, "**抗衰老：** {price}/次（人民币）"),
    ("tr", P, "**Yaşlanma karşıtı:** {price} seans başına (TL)."),
    ("el", P, "**Αντιγήρανση:** {price} ανά συνεδρία (€)."),
    ("ja", P, "**アンチエイジング：** {price}／回（ﾄﾞﾙ）"),                        # half-width kana and voiced mark
    ("es", P, "**Antienvejecimiento:** {price} por sesión (ՍSD)."),           # Armenian capital Ս
    ("es", P, "**Antienvejecimiento:** {price} por sesión (US\u216e)."),      # Roman numeral Ⅾ (NFKC D)
    ("es", P, "**Antienvejecimiento:** {price} por sesión (€uros)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (moneda: EUR)."),
]


@pytest.mark.parametrize("lang, msgid, msgstr", HELD)
def test_held_a_currency_mark_the_source_does_not_show_is_refused(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


def test_held_a_bidi_override_spelling_a_code_is_refused_by_the_build(guide):
    # "E‮RU‬" shows EUR; check reports nothing for it (no currency, no bidi finding), the build refuses the control
    errors, refused = _routes(guide, P, "**Antienvejecimiento:** {price} por sesión (E\u202eRU\u202c).", "es")
    assert any("bidi" in r for r in refused), refused


# Fixed by the lead after the red team: a cased letter glued to a price on its sign's side spells another currency's
# symbol (R + $5,000 = R$5,000 reais, HK$, NZ$, NT$): currencies.glued_letter, asked by check (_currency_touching)
# and by the verification (_doubly_marked) at every amount with its own mark
GLUED = [
    ("en_XA", P, "**Anti-Aging (Facial Rejuvenation/Hair Restoration):** R{price} per session."),
    ("en_XA", P, "**Anti-Aging (Facial Rejuvenation/Hair Restoration):** HK{price} per session."),
    ("en_XA", P, "**Anti-Aging (Facial Rejuvenation/Hair Restoration):** NZ{price} per session."),
    ("ja", P, "**アンチエイジング：** HK{price}／回"),
    ("ja", P, "**アンチエイジング：** NT{price}／回"),
    ("es", P, "**Antienvejecimiento:** {price}X por sesión."),        # the same after an amount ending in a sign
]


@pytest.mark.parametrize("lang, msgid, msgstr", GLUED)
def test_a_letter_glued_to_a_price_s_sign_is_refused_by_check_and_build(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


@pytest.mark.parametrize("lang, msgid, msgstr", [
    ("ja", P, "**アンチエイジング：** 料金は{price}／回"),                # a script without case writes words against amounts
    ("es", P, "**Antienvejecimiento:** desde {price} por sesión."),
])
def test_a_word_before_a_price_is_no_symbol(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert not errors and not refused, (lang, msgstr, errors, refused)


# --- holes of the red team, closed in round 13 at their root (currency_marks.cldr_words: each language's CLDR
# names, plurals, letter symbols and shared nouns; stems; proclitics; Persian letter forms and tatweel; katakana
# runs; lookalike letters read by their skeleton; money emoji): a currency a reader sees, refused by check and build
CLOSED = [
    ("es", P, "**Antienvejecimiento:** {price} por sesión (₨)."),                    # NFKC: Rs
    ("es", Y, "Precios estimados en Corea (2026 ₨)"),                               # a source year made rupees
    ("ar", P, "**مكافحة الشيخوخة:** {price} لكل جلسة (﷼)."),                        # NFKC: ریال, Persian yeh
    ("fa", P, "**ضد پیری:** {price} برای هر جلسه (﷼)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (💶)."),                   # money emoji
    ("es", P, "**Antienvejecimiento:** 💲{price} por sesión."),
    ("es", Y, "Precios estimados en Corea (💲2026)"),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (еuros)."),                # lookalike letters in a word
    ("es", P, "**Antienvejecimiento:** {price} por sesión (Еuros)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (dоlares)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (uѕd)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (ᴇᴜʀ)."),                  # small capitals
    ("es", P, "**Antienvejecimiento:** {price} por sesión (ЕUROS)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (JP\u04ae)."),             # Cyrillic Ү (UTS #39)
    ("pt_BR", P, "**Antienvelhecimento:** {price} por sessão (em dólares)."),       # CLDR words of the language
    ("it", P, "**Antinvecchiamento:** {price} per sessione (in dollari)."),
    ("fr", P, "**Anti-âge :** {price} par séance (en yens)."),
    ("de", P, "**Anti-Aging:** {price} pro Sitzung (in Rubel)."),
    ("de", P, "**Anti-Aging:** {price} pro Sitzung (in Franken)."),
    ("pl", P, "**Przeciwstarzeniowe:** {price} za sesję (w dolarach)."),
    ("el", P, "**Αντιγήρανση:** {price} ανά συνεδρία (σε ευρώ)."),
    ("el", P, "**Αντιγήρανση:** {price} ανά συνεδρία (σε δολάρια)."),
    ("id", P, "**Anti-penuaan:** {price} per sesi (dalam dolar)."),
    ("fa", P, "**ضد پیری:** {price} برای هر جلسه (به دلار)."),
    ("fa", P, "**ضد پیری:** {price} برای هر جلسه (به تومان)."),
    ("fa", P, "**ضد پیری:** {price} برای هر جلسه (به یورو)."),
    ("tr", P, "**Yaşlanma karşıtı:** {price} seans başına (avro)."),
    ("hi", P, "**एंटी-एजिंग:** {price} प्रति सत्र (यूरो)."),
    ("vi", P, "**Chống lão hóa:** {price} mỗi buổi (đô la Mỹ)."),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (dls)."),                  # Mexican abbreviation
    ("hi", P, "**एंटी-एजिंग:** {price} प्रति सत्र (Rs)."),
    ("en_XA", P, "**Anti-Aging:** {price} per session (greenbacks)."),
    ("ru", P, "**Антивозрастная терапия:** {price} за сеанс (оплата рублями)."),   # stems
    ("ru", P, "**Антивозрастная терапия:** {price} за сеанс (рубли)."),
    ("ru", P, "**Антивозрастная терапия:** {price} за сеанс (долларами)."),
    ("uk", P, "**Антивікова терапія:** {price} за сеанс (у доларах)."),
    ("uk", P, "**Антивікова терапія:** {price} за сеанс (гривнею)."),
    ("tr", P, "**Yaşlanma karşıtı:** {price} seans başına (dolarla)."),
    ("ar", P, "**مكافحة الشيخوخة:** {price} لكل جلسة (دولارًا)."),
    ("ar", P, "**مكافحة الشيخوخة:** {price} لكل جلسة (يـــورو)."),                  # tatweel
    ("ar", P, "**مكافحة الشيخوخة:** {price} لكل جلسة (بالدولار)."),                 # proclitics
    ("ar", P, "**مكافحة الشيخوخة:** {price} لكل جلسة (الدولار الأمريكي)."),
    ("he", P, "**נגד הזדקנות:** {price} לטיפול (בשקלים)."),
    ("he", P, "**נגד הזדקנות:** {price} לטיפול (בדולרים)."),
    ("he", P, "**נגד הזדקנות:** {price} לטיפול (ש״ח)."),
    ("ja", P, "**アンチエイジング：** {price}／回（ドル建て）"),                         # a katakana run whole
    ("ja", P, "**アンチエイジング：** {price}／回（円建て）"),
    ("ja", P, "**アンチエイジング：** {price}／回、料金はドルで"),
    ("ja", P, "**アンチエイジング：** {price}／回（㍐）"),                              # NFKC: ユアン
    ("zh_CN", P, "**抗衰老：** {price}/次（美金）"),                                     # colloquial names
    ("zh_CN", P, "**抗衰老：** {price}/次（韩币）"),
    ("zh_CN", P, "**抗衰老：** {price}/次（港币）"),
    ("zh_CN", P, "**抗衰老：** {price}/次（新台币）"),
    ("zh_CN", P, "**抗衰老：** {price}/次（泰铢）"),
    ("pl", P, "**Przeciwstarzeniowe:** {price} za sesję (w zł)."),                  # CLDR's letter symbols
    ("id", P, "**Anti-penuaan:** {price} per sesi (dalam Rp)."),
    ("ar", P, "**مكافحة الشيخوخة:** {price} لكل جلسة (ر.س)."),
]


@pytest.mark.parametrize("lang, msgid, msgstr", CLOSED)
def test_closed_a_currency_mark_the_source_does_not_show_is_refused(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


# the same classes in languages and forms no list names: the mechanisms hold, not a list
BEYOND_THE_LISTS = [
    ("sv", P, "**Anti-age:** {price} per behandling (i kronor)."),                 # CLDR sv: a shared noun
    ("da", P, "**Anti-age:** {price} pr. behandling (i kroner)."),
    ("ro", P, "**Anti-îmbătrânire:** {price} pe ședință (în dolari)."),
    ("sw", P, "**Kupambana na uzee:** {price} kwa kipindi (kwa dola)."),
    ("cs", P, "**Proti stárnutí:** {price} za sezení (v Kč)."),                     # CLDR cs letter symbol
    ("nl", P, "**Anti-aging:** {price} per sessie (in roebel)."),
    ("de", P, "**Anti-Aging:** {price} pro Sitzung (in Еuro)."),                    # Cyrillic Е, German word
    ("ru", P, "**Антивозрастная терапия:** {price} за сеанс (рублёвый эквивалент)."),
    ("he", P, "**נגד הזדקנות:** {price} לטיפול (ובדולרים)."),                       # two proclitics
    ("ar", P, "**مكافحة الشيخوخة:** {price} لكل جلسة (وبالدولار)."),
    ("ar", P, "**مكافحة الشيخوخة:** {price} لكل جلسة (باليـورو)."),                 # proclitic and tatweel
    ("ja", P, "**アンチエイジング：** {price}／回（💴）"),
    ("ja", P, "**アンチエイジング：** {price}／回、香港ドルで"),                        # CLDR ja name inside a run
    ("ko", P, "**안티에이징:** {price} 1회 (\U0001f4b0)"),
    ("es", P, "**Antienvejecimiento:** {price} por sesión (ꓰuros)."),               # Lisu ꓰ, an E
]


@pytest.mark.parametrize("lang, msgid, msgstr", BEYOND_THE_LISTS)
def test_the_mechanisms_refuse_what_no_list_names(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


HOLES = [
    ("es", P, "**Antienvejecimiento:** {price} por sesión (\u03f9NY).",
     "NFKC turns the lunate Ϲ (U+03F9) into Σ before any mark is read (visible.normalize): a reader sees CNY, "
     "the rule reads ΣNY; read lookalikes before NFKC (normalize's owner), as for ₨"),
    ("ru", P, "**Антивозрастная терапия:** {price} за сеанс (в еврo).",  # a Latin o in a Russian word
     "a Latin letter in a word of a Cyrillic (Greek) language is not looked for: a pass over every Latin letter of "
     "the page cost +2.5 ms a page on the corpus; read it where the C scan (_visible.c) already reads each "
     "character, or by the page's characters (verify's page_chars)"),
]


@pytest.mark.parametrize("lang, msgid, msgstr, reason", HOLES)
def test_hole_a_currency_mark_the_source_does_not_show(guide, lang, msgid, msgstr, reason, request):
    request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


@pytest.fixture(scope="module")
def knee():
    from workflow.project import Project
    from conftest import REPO
    project = Project(REPO)
    doc = project.document("knee-osteoarthritis-stem-cells")
    return project, doc, {s.msgid: s for s in doc.segments}


# the knee guide's table header names the prices' currency: a translation names another, of the same family
# CLDR's whole names are marks of their one currency: "dólares canadienses" is CAD, not any dollar
@pytest.mark.parametrize("lang, msgstr", [("es", "Rango de costos (dólares canadienses)"), ("zh_CN", "费用范围（港元）"),
                                           ("it", "Intervallo di costo (dollari canadesi)"), ("ja", "費用の範囲（香港ドル）"),
                                           ("ko", "비용 범위(캐나다 달러)"), ("de", "Kostenspanne (Hongkong-Dollar)"),
                                           # round 15: CLDR's lettered symbols, each its one currency where no
                                           # amount owns it (currency_names.lettered_marks)
                                           ("es", "Rango de costos (HK$)"), ("pt_BR", "Faixa de custo (R$)")])
def test_a_source_usd_swapped_for_another_dollar_is_refused(knee, lang, msgstr):
    errors, refused = _routes(knee, "Cost Range (USD)", msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


@pytest.mark.parametrize("lang, msgstr", [("es", "Rango de costos (dólares estadounidenses)"), ("ja", "費用の範囲（米ドル）"),
                                           ("vi", "Khoảng chi phí (đô la Mỹ)"), ("de", "Kostenspanne (US-Dollar)")])
def test_the_source_usd_by_its_whole_name_is_published(knee, lang, msgstr):
    errors, refused = _routes(knee, "Cost Range (USD)", msgstr, lang)
    assert not errors and not refused, (lang, msgstr, errors, refused)


def test_held_a_source_usd_swapped_for_a_code_glued_to_a_sign(knee):
    errors, refused = _routes(knee, "Cost Range (USD)", "Rango de costos (MXN$)", "es")
    assert errors and refused, (errors, refused)


# --- false refusals: ordinary text a translator writes, refused as a currency --------------------------------
# Fixed by the lead after the red team: only the common codes (currency_words.CAPITAL_CODES, not the medical
# acronyms AED, CAD, CHF) are money wherever they stand in capitals; any other code next to a number only
CAPITALIZED = [
    ("es", Y, "PRECIOS ESTIMADOS DE LA TERAPIA CON CÉLULAS MADRE EN COREA DEL SUR (2026)"),
    ("es", Y, "Precios estimados en Corea (2026), incluida la terapia IV de NAD+"),
    ("es", Y, "Precios en Corea (2026): lleve un desfibrilador externo automático (AED)"),
    ("de", Y, "GESCHÄTZTE PREISE IN KOREA NACH DEM STAND VON 2026"),
    ("es", Y, "Precios en Corea (2026) para la insuficiencia cardíaca (CHF)"),
]


@pytest.mark.parametrize("lang, msgid, msgstr", CAPITALIZED)
def test_a_capitalized_word_or_acronym_that_spells_a_rare_code_is_published(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert not errors and not refused, (lang, msgstr, errors, refused)


@pytest.mark.parametrize("msgstr", ["Precios en Corea (2026) (JPY)", "Precios en Corea (2026) (MXN)"])
def test_a_common_code_in_capitals_is_still_refused(guide, msgstr):
    errors, refused = _routes(guide, Y, msgstr, "es")
    assert errors and refused, (msgstr, errors, refused)


# Fixed in round 13: a word that is an ordinary word of a language is no mark there (currency_words.ORDINARY_IN,
# ORDINARY; the language's own table): fr franc 'frank', it quid, he שקל 'weighed', tr sar 'wrap', ar درهم (an
# idiom's 'dram'); still money next to a number (currencies.Units)
ORDINARY_TEXT = [
    ("fr", Y, "Prix estimés en Corée (2026) : soyons francs"),
    ("fr", Y, "Prix estimés en Corée (2026), un avis franc"),
    ("he", Y, "מחירים משוערים בקוריאה (2026), כפי שהרופא שקל"),
    ("it", Y, "Prezzi stimati in Corea (2026): un quid in più"),
    ("tr", Y, "Kore'de tahmini fiyatlar (2026): bandajı sar"),
    ("ar", Y, "الأسعار في كوريا (2026): درهم وقاية خير من قنطار علاج"),
    ("ar", Y, "الأسعار في كوريا (2026) بين المستشفيات"),            # بين 'between' is no ب + ين (yen)
    ("uk", Y, "Орієнтовні ціни в Кореї (2026): вона та вони"),      # вона 'she', вони 'they' (CLDR uk won)
    ("pl", Y, "Szacunkowe ceny w Korei (2026): nowy funt wagi"),    # nowy 'new', funt 'pound' the weight
    ("ja", Y, "韓国の推定価格（2026年）：アイドルのハードル"),          # ドル inside a longer katakana run
]


@pytest.mark.parametrize("lang, msgid, msgstr", ORDINARY_TEXT)
def test_ordinary_text_is_published(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert not errors and not refused, (lang, msgstr, errors, refused)


@pytest.mark.parametrize("lang, msgstr", [("es", "Precios en Corea (2026), en francs"), ("en_XA", "Prices (2026): a quid"),
                                          ("ar", "الأسعار في كوريا (2026) بالدراهم")])
def test_an_ordinary_word_of_one_language_is_still_money_in_the_others(guide, lang, msgstr):
    errors, refused = _routes(guide, Y, msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


# read as marks by currency_marks alone (no route: the text's other words would trip other checks). Left open: a
# one-letter (one-syllable) word that is money next to a number (round 11's 2026đ, 2026 불, 2026 रु) and an
# ordinary word alone; money next to a number only would need Units to end a non-ASCII unit at its word's end
# (currencies.Units.touching reads a non-ASCII unit before any letters: 'đ' of '2026 đến', 'र' of '2026 रहे')
_ONE_LETTER = "a one-letter word that is the currency's next to a number and ordinary alone: read it next to a " \
              "number only, once Units.touching ends a non-ASCII unit at its word's end"


@pytest.mark.parametrize("lang, text, reason", [
    ("vi", "a) b) c) d) đ) e)", "đ, the dong's word, is also the sixth letter of Vietnamese enumerations: " + _ONE_LETTER),
    ("ko", "불 조절", "불 'fire' whole; 원 'circle' too ('원 모양'): " + _ONE_LETTER),
])  # hi रे: published since round 13 (tests/test_redteam_r13_money.py)
def test_false_refusal_of_an_ordinary_word(lang, text, reason, request):
    request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    assert loose_marks(markdown_text(text), lang, None) == [], (lang, text)


# the guide's title and excerpt (front matter): on the page's <h1> and <title>, in the .md's front matter, the JSON
# and the language's index page. `check` refuses a currency (and a number) there, and a catalog with an error refuses
# its guide at publish; the build's own verification read only the body until round 13, so "2027 US$2026 (EUR)" in
# the <h1> passed it (now refused: tests/test_verify_front.py per output)
TITLE = "Korean Stem Cell Therapy: Anti-Aging & Joint Health 2026"
EXCERPT = "Explore the cutting-edge of Korean stem cell therapy in 2026 focusing on anti-aging and joint health for " \
          "international visitors"
FRONT_MATTER = [
    (TITLE, "Terapia con células madre en Corea: antienvejecimiento y salud articular 2026 (precios en EUR)"),
    (TITLE, "Terapia con células madre en Corea: antienvejecimiento y salud articular US$2026"),
    (EXCERPT, "Explore la terapia con células madre en Corea en 2026 (precios en euros), para visitantes internacionales"),
]


@pytest.mark.parametrize("msgid, msgstr", FRONT_MATTER)
def test_held_check_refuses_a_currency_in_the_title_or_excerpt(guide, msgid, msgstr):
    errors, _ = _routes(guide, msgid, msgstr, "es")
    assert errors, (msgstr, errors)


@pytest.mark.parametrize("msgid, msgstr", FRONT_MATTER)
def test_held_the_build_verification_reads_the_title_and_excerpt(guide, msgid, msgstr):
    # fixed in round 13 (editions/verify_front.py): each output's title and excerpt, read as the body is
    _, refused = _routes(guide, msgid, msgstr, "es")
    assert any(" in HTML <title>" in r or " in Markdown front matter" in r for r in refused), (msgstr, refused)
