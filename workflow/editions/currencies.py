"""What a reader of one language recognizes as money next to a number: currency signs, ISO codes, names
and unit words, from CLDR through Babel and currency_words.py's supplement (read once per language and process)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import product

from babel import Locale

from .currency_words import ORDINARY_BEFORE_A_NUMBER, extra_words
from .visible import is_currency_sign, normalize


_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_X_TENDER = {"XAF", "XOF", "XPF", "XCD"}
_PARENS = re.compile(r"\([^)]*\)")
_DOTTED = re.compile(r"(?:[^\W\d_]+\.)+")  # ر.س. of CLDR, written ر.س as often
_NOUN_FIRST = {"es", "fr", "pt", "it", "ca", "ro", "gl", "ar", "fa", "he", "ur", "id", "ms", "vi"}  # noun, then adjective


def _by_edge(words, side: int) -> dict[str, tuple[int, ...]]:
    """The words' lengths by their first (side 0) or last (side -1) three characters, a shorter word by itself,
    longest first: the lengths touching() tries (by its first or last letter alone, up to 31 a window, each a
    slice and a set look-up, were most of its cost; a tree of the units cost ~10 M instructions a language)."""
    out: dict[str, set[int]] = {}
    for word in words:
        out.setdefault(word[:3] if side == 0 else word[-3:], set()).add(len(word))
    return {edge: tuple(sorted(ns, reverse=True)) for edge, ns in out.items()}


def _edge_lengths(table: dict[str, tuple[int, ...]], text: str, side: int) -> list[int]:
    """The lengths of the words of _by_edge's table that may start (side 0) or end (side -1) text, longest first."""
    found: list[int] = []
    for n in (3, 2, 1):
        if len(text) >= n:
            found += table.get(text[:n] if side == 0 else text[-n:], ())
    return found


def _plausible(names: set[str]) -> set[str]:
    """A name has a letter; a lone Latin letter or pair ("m", "us") is too common next to a number."""
    return {n for n in names if is_currency_sign(n) or re.search(r"[^\W\d_]", n)
            and not (n.isascii() and len(n) <= 2 and n.isalpha())}


def _unit_suffixes(name: str) -> set[str]:
    """Unit words at the end of unspaced Han/kana names: 円 of 日本円, ドル of 米ドル."""
    if " " in name or not all(_HAN_KANA.match(ch) for ch in name):
        return set()
    out = {name[-2:], name[-3:]} if len(name) > 2 else set()
    if "CJK UNIFIED" in unicodedata.name(name[-1], ""):
        out.add(name[-1])
    return out


@lru_cache(maxsize=64)
def _currency_words(loc: Locale) -> tuple[frozenset, dict, dict]:
    """(currency names and symbols, unit-word weights, unspaced-suffix counts) of one locale's CLDR data,
    normalized. Read once per process: English's serve every language (~5 ms of each units())."""
    names: set[str] = {normalize(s).lower() for s in loc.currency_symbols.values()}
    unit_words: dict[str, int] = {}
    suffixes: dict[str, int] = {}
    countries = {normalize(name).lower() for name in loc.territories.values()}
    for code, name in loc.currencies.items():
        if code.startswith("X") and code not in _X_TENDER:
            continue  # gold, units of account, test codes: not money a reader pays with
        forms = {name} | set(loc._data.get("currency_names_plural", {}).get(code, {}).values())
        for form in forms:
            form = _PARENS.sub("", normalize(form).lower()).strip()
            if form in countries:
                continue  # ja "メキシコ (UDI)", "ボリビア (Mvdol)": a fund's unit in parentheses, a country's name without
            names.add(form)
            words = form.split()
            if len(words) > 1:  # the unit noun: last in most languages, first in Romance, Semitic...
                for word in {words[-1]} | ({words[0]} if loc.language in _NOUN_FIRST else set()):
                    unit_words[word] = unit_words.get(word, 0) + (99 if loc.language == "en" else 1)
            for suffix in _unit_suffixes(form):
                suffixes[suffix] = suffixes.get(suffix, 0) + 1
    return frozenset(names), unit_words, suffixes


@lru_cache(maxsize=64)
def units(lang: str) -> "Units":
    return Units.for_locale(lang)


@dataclass(frozen=True)
class Units:
    """Currency signs, codes and names a reader of one language recognizes (CLDR through Babel)."""
    codes: frozenset
    names: frozenset       # full names and symbols: read before or after a number
    units: frozenset       # those, the unit words derived from them and currency_words': read after a number,
                           # and before one where no letter precedes them ("dollars 2026", not "병원 2026")
    longest: int
    decimal: frozenset     # the language's decimal marks, normalized
    after_lengths: dict    # first three characters -> lengths of the units starting with them, longest first (_by_edge)
    before_lengths: dict   # last three characters -> lengths of the units ending with them, longest first
    # touch_after's and touch_before's answers, kept for the compiled route of visible.numbers() (_visible.c)
    after_memo: dict = field(default_factory=dict, compare=False, repr=False)
    before_memo: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_locale(cls, lang: str) -> "Units":
        from babel.core import get_global
        try:
            locale = Locale.parse(lang)
        except Exception:  # noqa: BLE001 - pseudo or unknown: its base language, then English
            locale = Locale.parse(lang.split("_")[0]) if lang.split("_")[0].isalpha() else Locale("en")
        names: set[str] = set()
        unit_words: dict[str, int] = {}
        suffixes: dict[str, int] = {}
        for loc in {locale, Locale("en")}:
            loc_names, loc_words, loc_suffixes = _currency_words(loc)
            names |= loc_names
            for word, weight in loc_words.items():
                unit_words[word] = unit_words.get(word, 0) + weight
            for suffix, count in loc_suffixes.items():
                suffixes[suffix] = suffixes.get(suffix, 0) + count
        # a word is a unit when several currencies share it (dollar, 원, dólares); an unspaced suffix
        # (ドル of 米ドル) when three do, one Han character (元 of 美元, 日元, 港元) when ten do
        units = {w for w, n in unit_words.items() if n >= 2}
        units |= {w for w, n in suffixes.items() if n >= (10 if len(w) == 1 else 3)}
        names |= {n[:-1] for n in names if not n.isascii() and n.count(".") > 1 and _DOTTED.fullmatch(n)}
        names = _plausible(names)
        units = _plausible(units) | names | {normalize(w).lower() for w in extra_words(lang)}
        units |= {form for w in units for form in _capitals_lowered(w, locale.language)}
        codes = frozenset(get_global("all_currencies"))
        systems = {"latn", locale.default_numbering_system}
        decimal = frozenset(normalize(locale.number_symbols.get(s, {}).get("decimal", ".")) for s in systems)
        return cls(codes, frozenset(names), frozenset(units),
                   max(map(len, units)), decimal, _by_edge(units, 0), _by_edge(units, -1))

    def money_at(self, text: str, start: int, end: int) -> str:
        """The currency sign, code or name touching text[start:end] (spaces allowed), or ""."""
        return self.touching(text[max(0, start - 1 - self.longest):start], text[end:end + 1 + self.longest])

    def touching_after(self, text: str, end: int) -> str:
        """touching("", money_at's window after text[:end]), asked only where touch_after does not say nothing can
        follow (its memo shared with _visible.c): most amounts on a page stand before a space and a word."""
        window = text[end:end + 1 + self.longest]
        return self.touching("", window) if self._may_touch(0, window.lstrip(" ")[:2]) else ""

    def touching_before(self, text: str, start: int) -> str:
        """touching(money_at's window before text[start:], ""), where touch_before does not say nothing can precede."""
        window = text[max(0, start - 1 - self.longest):start]
        return self.touching(window, "") if self._may_touch(1, window.rstrip(" ")[-2:]) else ""

    def _may_touch(self, side: int, key: str) -> bool:
        memo = self.before_memo if side else self.after_memo
        kind = memo.get(key)
        if kind is None:
            kind = (self.touch_before if side else self.touch_after)(key)
            if len(memo) < 100_000:  # as _visible.c keeps them: hostile text of every pair stays bounded
                memo[key] = kind
        return kind != 0

    def touch_after(self, start: str) -> int:
        """What touching() may find when its `after` (spaces stripped) starts with `start`, its first two characters
        (one where its window ends): 2 a currency sign (touching's first answer: the sign after the number), 0
        nothing whatever follows (no code, unit or name, as lowered, starts so or is a start of it), 1 maybe.
        visible.numbers()' compiled route asks money_at() only where a side says 1 (_visible.c)."""
        if is_currency_sign(start[:1]):
            return 2
        return int(start in self._code_ends[0] or any(len(low) > 2 or low in self._ends[0] or low[:1] in self.units
                                                       for low in _lowered(start)))

    def touch_before(self, end: str) -> int:
        """touch_after's answer for touching()'s `before` (spaces stripped) ending with `end`, its last two
        characters (one where its window starts): 2 a currency sign, 0 nothing whatever precedes, 1 maybe."""
        if is_currency_sign(end[-1:]):
            return 2
        return int(end in self._code_ends[1] or any(len(low) > 2 or low in self._ends[1] or low[-1:] in self.units
                                                    for low in _lowered(end)))

    @cached_property
    def _ends(self) -> tuple[frozenset, frozenset]:
        """(the first one and two characters of every unit, the last one and two of every unit): a start of two
        characters lowered to two or fewer (any other is a maybe) is a unit's start or starts with a unit of one
        character; made once per language and process (every start of every length cost ~20 ms)."""
        return (frozenset(u[:1] for u in self.units) | frozenset(u[:2] for u in self.units),
                frozenset(w[-1:] for w in self.units) | frozenset(w[-2:] for w in self.units))

    @cached_property
    def _code_ends(self) -> tuple[frozenset, frozenset]:
        return (frozenset(c[:n] for c in self.codes for n in (1, 2)), frozenset(c[-n:] for c in self.codes for n in (1, 2)))

    def touching(self, before: str, after: str) -> str:
        """The currency sign, code or name at the end of `before` or the start of `after` (spaces
        allowed between), or "": a sign must be the next character, a word must end there."""
        after, before = after.lstrip(" "), before.rstrip(" ")
        if is_currency_sign(after[:1]) or is_currency_sign(before[-1:]):
            return after[:1] if is_currency_sign(after[:1]) else before[-1:]
        if after[:3] in self.codes and not _latin_letter(after[3:4]):
            return after[:3]
        if before[-3:] in self.codes and not _latin_letter(before[-4:-3]):
            return before[-3:]
        low = after.lower()
        for k in _edge_lengths(self.after_lengths, low, 0):  # only lengths some unit starting so has
            if low[:k] in self.units and (not low[:k].isascii() or not low[k:k + 1].isalpha()):
                return after[:k]
        low = before.lower()
        for k in _edge_lengths(self.before_lengths, low, -1):
            word, starts = low[-k:], not low[-k - 1:-k].isalpha()  # starts a word
            # a name ends an unspaced word (ドル of 香港ドル), but one Han character is the end of ordinary words too
            # (元 of ja 紀元 'era', 単元 'unit', 地元 'local')
            inside = not word.isascii() and (k > 1 or not _HAN_KANA.match(low[-k - 1:-k] or " "))
            if len(low) >= k and (word in self.names and (starts or inside)
                                  or word in self.units and starts and word not in ORDINARY_BEFORE_A_NUMBER):
                return before[-k:]
        return ""


def glued_letter(before: str, amount: str, after: str) -> str:
    """The letter and sign when a cased letter touches a rendered amount on its sign's side: "R" + "$5,000" reads
    as R$5,000 (reais), HK$, NT$, NZ$, CA$ alike; a script without case writes words against amounts (は$5,000) and
    spells no symbol so."""
    if amount[:1] and not amount[0].isdigit() and _cased(before[-1:]):
        return before[-1:] + amount[0]
    if amount[-1:] and not amount[-1].isdigit() and _cased(after[:1]):
        return amount[-1] + after[0]
    return ""


def glued_to_amount(shown: str, start: int, end: int, prices) -> str:
    """glued_letter at an amount read on a page (shown[start:end], from its sign), whose rendered price (one of
    `prices`, as shown) may begin or end beyond that reading (zh_CN's "US$5,000" read from its "$", a range's
    second amount): the letters of the price are its own, its edges are where a glued letter counts."""
    read = end - start
    for price in prices:  # a price as rendered that holds the amount read (one end of a range, "US$" of zh_CN)
        size = len(price)   # (asked once: a page asks each of its prices for each amount with its own mark)
        if size > read:
            at = shown.find(price, end - size if end > size else 0, start + size)
            if at >= 0:
                start, end = at, at + size
                break
    return glued_letter(shown[start - 1:start] if start else "", shown[start:end], shown[end:end + 1])


def _cased(ch: str) -> bool:
    return ch.lower() != ch.upper()


def _capitals_lowered(word: str, language: str) -> set[str]:
    """How str.lower() reads a unit word written in the language's capitals: Greek drops the tonos in capitals
    (ΕΥΡΩ, ΔΟΛΑΡΙΑ: ευρω, not ευρώ); Turkish capitalizes i as İ (lowered to i + U+0307) and ı as I (lowered to i)."""
    if language == "el":
        plain = unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", word) if ch != "\u0301"))
        return {plain} if plain != word else set()
    if language in ("tr", "az"):
        return {word.upper().lower(), word.replace("i", "i\u0307").replace("ı", "i")} - {word}
    return set()


def _lowered(text: str) -> set[str]:
    """How text.lower() may spell text as part of a longer text: str.lower() gives Σ as ς at a word's end."""
    if "\u03a3" not in text:
        return {text.lower()}
    return {"".join(p) for p in product(*(("\u03c3", "\u03c2") if ch == "\u03a3" else (ch.lower(),) for ch in text))}


def _latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()  # "USD" inside "USDA" is no code; next to 日 it is
