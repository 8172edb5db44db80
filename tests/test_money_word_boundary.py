"""A money word's boundary (round 15): a word's letters go on across a combining mark (M*: a vowel sign or virama,
which sre's [^\\W\\d_] does not count as a letter) and the Hebrew geresh and gershayim, so no word's tail after
one reads as a money word of its own (ta தைவான் 'Taiwan' held வான, hi कायरो 'Cairo' यरो, bn ইম্পেরিয়াল 'imperial'
রিয়াল, he פייג׳ין 'pidgin' ין), and no money word's start before one reads as the money word whole. On both
routes (the word tree in C and the regex of currency_names, its reference), with every spelling of a language
and joiners of every kind, not only the words the red team named."""
from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from workflow.editions import visible
from workflow.editions.currency_marks import loose_marks, marks
from workflow.editions.currency_names import _END, joins_word, regex_spans, word_letter
from workflow.editions.visible import markdown_text

ROUTES = ["compiled", "python"] if visible._compiled is not None else ["python"]
# joiners of the scripts that write vowel signs and viramas (Mc and Mn: Devanagari, Bengali, Tamil, Telugu,
# Sinhala, Myanmar, Khmer, Thai), an enclosing mark (Me), an astral mark, a variation selector, the geresh
JOINERS = ["\u093e", "\u094d", "\u09be", "\u0bc8", "\u0bcd", "\u0c3e", "\u0dcf", "\u102c", "\u17b6", "\u0e31",
           "\u20dd", "\U0001d165", "\U000e0100", "\u05f3", "\u05f4"]
LANGS = ["hi", "bn", "ta", "te", "si", "my", "km", "he", "ar", "ru", "en"]


def _spans(lang: str, low: str, route: str) -> list[int]:
    reader = marks(lang)
    if route == "compiled":
        return visible._compiled.word_spans(reader.tree, low)[0]
    return regex_spans(reader.whole, low)


def _starts(spans: list[int]) -> set[int]:
    return set(spans[::2])


def test_a_joiner_is_a_mark_or_a_hebrew_geresh():
    # every code point: a joiner is a combining mark (M*) or ׳ ״, and continues a word (word_letter)
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert joins_word(ch) == (unicodedata.category(ch)[0] == "M" or ch in "\u05f3\u05f4"), hex(code)
    assert all(word_letter(ch) for ch in JOINERS + ["a", "ж", "ก"])
    assert not any(word_letter(ch) for ch in " -.5_׀")


def spellings_with_a_joiner(lang: str, seed: str):
    """Each whole-word spelling of the language that starts with a letter and ends with none of JOINERS, with a
    joiner drawn for it (seeded: the same draw every run)."""
    rng = random.Random(f"{seed} {lang}")
    for spelling in sorted(form for form, end in marks(lang).kinds.items() if end == _END):
        if spelling[-1:] not in JOINERS and spelling[:1].isalpha():
            yield spelling, rng.choice(JOINERS)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("lang", LANGS)
def test_no_spelling_reads_across_a_joiner(lang, route):
    # each whole-word spelling: read alone; not read after a letter and a joiner, nor before a combining mark
    for spelling, joiner in spellings_with_a_joiner(lang, "boundary"):
        alone = f"x {spelling} x"
        assert 2 in _starts(_spans(lang, alone, route)), (lang, spelling, route)
        after = f"x ก{joiner}{spelling} x"
        assert 4 not in _starts(_spans(lang, after, route)), (lang, spelling, joiner, route)
        before = f"x {spelling}{joiner} x"
        spans = _spans(lang, before, route)
        # a combining mark after it makes another word; a geresh at a word's end is no letter (שקלים׳: shekels)
        assert any(s == 2 and e == 2 + len(spelling) for s, e in zip(spans[::2], spans[1::2])) \
            == (joiner in "\u05f3\u05f4"), (lang, spelling, joiner, route)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("lang, text", [
    ("ta", "தைவான் மருத்துவமனை"), ("hi", "काहिरा और कायरो"), ("bn", "ইম্পেরিয়াল"), ("he", "פייג׳ין"),
    ("he", "ג׳ין ודולר״ים"), ("te", "తైవాన్ ఆసుపత్రి"), ("gu", "તાઇવાન"), ("kn", "ತೈವಾನ್"),
])
def test_a_word_with_a_money_word_after_a_joiner_is_none(lang, text, route, monkeypatch):
    monkeypatch.setattr(visible, "ROUTE", route)
    assert loose_marks(markdown_text(text), lang, None) == [], (lang, text, route)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("lang, text, mark", [
    ("hi", "कीमत यूरो में", "यरो"), ("ta", "விலை யூரோ", "யூரோ"), ("he", "מחיר בדולרים", "דולרים"),
    ("hi", "(डॉलर)", "डॉलर"),
])
def test_a_money_word_after_a_space_is_still_read(lang, text, mark, route, monkeypatch):
    monkeypatch.setattr(visible, "ROUTE", route)
    assert [found for found, _ in loose_marks(markdown_text(text), lang, None)] == [mark], (lang, text, route)


# round 15: words read inside a run of unspaced letters (currency_names.inside_regex) anywhere in the run, glued to
# letters before or after (싱가폴달러, 스위스프랑으로: a reader takes them for money), except inside an ordinary phrase
# (currency_words.ORDINARY_PHRASES, CLDR's euro area: フランス, 자유로운, ユーロ圏)
@pytest.mark.parametrize("lang", ["ja", "ko", "zh_CN"])
def test_an_inside_word_reads_anywhere_in_a_run_of_letters(lang):
    reader = marks(lang)
    branches = reader.inside.pattern.split("|")
    assert len(branches) > 10
    for word in sorted(w for w in branches if "\\" not in w):  # escaped: a phrase (its spaces)
        assert _found(lang, f"料金は{word}で") == [word], (lang, word)
        for glued in (f"{word}ケ", f"ケケ{word}", f"가{word}나", f"{word}로", f"가{word}"):  # no ordinary phrase
            assert word in _found(lang, glued) or _longer_found(lang, glued, word), (lang, glued)


def _longer_found(lang: str, text: str, word: str) -> bool:
    # a longer word of the language read over this one (スイスフラン over フラン): still a mark
    return any(word in found for found in _found(lang, text))


@pytest.mark.parametrize("lang, text", [("ja", "フランスの病院"), ("ja", "ウォンバット"), ("ja", "ルーブル美術館"),
                                        ("ko", "자유로운 선택"), ("ko", "자유로이"), ("zh_CN", "卢布尔雅那")])
def test_an_ordinary_phrase_holds_no_mark(lang, text):
    assert _found(lang, text) == [], (lang, text)


@pytest.mark.parametrize("lang, text, mark", [("ja", "フランスフランで", "フラン"), ("ko", "자유로운 유로 결제", "유로"),
                                              ("ko", "싱가폴달러", "달러"), ("ja", "ケケユーロベース", "ユーロ")])
def test_a_mark_beside_an_ordinary_phrase_is_still_read(lang, text, mark):
    assert mark in _found(lang, text), (lang, text)


def _found(lang: str, text: str) -> list[str]:
    return [mark for mark, _ in loose_marks(markdown_text(text), lang, None)]


@pytest.mark.parametrize("lang", ["es", "ja", "zh_CN", "zh_Hant", "ko", "ar", "he", "ru", "it", "pt", "fr", "de"])
def test_the_euro_areas_name_and_cities_read_as_no_money(lang):
    from babel import Locale
    locale = Locale.parse(lang)
    names = [locale.territories["EZ"], *(zone["city"] for zone in locale.time_zones.values() if "city" in zone)]
    assert {name: found for name in names if (found := _found(lang, name))} == {}, lang
    assert _found(lang, f"{names[0]} 5 {locale.currency_symbols.get('EUR', 'EUR')} EUR") == ["EUR"], lang


@pytest.mark.parametrize("lang, text, found", [
    ("da", "år 200 f.Kr. og e.Kr.", []), ("sv", "år 44 f.Kr.", []), ("nb", "f.Kr.", []),
    ("da", "pris i kr.", ["kr"]), ("da", "(kr.)", ["kr"]), ("da", "x.kr", ["kr"]), ("da", "ab.kr.", ["kr"]),
    ("en", "a.dollar.", ["dollar"]),
])
def test_a_short_word_in_a_dotted_abbreviation_is_none(lang, text, found):
    # currency_names.after_an_initial: one letter, a dot, a spelling of three letters or fewer, a dot
    assert _found(lang, text) == found, (lang, text)


@pytest.mark.parametrize("lang", ["en", "es", "pt_BR", "fr", "zh_CN", "ja"])
def test_a_lettered_symbol_of_no_amount_is_a_mark_of_its_one_currency(lang):
    # round 15 (currency_names.lettered_marks): HK$, R$, CN¥ where no amount owns them name their currency, not
    # every currency of their sign; next to an amount they are the amount's (no loose mark)
    reader = marks(lang)
    symbols = [symbol for found in reader.lettered.values() for symbol, _ in found]
    assert symbols, lang
    for symbol in symbols:
        assert loose_marks(f"({symbol})", lang, None) == [(symbol, reader.signs[symbol])], (lang, symbol)
        assert len(reader.signs[symbol]) == 1, (lang, symbol)
        # before an amount, the amount's own; after one, its own too or (where Units reads no unit: 5.000 $BN)
        # the symbol's one currency, never its sign's every one
        assert loose_marks(f"{symbol}5,000", lang, None) == [], (lang, symbol)
        assert loose_marks(f"5.000 {symbol}", lang, None) in ([], [(symbol, reader.signs[symbol])]), (lang, symbol)

