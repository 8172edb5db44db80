"""The compiled route's currency shortcut (_visible.c, round 10): it asks Units.money_at only where the character
after a number's spaces or the one before them may be part of a currency (Units.touch_after and touch_before, kept per pair of characters),
and reads a currency sign there itself. money_at stays the reference: the shortcut must give its answer for every
number, or a price written in the text would read as a bare number (tests/test_visible_routes.py compares both
routes on every text of the project; here: currency names, codes and signs of every language, lookalikes, cases).
"""
from __future__ import annotations

import dataclasses
import random
import sys
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from workflow.editions import visible
from workflow.editions.currencies import Units, units

from test_visible_routes import _TEXTS, _same

# the languages the project and the bench corpus ship, and their neighbours (Greek: the final sigma)
LANGS = ["de", "fr", "it", "ko", "nl", "pl", "pt_BR", "ru", "tr", "ar", "es", "ja", "zh_CN", "en", "hi", "vi", "el",
         "en_XA"]
compiled = pytest.mark.skipif(visible._compiled is None, reason="no compiled route (no C compiler at install)")


def _words(unit: Units) -> list[str]:
    return sorted(unit.units | unit.names | {c for c in unit.codes if c.isalpha()})


def _near(unit: Units) -> list[str]:
    """Characters a currency's first or last character may be confused with: the words' own characters in
    every case, the case-folding oddities (İ ı ſ K Σ ς), signs, spaces and a sample of every plane."""
    chars = {ch for w in _words(unit) for ch in w}
    for ch in list(chars):
        chars |= set(ch.upper() + ch.lower() + ch.title() + ch.casefold())
    chars |= set("İıſKΣσςᲄ$€¥₩£₹₽ \u00a0\u2009_-.,'0123456789")
    rnd = random.Random(10)
    chars |= {chr(rnd.randrange(0x80, sys.maxunicode + 1)) for _ in range(300)}
    return sorted(chars)


@pytest.mark.parametrize("lang", ["de", "ru", "ko", "ja", "el", "tr", "ar"])
def test_touch_after_and_before_never_hide_a_currency(lang):
    # 0 must mean touching() finds nothing after a text starting with those characters (before one ending with
    # them), whatever the rest of a currency word is: each word with its first or last character replaced by
    # every character a reader may confuse with one, and cut short; 2 that it is a sign touching() gives back
    unit = units(lang)
    words = _words(unit)
    for ch in _near(unit):
        if ch == " ":
            continue  # never the first or last character touching() looks at: it strips spaces, and so does the C
        for w in words:
            for after in (ch + w[1:], ch + w[1:2], ch + w[1:] + "x", w[:1] + ch + w[2:]):
                kind = unit.touch_after(after[:2])
                assert kind in (0, 1, 2)
                if kind == 0:
                    assert unit.touching("", after) == "" == unit.touching("1", after), (ch, w, after)
                if kind == 2:
                    assert unit.touching("x", after) == after[0]
            for before in (w[:-1] + ch, w[-2:-1] + ch, "x" + w[:-1] + ch, w[:-2] + ch + w[-1:]):
                kind = unit.touch_before(before[-2:])
                assert kind in (0, 1, 2)
                if kind == 0:
                    assert unit.touching(before, "") == "" == unit.touching(before, "1"), (ch, w, before)
                if kind == 2:
                    assert unit.touching(before, "x") == before[-1]
    assert unit.touch_after("\u03a3") == unit.touch_after("\u03c3")


def test_the_shortcut_of_every_character_of_the_first_planes():
    unit = units("de")
    for code in range(0x3400):
        ch = chr(code)
        kind = unit.touch_after(ch), unit.touch_before(ch)
        assert (2 in kind) == (unicodedata.category(ch) == "Sc") and (kind[0] == 2) == (kind[1] == 2)
        if kind[0] == 0:
            assert unit.touching("", ch) == "" == unit.touching("", ch + "x")
        if kind[1] == 0:
            assert unit.touching(ch, "") == "" == unit.touching("x" + ch, "")


def _money_texts(lang: str):
    unit = units(lang)
    words = _words(unit)
    cased = st.sampled_from(words).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.title(), w.capitalize(), w[:-1], w[1:], w + "s", w + "."]))
    number = st.sampled_from(["5", "1 000", "33.000", "1,5", "112", "{0}", "7 k", "3 Mio.", "2 тыс.", "9万"])
    glue = st.sampled_from(["", " ", "  ", "\u00a0", "-", "(", ")", ".", ",", ":", "/", "*", "x", "1"])
    part = st.one_of(cased, number, glue, st.sampled_from(list("İıſKΣσςᲄ$€¥₩£₹₽")), st.characters())
    return st.lists(part, max_size=14).map("".join)


@compiled
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(LANGS).flatmap(lambda lang: st.tuples(st.just(lang), _money_texts(lang))))
def test_numbers_next_to_every_languages_currencies(case):
    lang, text = case
    _same(text, lang)
    _same(visible.normalize(text), lang)


@compiled
@settings(max_examples=1500, deadline=None)
@given(_TEXTS, st.sampled_from(LANGS))
def test_generated_text_in_every_language(text, lang):
    _same(text, lang)


@compiled
def test_a_currency_right_at_the_window_edge():
    # money_at looks unit.longest + 1 characters either side: spaces up to that edge and past it
    for lang in ("de", "ja"):
        unit = units(lang)
        for pad in range(unit.longest - 2, unit.longest + 3):
            for text in (f"5{' ' * pad}€", f"€{' ' * pad}5", f"5{' ' * pad}USD", f"USD{' ' * pad}5", f"5{' ' * pad}euro",
                         f"dollar{' ' * pad}5", f"5{' ' * pad}x €", f"{' ' * pad}5{' ' * pad}"):
                _same(text, lang)


class _Bare:
    """A caller's unit without the shortcut's attributes: money_at is asked about every number."""
    def __init__(self, unit: Units):
        self.unit, self.decimal, self.asked = unit, unit.decimal, 0

    def money_at(self, text, start, end):
        self.asked += 1
        return self.unit.money_at(text, start, end)


@compiled
def test_a_unit_without_the_shortcut_is_asked_about_every_number():
    bare = _Bare(units("de"))
    text = "5 Euro, 112 und (7) oder 9 $"
    assert visible._compiled.numbers(text, bare) == visible._numbers_py(text, units("de"))
    assert bare.asked == 4


@dataclasses.dataclass(frozen=True)
class _Failing(Units):
    answer: object = None

    def touch_after(self, text):
        if self.answer is None:
            raise LookupError(text)
        return self.answer

    touch_before = touch_after


@compiled
@pytest.mark.parametrize("answer", [None, 3, -1, "1"])
def test_a_failing_touch_kind_is_an_error_not_a_reading(answer):
    unit = units("de")
    fields = {f.name: getattr(unit, f.name) for f in dataclasses.fields(Units) if f.name not in ("after_memo", "before_memo")}
    failing = _Failing(**fields, answer=answer)
    with pytest.raises((LookupError, ValueError, TypeError)):
        visible._compiled.numbers("5 x", failing)


def _same_touching(unit: Units, text: str) -> None:
    for at in range(len(text) + 1):
        assert unit.touching_after(text, at) == unit.touching("", text[at:at + 1 + unit.longest]), (text, at)
        assert unit.touching_before(text, at) == unit.touching(text[max(0, at - 1 - unit.longest):at], ""), (text, at)


@pytest.mark.parametrize("lang", LANGS)
def test_the_verifications_touching_windows_read_as_touching(lang):
    # verify._doubly_marked asks touching() of the windows beside an amount only where touch_after/before (their
    # memo shared with the compiled number reading) do not say nothing: the same answer at every place of a text
    unit, rng = units(lang), random.Random(f"windows {lang}")
    words, near = _words(unit), _near(unit)
    for w in words:
        _same_touching(unit, f"5 {w} 7{w}.{w.upper()}  9")
    for _ in range(300):
        _same_touching(unit, "".join(rng.choice(words + near + [" ", "  ", "5", "5.000"]) for _ in range(12)))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(LANGS), _TEXTS)
def test_the_touching_windows_on_any_text(lang, text):
    _same_touching(units(lang), text)
