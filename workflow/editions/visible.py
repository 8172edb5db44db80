"""What a reader sees of a text, and the numbers and amounts in it: one normalization for check and verify.

Pure. `check` runs it on each msgstr with its placeholders rendered, verification on each rendered
edition (HTML text, Markdown text), so both judge the same thing: characters as a screen shows them.

normalize(): NFKC (full-width forms, superscripts, NBSP and thin spaces become plain), format characters
(category Cf: soft hyphen, zero-width, bidi marks), combining marks, private-use and unassigned
characters and Hangul fillers dropped, the braille blank a space, every script's decimal digits as
ASCII. markdown_text(): inline Markdown as read (entities and escapes decoded, emphasis and link
markup dropped, text kept), then normalize(). numbers(): one left-to-right pass that reads each number
with its grouping, a multiplier (万, lakh, million ...) and an adjacent currency sign or name
(editions.currencies: what each language reads as money).
"""
from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from markdown_it import MarkdownIt

from .render import _STARRED, _emphasis_spans
from .numerals import numerals_read as _numerals_read
from .screen import _PLAIN, _TRANSLATE, BMP_NUMERAL_RANGES, OTHER_NUMERALS, _ascii_form, _is_plain

_INLINE = MarkdownIt("commonmark", {"html": False}).enable("table")


def is_currency_sign(ch: str) -> bool:
    """A currency sign (category Sc) of any plane, from the Unicode database (never a hand list)."""
    return len(ch) == 1 and unicodedata.category(ch) == "Sc"


_MD_SYNTAX = re.compile(r"[*_\[\]!`\\<&]")


def _nfkc(text: str, chars: set[str]) -> tuple[str, set[str]]:
    """(unicodedata.normalize("NFKC", text), its characters), chars being set(text) or a set holding every
    character of text but plain ones (_Plain); the characters given back are then such a set too. Most texts fail the
    quick check only for spaces (NBSP, thin spaces of number formats): those are written as their
    decomposition first, which NFKC's own first step (NFKD) would do, and the whole-text normalization
    (~2.5 ms a page) is skipped if that suffices. The characters follow the replacements: set() of a page
    costs as much as the replacements (~0.5 ms)."""
    forms = [(ch, form) for ch in chars if not ch.isascii() and (form := _ascii_form(ch)) is not None]
    if forms:
        for ch, form in forms:  # str.replace per character: str.translate would look up every character
            text = text.replace(ch, form)
        if unicodedata.is_normalized("NFKC", text):
            return text, chars.difference(ch for ch, _ in forms).union(*(form for _, form in forms))
    text = unicodedata.normalize("NFKC", text)
    return text, set(text)


def characters(text: str) -> set[str]:
    """The characters of text NFKC and the screen have to look at: all but those known plain (screen._Plain),
    so every one the screen drops (format characters: a bidi control among them) that text holds."""
    return set() if text.isascii() else _others(text)


def _screened(text: str, chars: set[str] | None = None) -> str:
    """NFKC, then the screen (format characters and combining marks dropped, digits ASCII): normalize()
    before its whitespace is collapsed. The same object when nothing changes. chars: characters(text), where
    the caller has them."""
    if not text.isascii():
        if chars is None:  # once: the NFKC shortcut and the screen both look at these characters
            chars = _others(text)
        if not OTHER_NUMERALS.isdisjoint(chars):   # before NFKC, which makes Ⅻ the letters XII
            text, chars = _numerals_read(text, chars)
        if not unicodedata.is_normalized("NFKC", text):  # the quick check is several times cheaper
            text, chars = _nfkc(text, chars)
        text = _TRANSLATE.apply(text, chars)
    return text


def normalize(text: str) -> str:
    """Characters as a reader sees them, for comparing numbers (not for display)."""
    return " ".join(_screened(text).split())


def normalize_flat(flat: str, chars: set[str] | None = None) -> str:
    """normalize(text) from " ".join(text.split()): whitespace is whitespace to NFKC and the screen and
    composes with nothing (tests/test_number_routes.py); a page is split once, not twice, if they change nothing.
    chars: characters(flat), where the caller has them."""
    screened = _screened(flat, chars)
    return flat if screened == flat else " ".join(screened.split())


def markdown_text(markdown: str) -> str:
    """Inline Markdown as a reader sees it, normalized: markup dropped, entities and escapes decoded."""
    if _MD_SYNTAX.search(markdown):
        # **bold** and *emphasis* only (property-tested against markdown-it, as inline_plain reads them): no
        # parse; guides' "*Note: ...*" and table captions each cost a parse otherwise
        if _emphasis_spans(markdown) is not None:
            return normalize(_STARRED.sub(r"\2", markdown))
        tokens = _INLINE.parseInline(markdown)[0].children or []
        markdown = "".join(t.content if t.type in ("text", "code_inline", "text_special") else " "
                           if t.type in ("softbreak", "hardbreak") else "" for t in tokens)
    return normalize(markdown)


# --- numerals -------------------------------------------------------------------------------------
# with the formal (financial) forms a reader also reads as digits (玖玖玖 is 999); two of them together read
# as a number even in a word (陆陆续续 'one after another' is refused as 66: a translator rephrases)
_CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "壱": 1, "壹": 1, "二": 2, "弐": 2, "貳": 2, "贰": 2, "两": 2, "兩": 2,
               "三": 3, "参": 3, "參": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6,
               "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
               # and the BMP's other ideographs Unicode gives a digit's value, read as that digit too: 幺 is 1 as said
               # in a phone number (幺幺二: 112), 弌弍弎 old forms, 貮 叄 漆 formal variants (tests/test_redteam_r16.py);
               # not 仨 'the three of' (我们仨一起 would read 31): a 3 alone is no emergency number
               "幺": 1, "弌": 1, "弍": 2, "貮": 2, "㒃": 2, "弎": 3, "叄": 3, "亖": 4, "㐅": 5, "㠪": 5, "漆": 7,
               "㭍": 7, "廾": 9}
_CJK_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CJK_LARGE = {"万": 10**4, "萬": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12}
# Multiplier words after a number. Spelled-out numbers are out of scope (README); these are the words
# that scale a written number, in the languages the project ships and their neighbours.
_WORD_MULTIPLIERS = {
    "thousand": 10**3, "million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9,
    "trillion": 10**12, "lakh": 10**5, "lakhs": 10**5, "crore": 10**7, "crores": 10**7,
    "k": 10**3, "m": 10**6, "mn": 10**6, "bn": 10**9, "mil": 10**3, "millón": 10**6, "millones": 10**6,
    "mio": 10**6, "mrd": 10**9, "millionen": 10**6, "milliarde": 10**9, "milliarden": 10**9,
    "milliard": 10**9, "milliards": 10**9, "tys": 10**3, "mln": 10**6, "mld": 10**9,
    "ألف": 10**3, "آلاف": 10**3, "مليون": 10**6, "ملايين": 10**6, "مليار": 10**9,
    "हज़ार": 10**3, "हजार": 10**3, "लाख": 10**5, "करोड़": 10**7, "करोड": 10**7,
    "만": 10**4, "천": 10**3, "억": 10**8, "백": 100, "조": 10**12,
    "тыс": 10**3, "тысяч": 10**3, "тысячи": 10**3, "млн": 10**6, "миллион": 10**6, "миллионов": 10**6,
    "млрд": 10**9, "bin": 10**3, "milyon": 10**6, "milyar": 10**9, "triệu": 10**6, "nghìn": 10**3,
    "ngàn": 10**3, "tỷ": 10**9, "juta": 10**6, "ribu": 10**3, "miliar": 10**9, "ล้าน": 10**6, "พัน": 10**3,
    # German, French, Italian, Dutch, Portuguese, Polish words the bench's languages write ("5.000 € Tsd.")
    "tausend": 10**3, "tsd": 10**3, "mille": 10**3, "mila": 10**3, "milione": 10**6, "milioni": 10**6,
    "miliardo": 10**9, "miliardi": 10**9, "duizend": 10**3, "miljoen": 10**6, "miljoenen": 10**6,
    "miljard": 10**9, "miljarden": 10**9, "milhão": 10**6, "milhões": 10**6, "bilhão": 10**9, "bilhões": 10**9,
    "tysiąc": 10**3, "tysięcy": 10**3, "tysiące": 10**3, "milion": 10**6, "milionów": 10**6, "miliony": 10**6,
    "miliard": 10**9, "miliardów": 10**9,
}
_CJK = "".join(_CJK_DIGITS) + "".join(_CJK_SMALL) + "".join(_CJK_LARGE)
_SEP = "[,.'\u2019\u066b\u066c ]"
_SEP_RE = re.compile(_SEP)
# num is "[0-9]+(?:SEP[0-9]+)*|[CJK]+" written with one leading character class, which lets the
# regex engine skip ahead to a candidate character (6x faster on a page; equal matches: tests/test_visible.py)
_MULTIPLIER_WORDS = tuple(sorted(_WORD_MULTIPLIERS, key=len, reverse=True))  # as the pattern tries them
_MULTIPLIER = (rf"(?:\+? ?[{''.join(_CJK_SMALL) + ''.join(_CJK_LARGE)}]+)"
               rf"|(?:\+? ?(?:{'|'.join(map(re.escape, _MULTIPLIER_WORDS))})\.?(?!\w))")
_NUMBER = re.compile(
    rf"(?P<num>[0-9{_CJK}](?:(?<=[0-9])[0-9]*(?:{_SEP}[0-9]+)*|(?<=[{_CJK}])[{_CJK}]*))(?P<mult>{_MULTIPLIER})?",
    re.I)
_DIGIT_NUMERAL = set(_CJK_DIGITS)
# What a match of _NUMBER starts with: text without any of these has no number (numbers() reads normalized text).
_NUMERAL = re.compile(rf"[0-9{_CJK}]")
# In text as written: any script's digit, a CJK numeral, another numeral character of the BMP (Ⅻ, 〩:
# _numerals_read; the astral ones: hides_numeral), or "&" (an entity may hide one).
MAY_HAVE_NUMBER = re.compile(rf"[\d&{_CJK}{BMP_NUMERAL_RANGES}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def hides_numeral(text: str) -> bool:
    """Whether a compatibility form in text shows a reader a digit or numeral (or "&") that MAY_HAVE_NUMBER
    does not find in it as written: ㏠ (1日), ⼆ (二), ② (2), 🄂 (1,), whatever its plane or whether
    Unicode calls it numeric; or it holds a numeral character outside the BMP (𐄇, 𝍠). An NFKC-normalized text has none, so only the others are normalized."""
    if text.isascii():
        return False
    if _may_be_astral(text) and not OTHER_NUMERALS.isdisjoint(_ASTRAL.findall(text)):   # 𐄇 (Aegean), 𝍠
        return True
    if unicodedata.is_normalized("NFKC", text):
        return False
    return MAY_HAVE_NUMBER.search(unicodedata.normalize("NFKC", text)) is not None


# CPython (PEP 393) keeps a str holding a character outside the BMP at 4 bytes a character, which its size shows
_UCS4_HEADER = sys.getsizeof("\U00010000") - 8


def _may_be_astral(text: str) -> bool:
    """False only where text holds no character outside the BMP, at once from its size (PEP 393: 4 bytes a
    character for such a text; another may show that much too, with its UTF-8 form kept: then it is scanned).
    A scan of every non-ASCII msgstr without a digit (the check gate's) cost ~1 % of a build."""
    return sys.getsizeof(text) >= _UCS4_HEADER + 4 * (len(text) + 1)


def may_have_number(text: str) -> bool:
    """False only when a reader sees no number in text as written (markdown_text or normalize of it):
    exact over every character of Unicode (tests/test_number_routes.py)."""
    return MAY_HAVE_NUMBER.search(text) is not None or hides_numeral(text)


@dataclass(frozen=True)
class Number:
    text: str
    values: frozenset      # every value the written form may mean (grouping vs decimal separator)
    money: str             # the currency sign, code or name next to it, or ""
    start: int
    end: int


_CJK_LONGEST = 40   # characters of a CJK numeral read as a value; a real one is under 20 (一千二百三十四万五千六百七十八)


def _cjk_number(text: str) -> str:
    """The value of a CJK numeral; a longer run (a hostile "一" * 5000: an int of 5,000 digits, built in
    quadratic time, that str() refuses) is a number of its own, equal only to the same text."""
    return str(_cjk_value(text)) if len(text) <= _CJK_LONGEST else "cjk:" + text


def _cjk_value(text: str) -> int:
    total = section = digits = 0
    seen_digit = False
    for ch in text:
        if ch in _CJK_DIGITS or ch.isdigit():
            digits = digits * 10 + (_CJK_DIGITS[ch] if ch in _CJK_DIGITS else int(ch))
            seen_digit = True
        elif ch in _CJK_SMALL:
            section += (digits if seen_digit else 1) * _CJK_SMALL[ch]
            digits, seen_digit = 0, False
        elif ch in _CJK_LARGE:
            total += (section + digits or 1) * _CJK_LARGE[ch]
            section = digits = 0
            seen_digit = False
    return total + section + digits


def _grouped(parts: list[str]) -> bool:
    """Digit groups as a locale writes them: 1-3 leading digits, then groups of 3 (Indian: 2s, then 3)."""
    if not 1 <= len(parts[0]) <= 3:
        return False
    rest = [len(p) for p in parts[1:]]
    return all(n == 3 for n in rest) or (rest[-1] == 3 and all(n == 2 for n in rest[:-1]))


def _digit_values(token: str, decimal_marks: frozenset) -> set[str]:
    """Values a written digit run may mean, as exact decimal strings ("33.000" is not "33.0000").

    Well-formed groups read as grouping. The last mark reads as a decimal mark when it is the
    language's decimal mark, or when the digits are not well-formed groups ("1,5", "33,0000");
    never when other marks before it are the same. "40,000" in Japanese is forty thousand only."""
    parts = _SEP_RE.split(token)
    if len(parts) == 1:
        return {token.lstrip("0") or "0"}
    seps = _SEP_RE.findall(token)
    out = set()
    grouped = _grouped(parts) and len(set(seps)) == 1
    if grouped:
        out.add("".join(parts).lstrip("0") or "0")
    front_ok = len(parts) == 2 or (_grouped(parts[:-1]) and len(set(seps[:-1])) == 1)
    if seps[-1] != " " and front_ok and seps[-1] not in seps[:-1] and (seps[-1] in decimal_marks or not grouped):
        out.add(("".join(parts[:-1]).lstrip("0") or "0") + "." + parts[-1])
    return out or {"".join(parts)}


def _scaled(value: str, factor: int) -> str:
    return format((Decimal(value) * factor).normalize(), "f")


_DIGIT_RUN = re.compile(r"[0-9]+")


def _split_spaced(m: re.Match) -> list[tuple[int, int]]:
    """A space joins digit groups only before a group of exactly three digits ("10 000"); "119 9" is two."""
    text, start = m.group("num"), m.start("num")
    spans, begin = [], 0
    # where the digit run ending at each position starts: slicing the text after and before each space
    # (and searching the part before for 4 digits at its end) was quadratic in a "123 123 123 ..." number
    run_start = {d.end(): d.start() for d in _DIGIT_RUN.finditer(text)}
    for s in re.finditer(" ", text):
        nxt = _DIGIT_RUN.match(text, s.end())
        if not nxt or nxt.end() - s.end() != 3 or s.start() - max(run_start.get(s.start(), s.start()), begin) >= 4:
            spans.append((start + begin, start + s.start()))
            begin = s.end()
    spans.append((start + begin, start + len(text)))
    return spans


def _touches_digit(text: str, m: re.Match) -> bool:
    return text[m.start() - 1:m.start()].isdigit() or text[m.end():m.end() + 1].isdigit()


_NEW, _SET = object.__new__, object.__setattr__


def _number(text: str, values: frozenset, money: str, start: int, end: int) -> Number:
    """Number(text, values, money, start, end), its fields set in one call instead of the frozen
    dataclass's five object.__setattr__: they were half the cost of reading a plain number."""
    number = _NEW(Number)
    _SET(number, "__dict__", {"text": text, "values": values, "money": money, "start": start, "end": end})
    return number


def numbers(text: str, unit) -> list[Number]:
    """Every number in normalized text, in order, with its values and any currency next to it (unit: the
    language's currencies.Units)."""
    found = _ROUTE(text, unit)
    for i, number in enumerate(found):
        if number.money:
            found[i] = _scaled_after_money(text, number)
    return found


# A multiplier after the currency that follows a number ("33.000 US$ тыс.", "5.000 € Mio."): a reader takes it
# to scale the price as when it follows the number itself (the pattern reads only that one)
_MULTIPLIER_AFTER = re.compile(_MULTIPLIER, re.I)


def _scaled_after_money(text: str, number: Number) -> Number:
    at = number.end
    while text.startswith(" ", at):
        at += 1
    if not text.startswith(number.money, at):   # the currency is before the number
        return number
    at += len(number.money)
    m = _MULTIPLIER_AFTER.match(text, at)
    if m is None:   # a sign with letters of its own ("5 000 $US mille": the sign read is "$")
        letters = at
        while letters < len(text) and text[letters].isalpha():
            letters += 1
        m = _MULTIPLIER_AFTER.match(text, letters) if letters > at else None
    if m is None:
        return number
    factor = _factor(m.group())
    values = frozenset(_scaled(value, factor) for value in number.values)
    return _number(text[number.start:m.end()], values, number.money, number.start, m.end())


def _numbers_py(text: str, unit) -> list[Number]:
    """numbers(), the Python route: the reference of the compiled one (_visible.c) and its fallback."""
    out: list[Number] = []
    if not _NUMERAL.search(text):
        return out
    for m in _NUMBER.finditer(text):
        num = m.group("num")
        if m.group("mult") is None and num.isdigit():
            # most numbers: a run of ASCII digits (the pattern's only digits), no separator, no multiplier;
            # read as _matched() reads it (tests/test_number_routes.py), without its per-piece work
            start, end = m.span()
            out.append(_number(num, frozenset((num.lstrip("0") or "0",)), unit.money_at(text, start, end), start, end))
        else:
            out += _matched(text, m, unit)
    return out


def _factor(multiplier: str) -> int:
    """The factor of a multiplier as the pattern matched it (" 万", "+ million.", "" for none)."""
    multiplier = multiplier.strip(" .+")
    return _word_factor(multiplier) or (_cjk_value(multiplier) if multiplier else 1)


def _word_factor(word: str) -> int | None:
    """The factor of a multiplier word as _NUMBER matched it. re.IGNORECASE pairs more letters than
    str.lower() spells alike ("MİLYON", Cyrillic "ᲄыс"): where the plain lookup misses, the word the
    pattern took is found by the same engine (rare: only such spellings get there)."""
    factor = _WORD_MULTIPLIERS.get(word.lower())
    if factor is None and word and word[0] not in _CJK:
        factor = next((_WORD_MULTIPLIERS[w] for w in _MULTIPLIER_WORDS if re.fullmatch(re.escape(w), word, re.I)), None)
    return factor


def _matched(text: str, m: re.Match, unit) -> list[Number]:
    """The numbers of one match of _NUMBER: one, or several when spaces do not join its digit groups."""
    num = m.group("num")
    if num[0] in _CJK and not (len(num) >= 2 and num[0] in _DIGIT_NUMERAL or _touches_digit(text, m)):
        return []  # a lone 一 or 十 is part of many words (一般, 十分): alone it needs two characters
    factor = _factor(m.group("mult") or "")
    pieces = _split_spaced(m) if " " in num else [(m.start("num"), m.start("num") + len(num))]
    out = []
    for i, (s, e) in enumerate(pieces):
        piece = text[s:e]
        last = i == len(pieces) - 1
        values = {_cjk_number(piece)} if piece[0] in _CJK else _digit_values(piece, unit.decimal)
        if last and factor != 1:
            values = {_scaled(v, factor) for v in values}
        end = m.end() if last else e
        out.append(_number(text[s:end], frozenset(values), unit.money_at(text, s, end), s, end))
    return out


def _matched_at(text: str, start: int, unit) -> tuple[int, list[Number]]:
    """(end, numbers) of the match of _NUMBER at start: the compiled route's reading of CJK numerals and
    multipliers, which it leaves to this one."""
    m = _NUMBER.match(text, start)
    return m.end(), _matched(text, m, unit)


try:  # the compiled routes, built by `make setup` where a C compiler was found (setup.py: optional)
    from . import _visible as _compiled
    _compiled.configure(Number, _MULTIPLIER_WORDS, _matched_at, _CJK, "".join(_CJK_SMALL) + "".join(_CJK_LARGE),
                        "".join(_CJK_DIGITS), _is_plain)
except ImportError:
    _compiled = None


def choose_route(compiled: bool) -> None:
    """The one place choosing between the compiled routes and the Python ones (the reference): compiled
    where built; tests run both."""
    global _ROUTE, _others, ROUTE
    use = compiled and _compiled is not None
    _ROUTE, _others = (_compiled.numbers, _compiled.others) if use else (_numbers_py, _PLAIN.others)
    ROUTE = "compiled" if use else "python"   # named as in quick, pagetext and mdhtml


choose_route(True)
