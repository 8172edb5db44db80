"""Accounting: every number a reader sees must be one the source expects (editions.visible reads them).

Pure. `check` accounts for the numbers of a msgstr, verification for those of each rendered edition.
"""
from __future__ import annotations

import re

from .visible import Number, _number

_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"), start=1)}
# one group per month: the group that matched is its number (lower() of a name written with a letter re.I
# folds, "Auguſt", is no key of _MONTHS)
_MONTH_WORD = re.compile(r"\b(?:" + "|".join(f"({month})" for month in _MONTHS) + r")\b", re.I)
# The characters other than ASCII letters that re.I matches to a letter of a month's name (İ ı ſ;
# tests/test_month_numbers.py derives them): a text without them holds a month _MONTH_WORD finds only where
# its lower() holds the month's name
_FOLDED_TO_ASCII = ("\u0130", "\u0131", "\u017f")


def month_numbers(source_text: str) -> list[Number]:
    """The one allowance: a month named in the source may be written as its number (February 2025 ->
    2025年2月). Nothing else may add a number."""
    # twelve substring scans of the lowered text cost a third of the pattern's scan (\b and re.I at every
    # character), and most texts name no month: the pattern reads only those that may
    lowered = source_text.lower()
    if not any(month in lowered for month in _MONTHS) and (
            source_text.isascii() or not any(char in source_text for char in _FOLDED_TO_ASCII)):
        return []
    return [_number(m.group(0), frozenset((str(m.lastindex),)), "", m.start(), m.end())
            for m in _MONTH_WORD.finditer(source_text)]


def account(seen: list[Number], required: list[Number], optional: list[Number] = ()) -> tuple[list, list]:
    """(seen numbers no expected one accounts for, indexes of the required numbers nothing seen matches).

    Exact counts: each expected number accounts for one seen number. A seen amount of money needs an
    expected amount; a plain number may match an expected amount (a price rendered without its sign
    is still that price). Linear: expected numbers are indexed by value."""
    pool = list(required) + list(optional)
    by_value: dict[str, list[int]] = {}
    for i, number in enumerate(pool):
        for value in number.values:
            by_value.setdefault(value, []).append(i)
    used = [False] * len(pool)
    extra = []
    for number in seen:
        hit, values = None, number.values
        for value in values if len(values) == 1 else sorted(values):  # (most read as one value: nothing to order)
            for i in by_value.get(value, ()):
                if not used[i] and (not number.money or pool[i].money):
                    hit = i
                    break
            if hit is not None:
                break
        if hit is None:
            extra.append(number)
        else:
            used[hit] = True
    missing = [i for i in range(len(required)) if not used[i]]
    return extra, missing
