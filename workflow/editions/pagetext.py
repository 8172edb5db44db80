"""A rendered page's visible text (text) and its whitespace-collapsed form (flat), for the verification.

Two routes, one choice (ROUTE): the compiled one (_pagetext.c, built by `make setup`) and the Python one
below, which is the reference tests/test_pagetext.py compares the compiled one with and the route where no C
compiler was found at install. Entities are decoded by html.unescape on either route, after the tags are
gone (an entity split by an inline tag reads whole, as it always did)."""
from __future__ import annotations

import re
from html import unescape

_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")
_INLINE_TAGS = {"strong", "em", "a", "code", "span", "b", "i"}  # what markdown-it puts inside a block


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


try:
    from ._pagetext import flat, strip_tags
    ROUTE = "compiled"
except ImportError:  # installed without a C compiler (setup.py: optional=True)
    flat, strip_tags = flat_py, strip_tags_py
    ROUTE = "python"


def text(html: str) -> str:
    """What a reader sees of html: tags gone (inline ones joining, block ones a space), entities decoded."""
    return unescape(strip_tags(html))
