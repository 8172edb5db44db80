"""Red team of round 13's money words (currency_names.py: CLDR's names, plurals, shared nouns of every language;
currency_words.py: FREE_WORDS, STEMS, ORDINARY): ordinary words of real languages the reader took for money (false
refusals), and money words it missed (holes). What the data fixed is a passing test; what needs the scanning code
(currency_marks.py, currency_names.py: another owner this round) is a strict xfail with the fix proposed.

How they were found: the marks reader run over each CLDR language's own territory, language, script, month, day
and unit names (Babel), ordinary words all, must read no mark; and the common words and money words of fr de es
it pt ru uk pl tr ar he ja zh ko hi vi and others tried by hand."""
from __future__ import annotations

import pytest
from babel import Locale

from workflow.editions.currency_marks import loose_marks
from workflow.editions.visible import markdown_text

from test_checks_redteam2 import PRICE, _routes, guide  # noqa: F401 (fixture)
from test_redteam_r10_money import YEAR


def _marks(lang: str, text: str) -> list[str]:
    return [mark for mark, _ in loose_marks(markdown_text(text), lang, None)]


def cldr_ordinary_names(lang: str) -> set[str]:
    """A locale's names of territories (but the euro area's: it names the euro), languages, scripts, months, days
    and units (their display names and patterns without the number): words no reader takes for money."""
    locale = Locale.parse(lang)
    names = {name for code, name in locale.territories.items() if code != "EZ"}
    names |= set(locale.languages.values()) | set(locale.scripts.values())
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            names |= set(locale.months.get(context, {}).get(width, {}).values())
            names |= set(locale.days.get(context, {}).get(width, {}).values())
    for unit in locale._data.get("unit_display_names", {}).values():
        names |= {name for name in unit.values() if isinstance(name, str)}
    for unit in locale._data.get("unit_patterns", {}).values():
        for forms in unit.values():
            if isinstance(forms, dict):
                names |= {form.replace("{0}", "").strip() for form in forms.values() if isinstance(form, str)}
    return {name for name in names if name}


# languages whose names read as money before round 13's data (pound the weight, 'new', 'Korean', SAR of "Hong Kong
# SAR", Hindi's र, vi đồng, mk ден 'day', bs km) and the languages of the guides' readers
CLEAN = ["en", "fr", "de", "es", "it", "pt", "ru", "uk", "pl", "tr", "ar", "ko", "zh", "vi", "hi", "nl", "sv", "da",
         "nb", "fi", "cs", "sk", "hu", "ro", "bg", "el", "id", "ms", "th", "fa", "ur", "mk", "bs", "hr", "sr", "sl",
         "be", "lt", "lv", "ca", "hy", "sw", "af", "mr", "ml", "or", "ps", "ka", "mn", "tk", "yo", "zu", "ku",
         # round 15: clean since the word boundary counts combining marks and the geresh as letters
         "bn", "ta", "te", "kn", "pa", "ne", "gu", "my", "km", "he", "si",
         # round 15: CLDR's names of languages, scripts and territories that hold a money word are ordinary phrases
         "ja"]
# CLEAN less these, each with what is left (a choice for the lead or code)
# (a word's boundary after a vowel sign or virama, category Mc/Mn, or a Hebrew geresh: fixed in round 15, see
# tests/test_money_word_boundary.py)
OPEN = {
    "vi": "đ alone (a CLDR name of vi; an enumeration's letter): tests/test_redteam_r12_money.py's one-letter "
          "word, read next to a number only once Units.touching ends a non-ASCII unit at its word's end",
    "hu": "ft, the foot of CLDR hu's unit names (ft², lbf⋅ft), is Ft, the forint's mark on every Hungarian price: "
          "kept as money (a hole otherwise); read it as money only without a unit sign after (² ³ ⋅): code",
    "ro": "CLDR ro's language name 'lushootseed de usd' (a typo of 'sud' in CLDR) reads usd: leave it (report it "
          "to CLDR); no Romanian word is usd",
}


@pytest.mark.parametrize("lang", [lang for lang in CLEAN if lang not in OPEN] + sorted(OPEN))
def test_cldr_names_of_a_language_read_as_no_money(lang, request):
    if lang in OPEN:
        request.applymarker(pytest.mark.xfail(strict=True, reason=OPEN[lang]))
    found = {name: marks for name in sorted(cldr_ordinary_names(lang)) if (marks := _marks(lang, name))}
    assert not found, (lang, dict(list(found.items())[:10]))


# ordinary sentences a translator writes, each refused before round 13's data (passing now, through `check` and
# the build)
ORDINARY_TEXT = [
    ("vi", YEAR, "Giá ước tính tại Hàn Quốc (2026): bác sĩ đồng ý, theo hợp đồng"),  # 'agree', 'contract'
    ("hi", YEAR, "कोरिया में अनुमानित कीमतें (2026): उपचार और बीमारी के प्रकार"),    # 'treatment', 'disease', 'type'
    ("es", YEAR, "Precios estimados en Corea (2026), como en Hong Kong SAR"),
    ("ur", YEAR, "کوریا میں تخمینی قیمتیں (2026): چینی اور جاپانی مریض"),           # 'Chinese', 'Japanese'
]


@pytest.mark.parametrize("lang, msgid, msgstr", ORDINARY_TEXT)
def test_ordinary_text_is_published(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert not errors and not refused, (lang, msgstr, errors, refused)


@pytest.mark.parametrize("lang, text", [
    ("hi", "रे"), ("hi", "सरकार, बाज़ार, विचार, परिवार"), ("mk", "еден ден"), ("bs", "nekoliko km od grada"),
    ("hu", "font"), ("br", "da eizh eur"), ("hr", "funte"), ("lt", "svarai"), ("ms", "paun"), ("af", "Nuwe Noors"),
    ("fa", "کره"), ("ka", "კორეული"), ("yo", "awon"), ("vi", "cộng đồng, đồng hồ"),
    # words CLDR's currency names share that are function words or 'new': da "dirham fra de Forenede Arabiske
    # Emirater" made fra 'from' money; nye, noi 'new' (ro noi also 'we'); the crown (dental too)
    ("da", "fra København og nye patienter"), ("nb", "nye pasienter"), ("ro", "Noi suntem aici"),
    ("et", "uut ravi"), ("lt", "Korėjos klinikos"), ("da", "en krone på tanden"), ("gu", "ફરક"),
])
def test_an_ordinary_word_reads_as_no_money(lang, text):
    assert _marks(lang, text) == [], (lang, text)


# money words the reader missed before round 13's data (case forms, traditional characters, slang, spellings):
# refused now by `check` and the build
HELD = [
    ("zh_CN", PRICE, "**抗衰老：** {price}/次（歐元）"),                        # traditional 欧元
    ("zh_CN", PRICE, "**抗衰老：** {price}/次，约合新臺幣"),
    ("zh_CN", PRICE, "**抗衰老：** {price}/次（美刀）"),                        # slang for the US dollar
    ("zh_CN", YEAR, "韩国费用估算（2026 人民幣）"),
]


@pytest.mark.parametrize("lang, text, mark", [
    ("hu", "5000 forintot fizet", "forint"), ("hu", "dollárban", "dollár"), ("hu", "euróban", "euróban"),
    ("fi", "euroina", "euroina"), ("fi", "dollareissa", "dollar"), ("cs", "v dolarech", "dolar"),
    ("pl", "w złotówkach", "złotówkach"), ("uk", "баксів", "баксів"), ("tr", "İngiliz sterlini", "ingiliz sterlini"),
    ("vi", "đô-la", "đô-la"), ("vi", "Mỹ kim", "mỹ kim"), ("bg", "в лева", "лева"),
    ("zh", "人民幣", "人民幣"), ("zh", "价格为歐元", "歐元"), ("zh", "日圓", "日圓"), ("zh", "港纸", "港纸"),
    # round 15: a stem with an ending it does not take (STEM_NOT_BEFORE: hu euró- not Európa), ru slang еврик
    ("hu", "euróig fizet", "euró"), ("hu", "eurókban", "euró"), ("ru", "в евриках", "еврик"),
    ("ru", "пять евриков", "еврик"),
])
def test_a_money_word_is_read(lang, text, mark):
    assert mark in _marks(lang, text), (lang, text)


@pytest.mark.parametrize("lang, text", [
    ("hu", "Európában"), ("fi", "Eurooppa"), ("pl", "złoto"), ("vi", "kim loại"), ("hu", "európai"), ("ru", "Европа"),
])
def test_a_word_that_starts_as_a_money_word_is_none(lang, text):
    assert _marks(lang, text) == [], (lang, text)


@pytest.mark.parametrize("lang, msgid, msgstr", HELD)
def test_a_money_word_the_source_does_not_show_is_refused(guide, lang, msgid, msgstr):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors and refused, (lang, msgstr, errors, refused)


# fixed in round 15 (currency_names: inside_regex, inside_spans, ordinary_phrases; tests/test_money_word_boundary.py)
@pytest.mark.parametrize("lang, text", [
    ("es", "los países de la zona del euro"), ("ja", "ユーロ圏の国"), ("zh", "欧元区国家"), ("ko", "유로존 국가"),
    ("ja", "フランスの病院"), ("ja", "ルーブル美術館"), ("ko", "자유로운 선택"), ("zh", "卢布尔雅那"), ("da", "år 200 f.Kr."),
])
def test_false_refusal_fixed_by_code(lang, text):
    assert _marks(lang, text) == [], (lang, text)


# left open (code or a choice for the lead): each a strict xfail with the fix proposed
_UNSPACED = "Thai writes no spaces between words: a money word is read only as a whole token, so ดอลลาร์ (dollar) " \
            "inside a sentence is missed; read th (lo, km, my) words inside runs as Han and kana are (code: " \
            "currency_names.unspaced). Round 15: not done: normalize drops Thai's above and below vowels (Mn), so " \
            "ยูโร 'euro' and ยุโรป 'Europe' read ยโร and ยโรป, and บาท 'baht' starts บาทหลวง 'priest': read inside " \
            "runs, most Thai pages would be refused; it needs the vowels kept or a word segmenter"


@pytest.mark.parametrize("lang, text, reason", [
    ("de", "Würzburg liegt in Franken", "Franken, the Swiss franc's German noun (FREE_WORDS de), is also "
                                        "Franconia and the Franks: kept as money (a hole otherwise); a choice"),
])
def test_false_refusal_needing_code(lang, text, reason, request):
    request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    assert _marks(lang, text) == [], (lang, text)


@pytest.mark.parametrize("lang, text, reason", [
    ("th", "ราคาเป็นดอลลาร์", _UNSPACED),
    ("hi", "कीमतें (2026 रु)", "रु (rupee) is र once normalized (vowel signs dropped), and so is रे 'hey' "
                               "(an ordinary word, test_an_ordinary_word_reads_as_no_money): the word boundary "
                               "counts M* as letters since round 15, but the marks are read in normalized text, "
                               "where the two are one word, next to a number too (Units): a choice"),
    ("ko", "달라로 결제", "달라, the common misspelling of 달러, is also 'different' (달라요): read it whole only "
                      "(FREE_WORDS ko, not FREE_INSIDE) once whole Hangul words take particles"),
])
def test_hole_a_money_word_is_missed(lang, text, reason, request):
    request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    assert _marks(lang, text), (lang, text)


# found after the merge (the cost engineer's note): a spelling that starts inside a word was matched and then
# rejected, and the scan went on after its end, so "Bonus-Dollar" (us-dollar inside it) read no mark at all.
# A start inside a word is now passed over, on both routes (currency_names.regex_spans, _visible.word_spans)
@pytest.mark.parametrize("route", ["compiled", "python"])
@pytest.mark.parametrize("lang, text, mark", [
    ("de", "Kosten in Bonus-Dollar", "dollar"), ("de", "Plus-Dollar", "dollar"), ("es", "(xus-dollar)", "dollar"),
    ("en", "plus-dollars", "dollars"),
])
def test_a_money_word_after_a_word_that_hides_a_spelling_is_read(lang, text, mark, route, monkeypatch):
    from workflow.editions import visible
    monkeypatch.setattr(visible, "ROUTE", route)
    assert _marks(lang, text) == [mark], (lang, text, route)


def test_a_money_word_hidden_after_a_word_is_refused(guide):
    errors, refused = _routes(guide, YEAR, "Preise in Korea (2026), in Bonus-Dollar", "de")
    assert errors and refused, (errors, refused)
