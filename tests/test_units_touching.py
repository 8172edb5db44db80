"""Units.touching tries only the lengths of the units sharing a window's first or last three characters
(currencies._by_edge, round 16): it answers as round 15's touching, which tried every length of the units with
the window's first or last letter (kept here as the reference), on windows made of each language's units cut,
cased and glued to letters, digits, signs, spaces and characters str.lower() lengthens or reads by context."""
from __future__ import annotations

import random

import pytest

from workflow.editions.currencies import _HAN_KANA, units
from workflow.editions.currency_words import ORDINARY_BEFORE_A_NUMBER
from workflow.editions.visible import is_currency_sign


def _lengths(words, index: int) -> dict[str, list[int]]:
    out: dict[str, set[int]] = {}
    for word in words:
        out.setdefault(word[index], set()).add(len(word))
    return {ch: sorted(ns, reverse=True) for ch, ns in out.items()}


def _latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _reference(unit, firsts, lasts, before: str, after: str) -> str:
    after, before = after.lstrip(" "), before.rstrip(" ")
    if is_currency_sign(after[:1]) or is_currency_sign(before[-1:]):
        return after[:1] if is_currency_sign(after[:1]) else before[-1:]
    if after[:3] in unit.codes and not _latin_letter(after[3:4]):
        return after[:3]
    if before[-3:] in unit.codes and not _latin_letter(before[-4:-3]):
        return before[-3:]
    low = after.lower()
    for k in firsts.get(low[:1], ()):
        if low[:k] in unit.units and (not low[:k].isascii() or not low[k:k + 1].isalpha()):
            return after[:k]
    low = before.lower()
    for k in lasts.get(low[-1:], ()):
        word, starts = low[-k:], not low[-k - 1:-k].isalpha()
        inside = not word.isascii() and (k > 1 or not _HAN_KANA.match(low[-k - 1:-k] or " "))
        if len(low) >= k and (word in unit.names and (starts or inside)
                              or word in unit.units and starts and word not in ORDINARY_BEFORE_A_NUMBER):
            return before[-k:]
    return ""


@pytest.mark.parametrize("lang", ["en", "de", "ru", "ko", "ja", "zh_CN", "ar", "tr", "el", "pt_BR", "hi"])
def test_touching_answers_as_trying_every_length(lang):
    unit, rng = units(lang), random.Random(lang)
    firsts, lasts = _lengths(unit.units, 0), _lengths(unit.units, -1)
    words = sorted(unit.units)
    glue = ["", " ", "a", "x ", "日", "İ", "Σ", "ς", "ab", "1", ".", "$", "US", "ドル", "元"]
    for _ in range(3000):
        word = rng.choice(words)
        cut = rng.randrange(len(word) + 1)
        for before, after in ((rng.choice(glue) + word, rng.choice(glue)), (rng.choice(glue), word + rng.choice(glue)),
                              (word[cut:], word[:cut]), (rng.choice(glue) + word.upper(), word.title() + rng.choice(glue))):
            assert unit.touching(before, after) == _reference(unit, firsts, lasts, before, after), (before, after)
