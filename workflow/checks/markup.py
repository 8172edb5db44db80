"""Checks on Markdown markup and on anything that could inject HTML or template code."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..editions.render import _strong_spans, has_syntax
from ..editions.segment import parser
from ..model import BIDI_CONTROLS
from .registry import BRACE, COLON, EQUALS, SOURCE_SYNTAX, SYNTAX, WWW, EntryView, check, per_source

_MD = parser()


def colon_follows(text: str, letters: str, spaces: bool = False) -> bool:
    """Whether a ':' of text comes right after one of `letters` (or after it and whitespace, with
    `spaces`). Looking back from each ':' costs ~0.3 us where a case-insensitive regex scans every
    position of the text (~5 us on a non-ASCII sentence with a colon, measured)."""
    at = text.find(":")
    while at != -1:
        end = at  # where the letter would end
        # step back over the whitespace (what rstrip strips) only: slicing text[:at] at every colon
        # made a text of colons quadratic (a 1 MB msgstr took 12 s)
        while spaces and end and text[end - 1].isspace():
            end -= 1
        if end and text[end - 1] in letters:
            return True
        at = text.find(":", at + 1)
    return False


# Under re.I only these characters equal an ASCII letter besides its two cases (found over all of
# Unicode, asserted by the tests): the hints below rest on it.
CASE_EXTRAS = {"i": "\u0130\u0131", "s": "\u017f"}


def _may_be_script_url(text: str) -> bool:
    # javascript: and vbscript: end in t (only t or T under re.I) before the colon; data: has text/html
    return colon_follows(text, "tT", spaces=True) or ("/" in text and ":" in text)


_INJECTION = [  # (pattern, what, a test every text with a match passes: without it there is no match)
    # possessive spaces: r"<\s*/?\s*[A-Za-z!?]" split a run of them between its two \s* every way (quadratic)
    (re.compile(r"<\s*+(?:/\s*+)?[A-Za-z!?]"), "raw HTML tag", lambda text: "<" in text),
    (re.compile(r"javascript\s*:|vbscript\s*:|data\s*:\s*text/html", re.I), "script URL", _may_be_script_url),
    (re.compile(r"\bon[a-z]+\s*=", re.I), "HTML event handler", lambda text: "=" in text),
    (re.compile(r"\{\{|\{%|\{#"), "template syntax", lambda text: "{" in text),
]


# A web, mail or phone address written as text: Markdown consumers that autolink (GitHub, chat apps,
# most editors) turn it into a link the source does not have, so it counts as a link here.
# The group is what r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\b(?:mailto|tel|sms|callto):)[^\s<>()\[\]\"'`]*"
# matches (tests/test_linear_text.py holds them equal), in linear time: that form tried the scheme at each
# letter of a run like "a.a.a.a" up to its end ("://" + "a." * 20_000 took 4 s). Here a scheme is tried
# once per run of scheme characters (none before it), only when "://" ends the run, and it starts at the
# run's first letter at a word boundary; the address is the run of address characters from there.
_ADDRESS = re.compile(r"(?i)(?:(?<![a-z0-9+.-])(?=[a-z0-9+.-]*+://)[a-z0-9+.-]*?(?=\b[a-z])"
                      r"|\b(?=www\.|(?:mailto|tel|sms|callto):))([^\s<>()\[\]\"'`]+)")


_NO_ADDRESS = Counter()  # shared: never changed in place


def may_have_address(text: str) -> bool:
    """A test every text with an _ADDRESS match passes: "://", "www." in any case, or a colon right after
    the o, l or s of mailto:, callto:, tel:, sms: (ſ is an s under re.I)."""
    return "://" in text or colon_follows(text, "oOlLsS" + CASE_EXTRAS["s"]) or "www." in text.lower()


def _addresses(text: str) -> Counter:
    if not may_have_address(text):
        return _NO_ADDRESS
    found = _ADDRESS.findall(text)
    return Counter(m.rstrip(".,;:!?").lower() for m in found) if found else _NO_ADDRESS


_PLAIN = ({}, [], 0)  # shared by all plain text (read only), so equal shapes are often identical


@lru_cache(maxsize=65536)  # every language checks the same msgids
def _shape(text: str) -> tuple[dict[str, int], list[str], int]:
    if not has_syntax(text):
        return _PLAIN
    spans = _strong_spans(text)   # only well-formed **bold** (editions.render): what parsing would count
    if spans is not None:
        return ({"strong_open": len(spans)} if spans else {}), [], 0
    return _parsed_shape(text)


def _parsed_shape(text: str) -> tuple[dict[str, int], list[str], int]:
    tokens = _MD.parseInline(text)[0].children or []
    # a dict, not the Counter: dict equality is C code, Counter's __eq__ a Python loop (~10x slower, measured);
    # counted kinds are never 0, so the two equalities agree
    kinds = dict(Counter(t.type for t in tokens if t.type.endswith("_open") or t.type in ("code_inline", "image")))
    links = sorted(t.attrs.get("href", "") for t in tokens if t.type == "link_open")
    leftover = sum(t.content.count("**") + t.content.count("__") for t in tokens if t.type == "text")
    return kinds, links, leftover


@check("markup", "error", "bold/italic/link markup unbalanced, added, removed or with a changed URL", needs=COLON | WWW | SYNTAX | SOURCE_SYNTAX)
def markup(view: EntryView):
    added = _addresses(view.entry.msgstr)
    if added:  # the source's addresses are read only when the translation has one (most have none)
        added = added - _addresses(view.entry.msgid)
    if added:
        yield f"web or phone address not in the source: {sorted(added)[0][:40]!r} (a linkifying reader makes it a link)"
    src_shape, shape = _shape(view.entry.msgid), _shape(view.entry.msgstr)
    if shape is src_shape or shape == src_shape:  # the usual case: nothing below could differ
        return
    (src_kinds, src_links, src_left), (kinds, links, left) = src_shape, shape
    if left > src_left:
        yield "unbalanced ** or __ in translation"
    for kind in ("strong_open", "em_open", "code_inline", "image"):
        if kinds.get(kind, 0) != src_kinds.get(kind, 0):
            name = {"strong_open": "bold", "em_open": "italic", "code_inline": "code", "image": "image"}[kind]
            yield f"{name} spans: source has {src_kinds.get(kind, 0)}, translation has {kinds.get(kind, 0)}"
    if links != src_links:
        added = sorted(set(links) - set(src_links))
        removed = sorted(set(src_links) - set(links))
        detail = "; ".join(filter(None, [f"added {added}" if added else "", f"removed {removed}" if removed else ""]))
        yield f"links differ from the source ({detail or 'count changed'})"


_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def bidi_reference(text: str) -> str | None:
    """A numeric character reference to a bidi control (&#8238; is U+202E): the reader refuses the
    character in a catalog, the rendered edition would hold it and show "{ambulance}" as 911."""
    for m in _REFERENCE.finditer(text) if "&#" in text else ():
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if code <= 0x10FFFF and chr(code) in BIDI_CONTROLS:
            return m.group(0)
    return None


@check("injection", "error", "raw HTML, script URLs, event handlers, template syntax or bidi controls in a translation", needs=SYNTAX | COLON | EQUALS | BRACE)
def injection(view: EntryView):
    msgstr = view.entry.msgstr
    reference = bidi_reference(msgstr)   # "&" is a SYNTAX bit
    if reference:
        yield f"bidi control {reference!r} in translation (it reorders what a reader sees)"
    for (pattern, what, may_match), in_source in zip(_INJECTION, _source_injection(view)):
        if in_source or not may_match(msgstr):
            continue
        found = pattern.search(msgstr)
        if found:
            if what == "template syntax" and view.source.brace_format and found.group(0) == "{{":
                continue  # an escaped literal brace in python-brace-format
            yield f"{what} {found.group(0)!r} in translation"


@per_source
def _source_injection(msgid: str) -> list[bool]:
    """Which injection patterns the source text itself has (then the translation may have them too)."""
    return [may_match(msgid) and pattern.search(msgid) is not None for pattern, _, may_match in _INJECTION]
