"""Checks on legal text (disclaimers), on translations a reader cannot see, and on the project glossary."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..editions.visible import markdown_text
from ..model import ERROR, WARNING
from .markup import CASE_EXTRAS
from .registry import DRAWN, LEGAL, SYNTAX, UNDRAWN, EntryView, check, per_source

TERM = "en"   # glossary.yaml writes each term under the source language's code
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|[。！？؟۔।॥]")   # with the danda of Hindi and Bengali
_WORD = re.compile(r"\w")
_HIDES = re.compile(r"[&\[<]")   # where Markdown may hold letters a reader does not see
# spacing vowel signs (category Mc: Devanagari ा ि ी ो...), drawn with their own width; \w leaves them out and
# an honest Hindi disclaimer read 47% of the English one (its non-spacing signs are dropped as undrawn).
# One per letter: a run of them (ाााा) pads nothing
_SPACING_MARK = re.compile(r"(?<=\w)[" + "".join(chr(c) for c in range(0x300, 0x1e000)
                                         if unicodedata.category(chr(c)) == "Mc") + "]")
_WIDE = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def sentences(text: str) -> int:
    """Sentence ends after a word: " . . ." or "!!!" end none (padding that would stand for dropped sentences)."""
    text = text.strip() + " "
    count = start = 0
    for end in _SENTENCE_END.finditer(text):
        count += _WORD.search(text, start, end.start()) is not None
        start = end.end()
    return count


def weighted_length(text: str) -> float:
    """Count of the letters, digits and spacing vowel signs written (\\w and Mc), where one CJK character weighs like 2.5 Latin ones
    (typical expansion): spaces, punctuation and symbols are not text that stands for a cut sentence
    (the braille blank, private-use characters and "...." padded a cut disclaimer to length)."""
    written = "".join(_WORD.findall(text))
    wide = len(_WIDE.findall(written))
    return len(written) - wide + 2.5 * wide + len(_SPACING_MARK.findall(text))


def shows_nothing(text: str) -> bool:
    """Whether a reader sees no letter or digit of text: spaces, punctuation, characters a screen draws as
    nothing (soft hyphen, zero-width, Hangul fillers, tags) or as a blank (the braille blank). A letter or
    digit as written shows unless it is in an entity, a link or image, an autolink or HTML (read then
    as a reader sees the text): emphasis, code spans and escapes show the letters they hold."""
    if DRAWN.search(text) and not _HIDES.search(text):
        return False
    return DRAWN.search(markdown_text(text)) is None


@check("blank", "error", "a translation that shows a reader nothing (a heading, label or sentence made invisible)",
       needs=UNDRAWN | SYNTAX)
def blank(view: EntryView):
    if shows_nothing(view.entry.msgstr) and not shows_nothing(view.entry.msgid):
        yield "translation shows no letter or digit: only spaces, punctuation or characters a screen does not draw"


@check("legal", "error", "disclaimer translation fuzzy, empty or shortened", on_untranslated=True, needs=LEGAL)
def legal(view: EntryView):
    if not view.source.legal:
        return
    entry = view.entry
    severity = ERROR if view.protected_policy == "refuse" else WARNING
    if not entry.msgstr:
        yield severity, "disclaimer is not translated; the edition shows it in English with a notice"
        return
    if entry.fuzzy:
        yield severity, "disclaimer translation is fuzzy; the edition shows it in English with a notice"
        return
    # measured as a reader sees them (editions.visible): zero-width characters, soft hyphens, combining marks,
    # entities of them or runs of spaces would otherwise stand for the text that was cut
    shown, source = markdown_text(entry.msgstr), markdown_text(entry.msgid)
    want, got = sentences(source), sentences(shown)
    if got < want:
        yield f"disclaimer translation has {got} sentences, the source has {want}: sentences were dropped"
    ratio = weighted_length(shown) / max(1.0, weighted_length(source))
    if ratio < 0.5:
        yield f"disclaimer translation is {ratio:.0%} of the source's length: text was cut"


@lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(term), re.I)


# Under re.I an ASCII character matches only its two cases and these (markup.CASE_EXTRAS, and the Kelvin
# sign, whose lower() is k): without them in a text, a match of an ASCII term is where text.lower() holds
# term.lower() (İ is also the one character lower() makes two).
_LOWER_MISSES = "".join(CASE_EXTRAS.values())


def has_term(term: str, text: str) -> bool:
    """Whether the glossary term occurs in text at a word start, case-insensitively: its pattern is
    searched only where a substring test cannot say no (most texts of a guide lack most terms; the
    pattern's re.I search with a look-behind costs ~10x the test)."""
    if term.isascii() and (text.isascii() or not any(ch in text for ch in _LOWER_MISSES)) \
            and term.lower() not in text.lower():
        return False
    return _term_pattern(term).search(text) is not None


@per_source
def _term_hits(msgid: str) -> dict[str, bool]:
    """Glossary term -> found in the source text; filled as terms are first looked up."""
    return {}


def _terms(view: EntryView) -> list[tuple[str, list[str]]]:
    """(English term, required renderings) for the run's language, worked out once per run."""
    memo = view.run.memo
    if "glossary" not in memo:
        terms = ((term, renderings(term, view.lang)) for term in view.glossary)
        memo["glossary"] = [(term[TERM], found) for term, found in terms if found]
    return memo["glossary"]


def renderings(term: dict, lang: str) -> list[str]:
    """The renderings a glossary term requires in lang: its own, else its base language's (pt for pt_BR).
    None for the source language's variants (en_XA, en_GB): under "en" stands the term itself, not a
    list of renderings (read as one, each of its letters counted as a rendering). One rendering may be
    written without a list."""
    found = term.get(lang) if lang != TERM else None
    if found is None and "_" in lang and lang.split("_")[0] != TERM:
        found = term.get(lang.split("_")[0])
    if isinstance(found, str):
        found = [found]
    return [r for r in found if isinstance(r, str) and r] if isinstance(found, list) else []


@check("glossary", "warning", "a glossary term translated without its required rendering")
def glossary(view: EntryView):
    terms = _terms(view)
    if not terms:
        return
    hits = _term_hits(view)
    msgstr = None
    for en, renderings in terms:
        hit = hits.get(en)
        if hit is None:
            hit = hits[en] = has_term(en, view.entry.msgid)
        if hit:
            msgstr = msgstr if msgstr is not None else view.entry.msgstr.lower()
            if not any(r.lower() in msgstr for r in renderings):
                yield f"'{en}' should be rendered as {' / '.join(renderings)}"
