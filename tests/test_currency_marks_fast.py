"""currency_marks.Marks.find reads its words in one scan (a tree of the words' letters after a non-letter) and
loose_marks reads each amount's own marks once per (text, language): the same marks as the version that listed
every word of the text and read each amount again (kept here as the reference), on generated hostile texts;
on each route of the scan for signs, codes and dotted codes (compiled and Python, route_fixture).

Round 13 changed which words are money and how they are matched on purpose (phrases, stems, proclitics, katakana
runs, emoji, lookalike letters): the reference's word part is now _reference_words, every spelling of the reader's
table tried at every place (longest first); signs, codes and dotted codes are read as in round 12."""
from __future__ import annotations

import random
import re
import sys
from collections import Counter

import pytest

from workflow.editions.currencies import units
from workflow.editions.currency_names import SKELETON as _SKELETON
from workflow.editions.currency_marks import (_CAPITALS, _DOT_LETTER_DOT, _DOTTED, _SIGNS, LOOKALIKES,
                                              _letter_at, loose_marks, marks, own_spans)
from workflow.editions.currency_names import (_ends, _word_letter_class, after_an_initial, before_is_word,
                                              in_ordinary)
from workflow.editions.currency_words import CAPITAL_CODES, FREE_WORDS, MONEY_EMOJI
from workflow.editions.visible import markdown_text, normalize, numbers

from route_fixture import numbers_route  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("numbers_route")

_LETTERS = re.compile(r"[^\W\d_]+")


def _old_find(self, text: str) -> list[str]:
    """Marks.find as merged in 8a52fe5 (every word of the text listed, a set intersection), with CAPITAL_CODES."""
    out = _SIGNS.findall(text)
    low = text.lower().replace("\u0307", "")
    capitals = Counter()
    for m in _CAPITALS.finditer(text):
        code = m.group() if m.group().isascii() else m.group().translate(LOOKALIKES).upper()
        if code in self.codes and not _letter_at(text, m.start() - 1) and not _letter_at(text, m.end()):
            if code in CAPITAL_CODES:  # since the red team: common codes only wherever they stand
                out.append(code)
            capitals[m.group().lower()] += 1
    out += _reference_words(self, text, capitals)
    end = 0
    for m in _DOT_LETTER_DOT.finditer(text):
        start = m.start() - 1 if _letter_at(text, m.start() - 1) and not _letter_at(text, m.start() - 2) \
            else m.start() + 1
        dotted = _DOTTED.match(text, start)
        if m.start() < end or not dotted or _letter_at(text, start - 1):
            continue
        end = dotted.end()
        letters = dotted.group().replace(".", "")
        code = letters.upper() if letters.isupper() else ""
        if code in self.codes or letters.lower() in self.words:
            out.append(code or letters.lower())
    return out


def _ends_here(low: str, end: int, spelling: str, reader) -> int:
    """Where a spelling found at low[:end] ends as the reader's tree reads it (-1: its ending does not hold)."""
    kind = reader.kinds[spelling]
    # the tree is followed by no letter nor joiner (a combining mark, the geresh: round 15)
    m = re.compile(_ends()[kind] + f"(?!{_word_letter_class()})").match(low, end)
    return -1 if m is None else m.end()


def _reference_words(reader, text: str, capitals) -> list[str]:
    """The words of a text: every spelling of the reader's table tried at each place, the longest first (a place
    after a found one's end), one starting inside a word passed over, a phrase of the table around a noun
    found taken whole; the longer of an inside word (unspaced scripts) and a spelling it overlaps; emoji; lookalike
    words by their skeleton, token by token."""
    low = text.lower().replace("\u0307", "").replace("\u0640", "")
    # round 15: a word inside an ordinary phrase is none (anywhere else in a run of letters: a mark)
    inside = [(s, e) for s, e in (m.span() for m in reader.inside.finditer(low))
              if not in_ordinary(low, s, e, reader.ordinary)] if reader.inside is not None else []
    by_first: dict[str, list[str]] = {}
    for spelling in sorted(reader.kinds, key=len, reverse=True):
        by_first.setdefault(spelling[0], []).append(spelling)
    words, i, after = [], 0, 0
    while i < len(low):
        for spelling in by_first.get(low[i], ()):
            if low.startswith(spelling, i) and (end := _ends_here(low, i + len(spelling), spelling, reader)) >= 0:
                if i and before_is_word(low, i):  # inside a word: passed over, it hides nothing after it
                    i += 1
                    break
                word = reader.mark_of[spelling]
                ending = low[i + len(spelling):end]
                if ending and ending.startswith(reader.not_before.get(spelling, ())):
                    word = None  # round 15: an ending the stem does not take (hu Európa): no mark
                if i >= after and not after_an_initial(low, i, end) and not in_ordinary(low, i, end, reader.ordinary):
                    over = [(s, e) for s, e in inside if s < end and i < e]
                    if not any(e - s >= end - i for s, e in over):
                        inside = [span for span in inside if span not in over]
                        if low[i:end] in reader.mark_of and word in reader.phrases:  # no stem with an ending
                            for before, rest, phrase in reader.phrases[word]:
                                left, right = i - len(before), i + len(spelling) + len(rest)
                                if left >= 0 and low[left:i] == before and low[i + len(spelling):right] == rest \
                                        and not (left and _LETTERS.match(low, left - 1)) and not _LETTERS.match(low, right):
                                    word, after = phrase, right
                                    break
                        if word is not None:
                            words.append(word)
                i = max(end, i + 1)
                break
        else:
            i += 1
    words += [emoji for emoji in MONEY_EMOJI for _ in range(low.count(emoji))]
    for m in _LETTERS.finditer(low):
        token = m.group()
        if any(ch in reader.foreign for ch in token) and token not in reader.mark_of \
                and token not in capitals and token.translate(_SKELETON) in reader.skeletons:
            words.append(reader.skeletons[token.translate(_SKELETON)])
    out = [low[s:e] for s, e in inside]
    for word in set(words):
        out += [word] * (words.count(word) - capitals[word])
    return out


def _old_loose(text: str, lang: str) -> list:
    reader = marks(lang)
    left = Counter(_old_find(reader, text))
    if not left:
        return []
    spans = own_spans(text, numbers(text, units(lang)))
    for start, end in spans:
        left.subtract(_old_find(reader, text[start:end]))
    # round 15: a loose sign written in a lettered symbol (HK$, R$: CLDR's, no letter either side, in no amount)
    # is that symbol's mark, the longest symbol first
    for sign, symbols in reader.lettered.items():
        for symbol, at in symbols:
            for m in re.finditer(f"(?<![^\\W\\d_]){re.escape(symbol)}(?![^\\W\\d_])", text):
                if left[sign] > 0 and not any(s <= m.start() + at < e for s, e in spans):
                    left[sign] -= 1
                    left[symbol] += 1
    return [(mark, reader.named(mark)) for mark in sorted(+left) for _ in range(left[mark])]


LANGS = ["en", "de", "es", "fr", "ru", "uk", "ja", "ko", "zh_CN", "he", "ar", "vi", "hi", "tr", "pl", "pt", "en_XA"]
_WORDS = sorted({w for table in FREE_WORDS.values() for words in table.values() for w in words})
# glue: letters of every script, digits that are and are not \d (², ½, Ⅻ, ١), _, marks, dots, case that folds
_GLUE = ["", " ", ".", "..", "_", "-", "/", "(", ")", "5", "5.000", "²", "½", "Ⅻ", "ⅻ", "١", "a", "x", "é", "ß", "ẞ",
         "ı", "İ", "I\u0307", "\u0307", "\u0301", "\u200b", "\u00a0", "ж", "Ж", "е", "Е", "α", "ա", "ა", "ש", "ي", "क",
         "\u093f", "ก", "あ", "ア", "日", "한", "ㄱ", "ﾄﾞﾙ", "Ｕ", "ＵＳＤ", "＄", "$", "€", "₽", "US$", "K", "\u212a", "ﬀ"]
_CODES = ["USD", "usd", "Usd", "EUR", "ЕUR", "ЕUR", "RUB", "JPY", "ALL", "TOP", "CUP", "XUSD", "USDA", "U.S.D.", "u.s.d.",
          "U.S.", "у.е.", "Р.У.Б.", "e.g.", "i.e."]


def _text(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(1, 14)):
        kind = rng.random()
        if kind < 0.35:
            word = rng.choice(_WORDS)
            pieces.append(rng.choice([word, word.upper(), word.title(), word[:-1], word + word[-1:]]))
        elif kind < 0.55:
            pieces.append(rng.choice(_CODES))
        elif kind < 0.9:
            pieces.append(rng.choice(_GLUE))
        else:
            pieces.append(chr(rng.randint(0x20, 0x2fff)))
    return "".join(pieces)


@pytest.mark.parametrize("lang", LANGS)
def test_find_and_loose_marks_read_as_before(lang):
    reader, rng = marks(lang), random.Random(f"fast {lang}")
    for _ in range(2500):
        raw = _text(rng)
        for text in (normalize(raw), markdown_text(raw)):
            assert sorted(reader.find(text)) == sorted(_old_find(reader, text)), (lang, text)
            assert loose_marks(text, lang, None) == _old_loose(text, lang), (lang, text)


def test_a_long_page_reads_as_before():
    rng = random.Random("page")
    for lang in ("de", "ru", "ko", "ja"):
        page = " ".join(_text(rng) for _ in range(3000))
        assert sorted(marks(lang).find(page)) == sorted(_old_find(marks(lang), page))
        assert loose_marks(page, lang, None) == _old_loose(page, lang)


def test_every_words_word_is_found_whole_and_never_inside():
    for lang in LANGS:
        reader = marks(lang)
        for word in sorted(reader.words):
            for text in (word, f"({word})", f"x{word}", f"{word}x", f"5{word}5", f"_{word}_", f"{word}²", f"²{word}"):
                assert sorted(reader.find(text)) == sorted(_old_find(reader, text)), (lang, text)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
