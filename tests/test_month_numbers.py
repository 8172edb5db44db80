"""accounting.month_numbers reads a text with its pattern only where a month may be named (issue 17, round
11): the months it finds are the pattern's on every text, whatever its case and characters."""
from __future__ import annotations

import re
import sys

from hypothesis import given, settings, strategies as st

from workflow.editions import accounting
from workflow.editions.accounting import _MONTH_WORD, month_numbers


def _reference(text: str) -> list:
    """The pattern over the whole text, each month's number from its name as re.I reads it."""
    def month(name: str) -> str:
        name = name.lower().replace("i\u0307", "i").replace("\u0131", "i").replace("\u017f", "s")
        return str(accounting._MONTHS[name])
    return [(m.start(), m.end(), m.group(0), frozenset({month(m.group(0))})) for m in _MONTH_WORD.finditer(text)]


def _found(text: str) -> list:
    return [(n.start, n.end, n.text, n.values) for n in month_numbers(text)]


def test_the_characters_folded_to_ascii_are_all_those_re_ignorecase_matches():
    """Derived from Python's own re: every non-ASCII character that a month's letter matches under re.I."""
    everything = "".join(map(chr, range(128, sys.maxunicode + 1)))
    letters = sorted(set("".join(accounting._MONTHS)))
    folded = {char for letter in letters for char in re.findall(letter, everything, re.I)}
    assert folded == set(accounting._FOLDED_TO_ASCII)


def test_months_in_any_case_and_with_folded_letters_are_found():
    assert [n.values for n in month_numbers("Until FEBRUARY 2025, then may.")] == \
        [frozenset({"2"}), frozenset({"5"})]
    # the long s and dotted/dotless i match s and i under re.I: the reader's allowance holds
    for text, month in (("Auguſt 2025", "8"), ("Apr\u0130l 2025", "4"), ("apr\u0131l 2025", "4")):
        assert _found(text) == _reference(text) != [], text
        assert [n.values for n in month_numbers(text)] == [frozenset({month})]   # was a KeyError
    assert _found("dismay, Mayor, Junebug, 2025") == [] == _reference("dismay, Mayor, Junebug, 2025")


_PIECES = st.sampled_from(["january", "May", "MARCH", "auguſt", "Apr\u0130l", "apr\u0131l", "jUnE", "Dece",
                           "mber", "x", "_", "1", "é", " ", "\n", "**", "ſ", "\u212a", "\u0130", "ß", "Σ",
                           "月", "-"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=40))
def test_month_numbers_equal_the_pattern_over_the_whole_text(text):
    assert _found(text) == _reference(text)
