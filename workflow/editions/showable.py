"""Source facts a shipped language cannot show exactly: told to the author at `extract`, at the source line,
instead of every edition of the guide being refused at build (verify.price).

Pure: takes a parsed guide and language codes. Emergency numbers are shown as written (always exact); a
price goes through the locale's whole-amount currency pattern, so `$1.5` would read `$2`.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ..model import ERROR, Document, Price, Problem
from .localeformat import locale_for, price_misread
from .segment import walk_texts


def _prices(doc: Document):
    """(price, source line) of the guide's body and front matter, in document order."""
    texts = list(walk_texts(doc.blocks)) + list(doc.meta_texts.values())
    for text in texts:
        for value in text.placeholders.values():
            if isinstance(value, Price):
                yield value, text.segment.line if text.segment else 1


def unshowable(doc: Document, langs: list[str]) -> list[Problem]:
    """One error per source price some of `langs` would render as another amount, naming those languages."""
    problems, seen = [], set()
    for price, line in _prices(doc):
        if (price, line) in seen:
            continue
        seen.add((price, line))
        # each value's exact spelling, not the Decimal: 1.5 and 1.50, 0 and -0 are equal but written
        # differently (describe(), Babel)
        amount = (price.currency, str(price.low), "" if price.high is None else str(price.high), price.approx,
                  price.open_ended)
        misread = {lang: _misread(*amount, lang) for lang in langs}
        bad = [lang for lang, message in misread.items() if message]
        if bad:
            problems.append(Problem(doc.path, line, ERROR, f"{price.source!r} cannot be shown exactly in "
                                    f"{', '.join(bad)}: in {bad[0]}, {misread[bad[0]]} (write a whole amount)",
                                    "source.price"))
    return problems


@lru_cache(maxsize=65536)
def _misread(currency: str, low: str, high: str, approx: bool, open_ended: bool, lang: str) -> str | None:
    """price_misread of the price these values spell ("" high: none), for the guides of a process: they
    repeat their amounts (300 bench guides hold 4,400 prices, 1,173 amounts)."""
    price = Price(currency, Decimal(low), Decimal(high) if high else None, approx, open_ended)
    return price_misread(price, locale_for(lang))
