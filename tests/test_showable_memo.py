"""showable.unshowable remembers each amount's verdicts for the process (issue 17): it reports exactly what
the plain route (price_misread of every price, nothing remembered) reports, whichever spelling of an
amount (1.5 / 1.50, 0 / -0, 1E+3 / 1000) a guide met first."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings, strategies as st

from workflow.editions import showable
from workflow.editions.localeformat import locale_for, price_misread
from workflow.model import ERROR, Document, Paragraph, Price, Problem, Segment, Text


def _plain(doc: Document, langs: list[str]) -> list[Problem]:
    problems, seen = [], set()
    for price, line in showable._prices(doc):
        if (price, line) in seen:
            continue
        seen.add((price, line))
        misread = {lang: price_misread(price, locale_for(lang)) for lang in langs}
        bad = [lang for lang, message in misread.items() if message]
        if bad:
            problems.append(Problem(doc.path, line, ERROR, f"{price.source!r} cannot be shown exactly in "
                                    f"{', '.join(bad)}: in {bad[0]}, {misread[bad[0]]} (write a whole amount)", "source.price"))
    return problems


spellings = st.sampled_from(["1.5", "1.50", "0", "-0", "0.0", "1E+3", "1000", "1000.0", "12", "12.00", "999999.5",
                             "1234567", "0.4", "2.5", "-3"]).map(Decimal)
prices = st.builds(lambda cur, low, high, approx, open_ended: Price(cur, low, high, approx, open_ended, f"${low}"),
                   st.sampled_from(["USD", "EUR", "JPY", "KRW"]), spellings, st.none() | spellings, st.booleans(),
                   st.booleans())
languages = st.lists(st.sampled_from(["de", "en_XA", "fr", "ja", "ko", "pt_BR", "ru", "ar", "hi", "de_CH", "sv"]),
                     min_size=1, max_size=5, unique=True)


def _doc(found: list[Price]) -> Document:
    blocks = []
    for n, price in enumerate(found):
        segment = Segment("costs {price1}", n + 1, "paragraph", {"price1": price})
        blocks.append(Paragraph(Text("costs {price1}", {"price1": price}, segment), n + 1))
    return Document("g", "source/g.md", {}, {}, blocks, [b.text.segment for b in blocks])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(prices, max_size=6), min_size=1, max_size=4), languages)
def test_remembered_verdicts_are_the_plain_ones(guides, langs):
    for found in guides:
        doc = _doc(found)
        assert showable.unshowable(doc, langs) == _plain(doc, langs)


def test_a_whole_amount_and_its_fraction_spelling_are_told_apart():
    showable._misread.cache_clear()
    for spelling in ("1.50", "1.5", "-0", "0"):
        doc = _doc([Price("USD", Decimal(spelling), source=spelling)])
        assert showable.unshowable(doc, ["de", "ja"]) == _plain(doc, ["de", "ja"])
    assert "1.50" in showable.unshowable(_doc([Price("USD", Decimal("1.50"))]), ["de"])[0].message
