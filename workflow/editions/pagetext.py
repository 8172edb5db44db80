"""A rendered page's visible text (text), its whitespace-collapsed form (flat), where its body ends (body_end),
the body's block tags (body_tags) and its emergency box (box_numbers, box_labels), for the verification.

Two routes, one choice (ROUTE): the compiled one (_pagetext.c, built by `make setup`) and the Python one
below, which is the reference tests/test_pagetext.py compares the compiled one with and the route where no C
compiler was found at install. Entities are decoded after the tags are gone (an entity split by an inline tag
reads whole, as it always did): by html.unescape, or on the compiled route (decode) the references the page's
escapers write in C and any other text by html.unescape."""
from __future__ import annotations

import re
from collections import Counter
from html import unescape

_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")
_INLINE_TAGS = {"strong", "em", "a", "code", "span", "b", "i"}  # what markdown-it puts inside a block
_DIV = re.compile(r"<(/?)div[\s>]")
_BODY_TAG = re.compile(r"<(h[1-6]|table|tr|li|th|td|p)[\s>]")
_TAG_KIND = {"th": "cell", "td": "cell", **{f"h{level}": "heading" for level in range(1, 7)}}
BODY_TAG_KINDS = ("heading", "table", "tr", "li", "cell", "p")  # body_tags' counts, in this order
_FACT_AT = 'data-fact="'   # where _FACT and _FACT_LABEL can match: each starts with it
_FACT = re.compile(r'data-fact="([^"]*)"[^>]*>([^<]*)<')
# what follows an emergency box number up to the next number or the end of its item: its label
_FACT_LABEL = re.compile(r'data-fact="([^"]*)"[^>]*>[^<]*(.*?)(?=data-fact=|</(?:li|ul|ol|dl|dd|aside|div|p|tr|td|section)>)',
                         re.S)


def strip_tags_py(html: str) -> str:
    # inline tags join what they split (1<strong>1</strong>9 reads 119); block tags separate. One split
    # and one list of gaps, not a Python call per tag (~700 tags a page): _TAG.sub with a function, as
    # tests/test_fast_routes.py has it, gives the same text
    parts = _TAG.split(html)  # text, "/" or "", tag name, text, ...
    parts[1::3] = [""] * (len(parts) // 3)
    parts[2::3] = ["" if name.lower() in _INLINE_TAGS else " " for name in parts[2::3]]
    return "".join(parts)


def flat_py(text: str) -> str:
    return " ".join(text.split())


def body_end_py(html: str, start: int) -> int:
    """Where the <div> at start closes (the start of its </div>), or len(html)."""
    depth = 0
    for m in _DIV.finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    return len(html)


def body_tags_py(body: str) -> tuple[int, ...]:
    tags: Counter = Counter()
    for name, count in Counter(_BODY_TAG.findall(body)).items():
        tags[_TAG_KIND.get(name, name)] += count
    return tuple(tags[kind] for kind in BODY_TAG_KINDS)


def unescape_compiled(text: str) -> str:
    """html.unescape(text): the references a page's escapers write decoded in one compiled pass
    (_pagetext.unescape_known; html.unescape's regular expression costs ~8 instructions a character of a page's
    text), a text with any other '&' by html.unescape itself."""
    decoded = _pagetext.unescape_known(text)
    return unescape(text) if decoded is None else decoded


try:
    from . import _pagetext
    from ._pagetext import body_end, body_tags, flat, strip_tags
    decode, ROUTE = unescape_compiled, "compiled"
except ImportError:  # installed without a C compiler (setup.py: optional=True)
    body_end, body_tags, flat, strip_tags = body_end_py, body_tags_py, flat_py, strip_tags_py
    decode, ROUTE = unescape, "python"


def text(html: str) -> str:
    """What a reader sees of html: tags gone (inline ones joining, block ones a space), entities decoded."""
    return decode(strip_tags(html))


def box_numbers(html: str) -> dict[str, str]:
    """The number each emergency box entry (data-fact) shows, by fact id."""
    return {m.group(1): unescape(m.group(2)) for m in _fact_matches(_FACT, html)}


def box_labels(html: str) -> dict[str, str]:
    """The text after each emergency box number (data-fact) up to the next one or the end of its item."""
    return {m.group(1): text(m.group(2)) for m in _fact_matches(_FACT_LABEL, html)}


def _fact_matches(pattern: re.Pattern, html: str):
    """pattern.finditer(html) for a pattern that starts with _FACT_AT: tried only where str.find finds that
    (the pattern's own search walks a page at ~5 instructions a character, str.find skips)."""
    at = html.find(_FACT_AT)
    while at >= 0:
        found = pattern.match(html, at)
        if found:
            yield found
        at = html.find(_FACT_AT, found.end() if found else at + 1)
