"""Source facts a shipped language cannot show exactly: told to the author at `extract`, at the source line,
instead of every edition of the guide being refused at build (verify.price).

Pure: takes a parsed guide and language codes. Emergency numbers are shown as written (always exact); a
price goes through the locale's whole-amount currency pattern, so `$1.5` would read `$2`.
"""
from __future__ import annotations

from ..model import ERROR, Document, Price, Problem
from .localeformat import locale_for
from .segment import walk_texts
from .verify import price_misread


def _prices(doc: Document):
    """(price, source line) of the guide's body and front matter, in document order."""
    texts = list(walk_texts(doc.blocks)) + list(doc.meta_texts.values())
    for text in texts:
        for value in text.placeholders.values():
            if isinstance(value, Price):
                yield value, text.segment.line if text.segment else 1


def unshowable(doc: Document, langs: list[str], memo: dict | None = None) -> list[Problem]:
    """One error per source price some of `langs` would render as another amount, naming those languages.
    `memo`: the languages' verdicts per amount, shared by the guides of a run (the rendering depends on the
    values as written, not on the rest of the source's text)."""
    problems, seen, memo = [], set(), {} if memo is None else memo
    for price, line in _prices(doc):
        if (price, line) in seen:
            continue
        seen.add((price, line))
        # the values as written (str): 1.5 and 1.50 are equal Decimals, and the message describes its own
        amount = (price.currency, str(price.low), str(price.high), price.approx, price.open_ended)
        if amount not in memo:
            memo[amount] = {lang: price_misread(price, locale_for(lang)) for lang in langs}
        misread = memo[amount]
        bad = [lang for lang, message in misread.items() if message]
        if bad:
            problems.append(Problem(doc.path, line, ERROR, f"{price.source!r} cannot be shown exactly in "
                                    f"{', '.join(bad)}: in {bad[0]}, {misread[bad[0]]} (write a whole amount)",
                                    "source.price"))
    return problems
