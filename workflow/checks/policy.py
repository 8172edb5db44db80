"""Checks on legal text (disclaimers), on translations a reader cannot see, and on the project glossary."""
from __future__ import annotations

import re
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
# One per letter: a run of them (ाााा) pads nothing. The code points of category Mc from U+0300 to U+1DFFF
# (Unicode 14.0, Python 3.11's unicodedata) as ranges: deriving them at import (120,000 unicodedata.category
# calls) cost every process ~50 ms.
# tests/test_import_costs.py holds them equal to unicodedata's, so a new Unicode version fails there.
SPACING_MARKS = (
    0x0903, 0x093B, (0x093E, 0x0940), (0x0949, 0x094C), (0x094E, 0x094F), (0x0982, 0x0983), (0x09BE, 0x09C0),
    (0x09C7, 0x09C8), (0x09CB, 0x09CC), 0x09D7, 0x0A03, (0x0A3E, 0x0A40), 0x0A83, (0x0ABE, 0x0AC0), 0x0AC9,
    (0x0ACB, 0x0ACC), (0x0B02, 0x0B03), 0x0B3E, 0x0B40, (0x0B47, 0x0B48), (0x0B4B, 0x0B4C), 0x0B57, (0x0BBE, 0x0BBF),
    (0x0BC1, 0x0BC2), (0x0BC6, 0x0BC8), (0x0BCA, 0x0BCC), 0x0BD7, (0x0C01, 0x0C03), (0x0C41, 0x0C44),
    (0x0C82, 0x0C83), 0x0CBE, (0x0CC0, 0x0CC4), (0x0CC7, 0x0CC8), (0x0CCA, 0x0CCB), (0x0CD5, 0x0CD6),
    (0x0D02, 0x0D03), (0x0D3E, 0x0D40), (0x0D46, 0x0D48), (0x0D4A, 0x0D4C), 0x0D57, (0x0D82, 0x0D83),
    (0x0DCF, 0x0DD1), (0x0DD8, 0x0DDF), (0x0DF2, 0x0DF3), (0x0F3E, 0x0F3F), 0x0F7F, (0x102B, 0x102C), 0x1031, 0x1038,
    (0x103B, 0x103C), (0x1056, 0x1057), (0x1062, 0x1064), (0x1067, 0x106D), (0x1083, 0x1084), (0x1087, 0x108C),
    0x108F, (0x109A, 0x109C), 0x1715, 0x1734, 0x17B6, (0x17BE, 0x17C5), (0x17C7, 0x17C8), (0x1923, 0x1926),
    (0x1929, 0x192B), (0x1930, 0x1931), (0x1933, 0x1938), (0x1A19, 0x1A1A), 0x1A55, 0x1A57, 0x1A61, (0x1A63, 0x1A64),
    (0x1A6D, 0x1A72), 0x1B04, 0x1B35, 0x1B3B, (0x1B3D, 0x1B41), (0x1B43, 0x1B44), 0x1B82, 0x1BA1, (0x1BA6, 0x1BA7),
    0x1BAA, 0x1BE7, (0x1BEA, 0x1BEC), 0x1BEE, (0x1BF2, 0x1BF3), (0x1C24, 0x1C2B), (0x1C34, 0x1C35), 0x1CE1, 0x1CF7,
    (0x302E, 0x302F), (0xA823, 0xA824), 0xA827, (0xA880, 0xA881), (0xA8B4, 0xA8C3), (0xA952, 0xA953), 0xA983,
    (0xA9B4, 0xA9B5), (0xA9BA, 0xA9BB), (0xA9BE, 0xA9C0), (0xAA2F, 0xAA30), (0xAA33, 0xAA34), 0xAA4D, 0xAA7B, 0xAA7D,
    0xAAEB, (0xAAEE, 0xAAEF), 0xAAF5, (0xABE3, 0xABE4), (0xABE6, 0xABE7), (0xABE9, 0xABEA), 0xABEC, 0x11000, 0x11002,
    0x11082, (0x110B0, 0x110B2), (0x110B7, 0x110B8), 0x1112C, (0x11145, 0x11146), 0x11182, (0x111B3, 0x111B5),
    (0x111BF, 0x111C0), 0x111CE, (0x1122C, 0x1122E), (0x11232, 0x11233), 0x11235, (0x112E0, 0x112E2),
    (0x11302, 0x11303), (0x1133E, 0x1133F), (0x11341, 0x11344), (0x11347, 0x11348), (0x1134B, 0x1134D), 0x11357,
    (0x11362, 0x11363), (0x11435, 0x11437), (0x11440, 0x11441), 0x11445, (0x114B0, 0x114B2), 0x114B9,
    (0x114BB, 0x114BE), 0x114C1, (0x115AF, 0x115B1), (0x115B8, 0x115BB), 0x115BE, (0x11630, 0x11632),
    (0x1163B, 0x1163C), 0x1163E, 0x116AC, (0x116AE, 0x116AF), 0x116B6, (0x11720, 0x11721), 0x11726,
    (0x1182C, 0x1182E), 0x11838, (0x11930, 0x11935), (0x11937, 0x11938), 0x1193D, 0x11940, 0x11942,
    (0x119D1, 0x119D3), (0x119DC, 0x119DF), 0x119E4, 0x11A39, (0x11A57, 0x11A58), 0x11A97, 0x11C2F, 0x11C3E, 0x11CA9,
    0x11CB1, 0x11CB4, (0x11D8A, 0x11D8E), (0x11D93, 0x11D94), 0x11D96, (0x11EF5, 0x11EF6), (0x16F51, 0x16F87),
    (0x16FF0, 0x16FF1), (0x1D165, 0x1D166), (0x1D16D, 0x1D172),
)
_SPACING_MARK = re.compile(r"(?<=\w)[" + "".join(chr(r) if isinstance(r, int) else f"{chr(r[0])}-{chr(r[1])}"
                                         for r in SPACING_MARKS) + "]")


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
    # CJK ideographs and kana, Hangul syllables, full-width forms: compared, not a regex class (sre compiles a class
    # of ranges above U+00FF code point by code point: ~5 ms at import in every process, for a few legal texts)
    wide = sum(1 for ch in written
               if "\u3000" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uff00" <= ch <= "\uffef")
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
