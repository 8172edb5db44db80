"""Where the parts of a rendered guide page are, for the verification: its body (from <div class="body"> to the
matching </div>) and the text around it, the emergency box's numbers and labels, the attributes a screen reader
says. Pure; every text and attribute value on a page went through an escaper, so a literal "<" starts a tag."""
from __future__ import annotations

import re
from collections import Counter
from html import unescape

from .pagetext import BODY_TAG_KINDS, body_end, body_tags, text as _text

BODY_START = '<div class="body">'
_FACT = re.compile(r'data-fact="([^"]*)"[^>]*>([^<]*)<')
# what follows an emergency box number up to the next number or the end of its item: its label
_FACT_LABEL = re.compile(r'data-fact="([^"]*)"[^>]*>[^<]*(.*?)(?=data-fact=|</(?:li|ul|ol|dl|dd|aside|div|p|tr|td|section)>)',
                         re.S)
# attributes a screen reader says (aria-label="..." of a table region): no emergency label is checked there
_SPOKEN = ('aria-label="', 'title="', 'alt="')


def _body_span(html: str) -> tuple[int, int]:
    """Where the guide body is: from its <div class="body"> to the matching </div>."""
    start = html.find(BODY_START)
    if start < 0:
        return len(html), len(html)
    return start, body_end(html, start)


def _body(html: str) -> str:
    start, end = _body_span(html)
    return html[start:end]


def read_page(html: str) -> tuple[tuple[str, ...], str, Counter, dict[str, str]]:
    """(the page's visible text as (head, body, tail), or (whole page,) when it cannot be cut, the body's
    text, its tag counts, the emergency box numbers). Each part of the page is read once.

    Regular expressions are exact here: every text and attribute value on the page went through an
    escaper, so a literal "<" can only start a tag."""
    start, end = _body_span(html)
    body = html[start:end]
    tags = Counter({kind: count for kind, count in zip(BODY_TAG_KINDS, body_tags(body)) if count})
    facts = _box_numbers(html)
    body_text = _text(body)
    return _page_pieces(html, start, end, body_text), body_text, tags, facts


def _page_pieces(html: str, start: int, end: int, body_text: str) -> tuple[str, ...]:
    """Pieces of _text(html) with the body's text in the middle: it starts with a block tag and the tail
    with </div>, which read as spaces, so no entity spans the cuts; no tag does either unless a '<'
    before a cut is left open (then the page is read whole, one piece)."""
    for left, right in ((0, start), (start, end)):
        if html.rfind("<", left, right) > html.rfind(">", left, right):
            return (_text(html),)
    return _text(html[:start]), body_text, _text(html[end:])


def _spoken(html: str):
    """The values of the attributes a screen reader says (str.find: a regex scan of a page costs ~10x)."""
    for attribute in _SPOKEN:
        at = html.find(attribute)
        while at >= 0:
            start = at + len(attribute)
            end = html.find('"', start)
            if html[at - 1:at].isspace() and end >= 0:
                yield unescape(html[start:end])
            at = html.find(attribute, start)


def _box_numbers(html: str) -> dict[str, str]:
    """The number each emergency box entry (data-fact) shows, by fact id."""
    return {m.group(1): unescape(m.group(2)) for m in _FACT.finditer(html)}


def _box_labels(html: str) -> dict[str, str]:
    """The text after each emergency box number (data-fact) up to the next one or the end of its item."""
    return {m.group(1): _text(m.group(2)) for m in _FACT_LABEL.finditer(html)}
