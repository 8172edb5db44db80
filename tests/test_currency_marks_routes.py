"""The compiled scan for where currency marks may stand (_visible.mark_spots, issue 17) gives what the Python
route (currency_marks._spots_py: three regex scans) gives, on every kind of text: a sign, code or dotted code it
missed would be a currency a translation writes unseen. Marks.find on both routes: test_currency_marks_fast."""
from __future__ import annotations

import random
import sys
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from workflow.editions import visible
from workflow.editions.currency_marks import _CAPITAL_LETTERS, _expanded, _spots_py, marks, SIGNS
from workflow.editions.currency_names import regex_spans
from workflow.editions.visible import markdown_text, normalize

from compiler import compiler_found
from test_currency_marks_fast import _GLUE, _text, LANGS
from test_fast_routes import _project_texts

compiled = pytest.mark.skipif(visible._compiled is None, reason="no compiled route (no C compiler at install)")
_SIGN_LIST = _expanded(SIGNS)
# runs of capitals of every length, lookalikes among them, beside letters, digits, marks and dots
_PIECES = ["A", "B", "U", "S", "D", "Е", "Ѕ", "Ꭺ", "a", "é", "ж", "5", "²", "_", ".", " ", "\u0301", "\u200b",
           "$", "€", "\U00011fdd", "\U0001e2ff", "\U0001d400", "x.", ".x", "..", "ȷ", "Ⓐ", "ǅ"]


def _same(text: str) -> None:
    assert visible._compiled.mark_spots(text) == _spots_py(text), text


def test_make_setup_builds_the_scan():
    if not compiler_found():
        pytest.skip("no C compiler: the Python route is the one in use")
    assert visible.ROUTE == "compiled" and visible._compiled.mark_spots("5 USD €")[0] == ["€"]


def test_the_signs_are_every_currency_sign_written_once():
    want = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Sc"}
    assert sorted(_SIGN_LIST) == sorted(want)


@compiled
def test_every_code_point_alone_and_beside_capitals_and_dots():
    # every one alone and glued to capitals; each that is read (a letter or digit of some kind, a sign, a
    # capital) in the contexts a capital run, a sign and a dotted letter are read in: many contexts a text
    everything = [chr(c) for c in range(sys.maxunicode + 1)]
    read = [ch for ch in everything if ch.isalnum() or ch in _SIGN_LIST or ch in _CAPITAL_LETTERS or ch in "._"]
    for chars, contexts in ((everything, ("{}", "AB{}C")), (read, ("{}USD{}", ".{}.", "{}.a.", "ABC{}DEF"))):
        for first in range(0, len(chars), 0x8000):
            for context in contexts:
                _same(" ".join(context.format(ch, ch) for ch in chars[first:first + 0x8000]))
    _same("".join(everything))


@compiled
def test_generated_runs_of_capitals_dots_and_signs():
    rng = random.Random("spots")
    for size in range(1, 40):
        for _ in range(150):
            text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, size)))
            _same(text)
            _same(normalize(text))


@compiled
def test_the_hostile_texts_of_the_marks_and_every_text_of_the_project():
    rng = random.Random("spots hostile")
    for _ in range(2000):
        raw = _text(rng)
        for text in (raw, normalize(raw), markdown_text(raw)):
            _same(text)
    for text in _project_texts():
        _same(text)
        _same(normalize(text))


@compiled
@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.characters()), max_size=30).map("".join))
def test_any_text(text):
    _same(text)


def _same_words(lang: str, text: str) -> None:
    reader = marks(lang)
    low = text.lower()
    spans, foreign = visible._compiled.word_spans(reader.tree, low)
    assert spans == regex_spans(reader.whole, low), (lang, text)
    assert foreign == [m.start() for m in reader.foreign_scan.finditer(low)], (lang, text)


@compiled
@pytest.mark.parametrize("lang", LANGS)
def test_the_word_tree_finds_what_its_regex_finds(lang):
    # every spelling whole, inside a word, glued to the next, cut, after a katakana, before a dot and a letter
    # (a match inside a word is no word, but where it ends is where the regex looks next: us-dollar in xus-dollar)
    reader, rng = marks(lang), random.Random(f"words {lang}")
    spellings = sorted(reader.kinds)
    for spelling in spellings:
        for context in ("{}", "x{}", "{}x", "x{}-{}", "ア{}ア", "日{}", "{}.a", "{}.", "5{}²", "{}\u0301", "{}{}"):
            _same_words(lang, context.format(spelling, spelling))
        _same_words(lang, spelling[:-1])
    for letter in sorted(reader.foreign):  # each lookalike letter alone, in a word, beside another
        _same_words(lang, f"{letter} x{letter}uro {letter}{letter}")
    for _ in range(1500):
        pieces = [rng.choice(spellings + _GLUE) for _ in range(rng.randint(1, 12))]
        _same_words(lang, "".join(pieces))
        _same_words(lang, " ".join(pieces))
        _same_words(lang, _text(rng))


@compiled
def test_the_word_tree_on_every_text_of_the_project():
    for text in _project_texts():
        for lang in ("en", "de", "ru", "ko", "ja"):
            _same_words(lang, normalize(text))


@compiled
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(LANGS), st.lists(st.one_of(st.sampled_from(_GLUE), st.characters()), max_size=30).map("".join))
def test_the_word_tree_on_any_text(lang, text):
    _same_words(lang, text + " " + "".join(sorted(marks(lang).kinds)[::7]) + text)


def _same_lowered(lang: str, text: str) -> None:
    """word_spans_lower reads the text as word_spans reads text.lower(), or says None: only where the text holds
    a character str.lower() does not lower alone or Marks._words drops (İ, Σ, U+0307, tatweel)."""
    reader = marks(lang)
    read = visible._compiled.word_spans_lower(reader.tree, text)
    assert (read is None) == any(ch in text for ch in "\u0130\u03a3\u0307\u0640"), (lang, text)
    if read is not None:
        assert read == visible._compiled.word_spans(reader.tree, text.lower()), (lang, text)


def test_every_code_point_but_the_ones_set_apart_lowers_alone():
    # what word_spans_lower's reading one character at a time rests on, and Marks.inside_cased's letters
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        low = ch.lower()
        if code != 0x130:
            assert len(low) == 1 and (low not in "\u0307\u0640" or low == ch), hex(code)
        assert low == ch or unicodedata.category(low[0]) not in ("Lo", "Lm", "Zs"), hex(code)


@compiled
@pytest.mark.parametrize("lang", LANGS)
def test_the_lowering_scan_reads_every_code_point_as_the_lowered_text(lang):
    reader = marks(lang)
    everything = [chr(c) for c in range(sys.maxunicode + 1)]
    for first in range(0, len(everything), 0x4000):
        for context in ("{}", "A{}B", " {} ", "{}ア"):
            _same_lowered(lang, " ".join(context.format(ch) for ch in everything[first:first + 0x4000]))
    for spelling in sorted(reader.kinds):  # each spelling in capitals, title case, inside a word, before a dot
        for text in (spelling.upper(), spelling.title(), "X" + spelling.upper(), spelling.upper() + ".A",
                     "ア" + spelling.upper() + "ア", spelling.upper() + "\u0130", "Σ" + spelling.upper(),
                     "xア" + spelling.upper(), "アx" + spelling, "Éx" + spelling.upper() + "ア" + spelling):
            _same_lowered(lang, text)
    rng = random.Random(f"lowered {lang}")
    for _ in range(500):
        pieces = [rng.choice(sorted(reader.kinds) + _GLUE) for _ in range(rng.randint(1, 12))]
        _same_lowered(lang, " ".join(pieces).upper())
        _same_lowered(lang, _text(rng))


@compiled
def test_the_lowering_scan_on_every_text_of_the_project():
    for text in _project_texts():
        for lang in ("en", "de", "ru", "ko", "ja", "tr", "el"):
            _same_lowered(lang, normalize(text))
            _same_lowered(lang, normalize(text).upper())


@compiled
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(LANGS), st.lists(st.one_of(st.sampled_from(_GLUE), st.characters()), max_size=30).map("".join))
def test_the_lowering_scan_on_any_text(lang, text):
    _same_lowered(lang, text + " " + "".join(sorted(marks(lang).kinds)[::7]).upper() + text)


@compiled
def test_a_text_of_another_type_is_refused():
    with pytest.raises(TypeError):
        visible._compiled.mark_spots(b"USD")
    with pytest.raises(TypeError):
        visible._compiled.word_spans(marks("en").tree, b"usd")
    with pytest.raises(TypeError):
        visible._compiled.word_spans_lower(marks("en").tree, b"USD")
    with pytest.raises(ValueError):  # arrays that do not make a tree
        visible._compiled.word_tree("a", [0], [1], [5], [0], 1, "")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
