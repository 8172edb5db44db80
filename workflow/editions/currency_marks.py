"""Every currency mark a reader sees in a text, wherever it stands: a sign (Unicode Sc), an ISO code, a dotted
code (U.S.D.), or a word of the language that names money and nothing else. The guarantee's rule for them: a
translated text shows no currency mark its source does not show (`extra_marks`), at `check` per segment and at
verification per edition, so no placement ("{price} (EUR)", "{price}/EUR", "{price}（円）", "{price} en euros",
another line of the segment) names a price's currency. A mark glued to an amount is the amount's own: its
reading is the numbers' (visible.numbers, accounting) and is not counted twice.

Words are matched whole (a token of letters), never as the start of a longer word (руб, not рубеж; שקלים, not
שקלול); a word that is also an ordinary word of some language (peso 'weight', real, won, lei 'she', sol 'sun')
is no mark on its own: next to a number it is still money (currencies.Units.touching)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cached_property, lru_cache

from babel import Locale
from babel.core import get_global

from .currencies import units
from .currency_names import (_DOTTED_END, _expanded, after_an_initial, before_is_word, regex_spans, _END, _ENDS,
                             _KANA, _KATAKANA, _STEM, SKELETON, cldr_words, foreign_letters, in_ordinary, inside_regex,
                             inside_spans, names_holding, lettered_marks, sign_symbols, ordinary_places, ordinary_phrases,
                             own_spans, spellings, stem_word, unspaced, word_regex, word_tree, wordlike)
from .services import _LOOKALIKES as LOOKALIKES  # letters a reader takes for Latin ones
from .currency_places import qualified_name
from .currency_words import (CAPITAL_CODES, FREE_INSIDE, FREE_WORDS, LOWER_CODES, MONEY_EMOJI, MONEY_NAMES,
                             NOT_LOWER_CODES, OF_A_PLACE, ORDINARY, ORDINARY_IN, ORDINARY_PHRASES, STEM_NOT_BEFORE, STEMS)
from . import visible
from .visible import Number, markdown_text, normalize, numbers

SOURCE = "en"  # the language the guides are written in (verify.SOURCE_LANGUAGE)

_LETTERS = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_SETS: dict[frozenset, frozenset] = {}  # the currencies a mark may name, interned (Marks._read_words)
# every currency sign (Unicode Sc) of this Python's Unicode database (tests/test_currency_marks.py holds them equal)
_BMP_SIGNS = "$\xa2-\xa5\u058f\u060b\u07fe\u07ff\u09f2\u09f3\u09fb\u0af1\u0bf9\u0e3f\u17db\u20a0-\u20c0\ua838" \
    "\ufdfc\ufe69\uff04\uffe0\uffe1\uffe5\uffe6"
SIGNS = _BMP_SIGNS + "\U00011fdd-\U00011fe0\U0001e2ff\U0001ecb0"
_SIGNS = re.compile(f"[{SIGNS}]")
# the scan for them: a class of BMP characters only is one table look-up a character (~4x faster than with the
# astral ranges); every astral character is a candidate (few in a text), its signs kept by _SIGNS
_SIGN_SCAN = re.compile(f"[{_BMP_SIGNS}\U00010000-\U0010ffff]")
_CAPITAL_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "".join(chr(c) for c in LOOKALIKES if chr(c).isupper())
_CAPITAL = f"[{_CAPITAL_LETTERS}]"
_CAPITALS = re.compile(_CAPITAL * 3)  # not [..]{3}: a pattern that starts with a class skips to its characters
_DOT_LETTER_DOT = re.compile(r"\.[^\W\d_]\.")
_DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}")


def _spots_py(text: str) -> tuple[list[str], list[int], list[int]]:
    """Where marks may stand: every sign; the start of each three capitals (_CAPITALS) with no letter either
    side, a code's candidate; the start of each ".L." (_DOT_LETTER_DOT), a dotted code's. The Python route:
    the reference of _visible.mark_spots, one pass in C (three regex scans of each page were ~1/3 of the rule)."""
    signs = [sign for sign in _SIGN_SCAN.findall(text) if sign < "\U00010000" or _SIGNS.match(sign)]
    capitals = [m.start() for m in _CAPITALS.finditer(text)
                if not _letter_at(text, m.start() - 1) and not _letter_at(text, m.end())]
    return signs, capitals, [m.start() for m in _DOT_LETTER_DOT.finditer(text)]


if visible._compiled is not None:
    visible._compiled.mark_tables(_expanded(SIGNS), _CAPITAL_LETTERS)


def _letter_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalpha())


class Marks:
    """The marks one language's reader takes for money on their own, each with the currencies it may name (ISO
    codes): once per language and process."""

    def __init__(self, lang: str):
        base = lang.split("_")[0].lower()
        unit = units(lang)
        self.codes = unit.codes  # upper case: every ISO code
        english = Locale("en")
        try:
            locale = Locale.parse(lang)
        except Exception:  # noqa: BLE001 - pseudo or unknown: English's symbols (as Units reads it)
            locale = english
        stems = self._read_words(base, locale, english)
        self.locale, self.of_a_place = locale, OF_A_PLACE.get(base, ())
        # a sign -> the currencies whose symbol has it ($ of US$, CA$, MX$); a lettered symbol (HK$) -> its one
        self.signs: dict[str, frozenset] = {}
        self.lettered = sign_symbols({locale, english}, self.signs)
        for emoji, key in MONEY_EMOJI.items():
            if key == "$":
                self.named_words[emoji] = self.signs.get("$", frozenset())
        # unspaced (Han, kana) or taking particles (Hangul): these are read inside a longer run of letters
        inside = {w for w in self.named_words if w in _free_inside() or unspaced(w) and len(w) > 2}
        self.inside = inside_regex(inside, self.named_words)
        # letters no other lowers to, that lower to themselves (Han, kana, Hangul): found alike in text and text.lower()
        self.inside_cased = any(unicodedata.category(ch) not in ("Lo", "Lm", "Zs") for ch in "".join(inside))
        self.words = frozenset(self.named_words) - inside  # the others whole: руб, not рубеж
        self._read_spellings(base, stems)
        # lookalike letters of another script in a word (еuros, dоlares, ᴇᴜʀ, ЕUROS): the word's skeleton (a pass
        # for them on a text not all ASCII; in the tree, a class of such letters made its look-up of first letters
        # several times slower)
        self.foreign = frozenset(foreign_letters(locale))
        self.skeletons = {w.translate(SKELETON): w for w in self.words}
        self.tree = visible._compiled.word_tree(*word_tree(self.kinds), "".join(sorted(self.foreign))) \
            if visible._compiled is not None else None
        self.stems |= {form for form, end in self.kinds.items() if end == _KANA}  # read with the letters after
        phrases = ordinary_phrases(locale, ORDINARY_PHRASES.get(base, frozenset())) | names_holding(locale, self.inside)
        self.ordinary = ordinary_places(phrases, lambda low: [
            *zip(*[iter(self.spans(low)[0])] * 2), *inside_spans(self.inside, low, {})])

    # the Python route (the reference of the C one): compiled when first read (~10 ms a language and process)
    whole = cached_property(lambda self: word_regex(self.kinds))
    foreign_scan = cached_property(lambda self: re.compile(f"[{''.join(sorted(self.foreign))}]"))  # skips in C

    def _read_words(self, base: str, locale: Locale, english: Locale) -> dict[str, frozenset]:
        """named_words: the codes in lower case, CLDR's words of the language and English's, currency_words'
        tables and emoji, less the language's ordinary words; gives back the stems (STEMS)."""
        ordinary = ORDINARY | ORDINARY_IN.get(base, frozenset())
        lower_codes = LOWER_CODES - NOT_LOWER_CODES["en"] - NOT_LOWER_CODES.get(base, frozenset())
        self.named_words: dict[str, frozenset] = {w: frozenset({w.upper()}) for w in lower_codes}
        for loc in {locale, english}:  # CLDR's names of the language, and English's
            for word, named in cldr_words(loc).items():
                if word not in ordinary:
                    self.named_words[word] = self.named_words.get(word, frozenset()) | named
        english_names = _english_names()
        stems: dict[str, frozenset] = {}
        for table, into in ((FREE_WORDS, self.named_words), (STEMS, stems)):
            for key, words in [*table.get("en", {}).items(), *(table.get(base, {}).items() if base != "en" else ())]:
                named = self._key_named(key, english_names)
                for word in words:
                    word = normalize(word).lower()
                    if word not in ordinary:
                        into[word] = into.get(word, frozenset()) | named
        for emoji, key in MONEY_EMOJI.items():  # 💲: the $ of the table below
            self.named_words[emoji] = frozenset() if key == "$" else self._key_named(key, english_names)
        for table in (self.named_words, stems):  # one object per distinct set: each union made its own (~2.9 MB a
            for word, named in table.items():      # process for 11 languages, in every worker)
                table[word] = _SETS.setdefault(named, named)
        return stems

    def _read_spellings(self, base: str, stems: dict[str, frozenset]) -> None:
        """phrases, mark_of (each spelling the tree reads -> its word), kinds (how each ends) and stems."""
        # one scan for them: a word before a non-letter (a katakana word: before a non-katakana), a stem before
        # any letters, an emoji anywhere, each also after the language's proclitics (بالدولار), its alternatives
        # a tree of letters (the scan skips to the first letters in C: no letter class read on every character);
        # the letter before each checked after. mark_of: each spelling the tree reads -> its word
        # a phrase (dólares canadienses, canadian dollar) is read at its first word of the table, its noun: no
        # phrase in the tree (a tree of every name cost ~40 ms of compiling a language)
        self.phrases: dict[str, list[tuple[str, str, str]]] = {}
        for phrase in sorted((w for w in self.words if " " in w), key=len, reverse=True):
            tokens = phrase.split(" ")
            at = next((i for i, token in enumerate(tokens) if token in self.words), None)
            if at is not None:
                self.phrases.setdefault(tokens[at], []).append(
                    (" ".join(tokens[:at]) + " " if at else "", " " + " ".join(tokens[at + 1:]) if tokens[at + 1:] else "",
                     phrase))
        in_phrases = {phrase for found in self.phrases.values() for _, _, phrase in found}
        self.mark_of: dict[str, str] = {}
        self.kinds: dict[str, str] = {}  # each spelling -> how it ends (_ENDS)
        for word in self.words - in_phrases:
            if word not in MONEY_EMOJI and wordlike(word):
                end = _KANA if _KATAKANA.fullmatch(word) else \
                    _DOTTED_END if "." in word else _END
                for form in spellings(word, base):
                    self.mark_of.setdefault(form, word)
                    self.kinds.setdefault(form, end)
        for stem in stems:
            for form in spellings(stem, base):
                self.mark_of[form], self.kinds[form] = stem, _STEM
        self.stems = {form for form, end in self.kinds.items() if end == _STEM}
        self.not_before = {form: ends for stem, ends in STEM_NOT_BEFORE.get(base, {}).items()
                           for form in spellings(stem, base)}
        self.named_words.update(stems)

    @staticmethod
    def _key_named(key: str, english_names) -> frozenset:
        if key == "any":
            return frozenset(get_global("all_currencies"))
        if key.isupper():
            return frozenset({key})
        return frozenset(c for c, n in english_names if key in n) | set(MONEY_NAMES.get(key, "").split())

    def named(self, mark: str) -> frozenset:
        """The currencies a mark found may name: a code its own, a sign or word those of the table (any sign
        not in it: every currency)."""
        if len(mark) == 3 and mark in self.codes:
            return frozenset({mark})
        return self.signs.get(mark) or self.named_words.get(mark.lower()) or frozenset(self.codes)

    def find(self, text: str) -> list[str]:
        """Every mark of a normalized text (visible.normalize: NFKC, so ＄ is $), in no particular order. A few
        whole-text passes in C and set look-ups: a page is read twice per edition (~20,000 characters)."""
        out, capitals = self._signs_and_codes(text)
        return out + self._words(text, capitals)

    def _signs_and_codes(self, text: str) -> tuple[list[str], dict[str, int]]:
        """Signs, codes in capitals and dotted codes; capitals: each code's lower case, counted (not read again
        as a lower-case code word)."""
        out, starts, dots = (visible._compiled.mark_spots if visible.ROUTE == "compiled" else _spots_py)(text)
        capitals: dict[str, int] = {}
        for start in starts:  # an ISO code, in lookalike letters too (ЕUR)
            group = text[start:start + 3]
            code = group if group.isascii() else group.translate(LOOKALIKES).upper()
            if code in self.codes:
                if code in CAPITAL_CODES:
                    out.append(code)
                lowered = group.lower()
                capitals[lowered] = capitals.get(lowered, 0) + 1  # not read again as a lower-case code (usd)
        if dots:
            out += self._dotted(text, dots)
        return out, capitals

    def _words(self, text: str, capitals: dict[str, int]) -> list[str]:
        """Money words of the language: whole, stems, after proclitics, in lookalike letters, (unspaced scripts)
        inside a run of letters."""
        out: list[str] = []
        low, spans, foreign = self._lowered(text)
        taken = inside_spans(self.inside, low, self.ordinary)
        words, after = [], 0
        for k in range(0, len(spans), 2):
            start, end = spans[k], spans[k + 1]
            if start and (before_is_word(low, start) or low[start - 1] == "." and after_an_initial(low, start, end)) \
                    or start < after or self.ordinary and in_ordinary(low, start, end, self.ordinary):
                continue
            if taken:  # the longer of an inside word and a spelling it overlaps (米ドル, not ドル; 캐나다 달러, not 달러)
                over = [(s, e) for s, e in taken if s < end and start < e]
                if any(e - s >= end - start for s, e in over):
                    continue
                taken = [span for span in taken if span not in over]
            found = low[start:end]
            word = self.mark_of.get(found)
            if word is None:  # a stem and its ending (none where the stem does not take it: Európa)
                if (word := stem_word(found, self.mark_of, self.stems, self.not_before)) is None:
                    continue
            elif word in self.phrases:
                word, after = self._phrase(low, start, end, word)
            if self.of_a_place and len(self.named_words.get(word, ())) > 1:   # "dólares de hong kong": HKD only
                word, after = self._qualified(low, start, max(end, after), word, after)
            words.append(word)
        if not low.isascii():
            # an emoji is astral: `in` answers at once for a text with none (its characters are narrower)
            words += [emoji for emoji in MONEY_EMOJI if emoji in low for _ in range(low.count(emoji))]
            end = 0
            for at in foreign:  # a lookalike letter: the word around it, once
                if at >= end:
                    word, end = self._lookalike(low, at, capitals)
                    if word:
                        words.append(word)
        for word in set(words) if words else ():
            out += [word] * (words.count(word) - capitals.get(word, 0))
        return out + [low[s:e] for s, e in taken]

    def _lowered(self, text: str) -> tuple[str, list[int], list[int]]:
        """(the text lowered as the words are read, spans(it)): the C scan reads the text's characters lowered one
        by one (word_spans_lower) where str.lower() lowers each alone, so most pages are lowered only where
        a word is found (or inside words are read, in cased letters); `low` then has the text's length."""
        if self.tree is not None and visible.ROUTE == "compiled":
            read = visible._compiled.word_spans_lower(self.tree, text)
            if read is not None:
                return text.lower() if read[0] or read[1] or self.inside_cased else text, *read
        low = text.lower().replace("\u0307", "")  # İ lowers to i + a combining dot: one word still
        if "\u0640" in low:  # tatweel stretches a word: يـــورو is يورو
            low = low.replace("\u0640", "")
        return low, *self.spans(low)

    def spans(self, low: str) -> tuple[list[int], list[int]]:
        """([start, end, ...] of the word tree's matches in a lowered text, its lookalike letters' places): one C
        pass down a tree of the spellings (the regex tried its alternation at each letter: most of the words'
        cost), the regexes the Python route and its reference (tests/test_currency_marks_routes.py)."""
        if self.tree is not None and visible.ROUTE == "compiled":
            return visible._compiled.word_spans(self.tree, low)
        return (regex_spans(self.whole, low),
                [] if low.isascii() else [m.start() for m in self.foreign_scan.finditer(low)])

    def _phrase(self, low: str, start: int, end: int, noun: str) -> tuple[str, int]:
        """(the longest phrase of the table around a noun found at low[start:end], or the noun; where it ends)."""
        for before, after, phrase in self.phrases[noun]:
            left, right = start - len(before), end + len(after)
            if low.startswith(after, end) and low.startswith(before, left) and left >= 0 \
                    and not (left and _LETTER.match(low, left - 1)) and not _LETTER.match(low, right):
                return phrase, right
        return noun, end

    def _qualified(self, low: str, start: int, end: int, word: str, after: int) -> tuple[str, int]:
        """(the mark, where reading goes on) of a noun naming several currencies at low[start:end]: the noun and
        "of" a place (currency_names.qualified_name), naming that place's currencies, or the noun."""
        found = qualified_name(low, end, self.of_a_place, self.locale)
        if found is None:
            return word, after
        stop, codes = found
        phrase = low[start:stop]
        self.named_words.setdefault(phrase, _SETS.setdefault(codes, codes))
        return phrase, stop

    def _lookalike(self, low: str, at: int, capitals: dict[str, int]) -> tuple[str, int]:
        """(the money word a word holding a lookalike letter at `at` is read as, or "", the word's end): еuros with
        a Cyrillic е, ᴇᴜʀ in small capitals, read by its skeleton; a code in capitals (ЕUR) is read already."""
        start = at
        while start and low[start - 1].isalpha():
            start -= 1
        end = _LETTERS.match(low, at).end() if _LETTER.match(low, at) else at + 1
        token = low[start:end]
        if token in self.mark_of or token in capitals:
            return "", end
        return self.skeletons.get(token.translate(SKELETON), ""), end

    def _dotted(self, text: str, dots: list[int]) -> list[str]:
        """Codes and words written with a dot after each letter (U.S.D., у.е.); dots: where each ".L." starts
        (_DOT_LETTER_DOT)."""
        out: list[str] = []
        end = 0
        for at in dots:  # U.S.D., у.е.: the letters
            # U.S.D. from its first letter: the one before ".S." if it stands alone, else the one after the dot
            start = at - 1 if _letter_at(text, at - 1) and not _letter_at(text, at - 2) else at + 1
            dotted = _DOTTED.match(text, start)
            if at < end or not dotted or _letter_at(text, start - 1):
                continue
            end = dotted.end()
            letters = dotted.group().replace(".", "")
            code = letters.upper() if letters.isupper() else ""
            if code in self.codes or letters.lower() in self.words:
                out.append(code or letters.lower())
        return out


@lru_cache(maxsize=1)
def _free_inside() -> frozenset:
    return frozenset(normalize(w).lower() for w in FREE_INSIDE)


@lru_cache(maxsize=1)
def _english_names() -> tuple[tuple[str, str], ...]:
    """(code, English CLDR name lowered) of every currency: Babel's mapping resolves each item on every read."""
    return tuple((code, name.lower()) for code, name in Locale("en").currencies.items())


@lru_cache(maxsize=64)
def marks(lang: str) -> Marks:
    return Marks(lang)


def loose_marks(text: str, lang: str, found: list[Number] | None,
                spans: list[tuple[int, int]] | None = None) -> list[tuple[str, frozenset]]:
    """(mark, the currencies it may name) of each mark of a normalized text that is no amount's own
    (found: visible.numbers(text), read here if None and needed): the marks of the text less those of each amount
    with its own mark."""
    reader = marks(lang)
    found_marks = reader.find(text)
    if not found_marks:  # most texts
        return []
    if spans is None:
        spans = own_spans(text, numbers(text, units(lang)) if found is None else found)
    # one Counter of the amounts' own marks (Counter.subtract per amount was an eighth of this function)
    left = Counter(found_marks) - Counter([mark for start, end in spans for mark in _own_marks(text[start:end], lang)])
    if not reader.lettered.keys().isdisjoint(left):  # a $ of no amount: HK$, R$ are marks of their one currency
        lettered_marks(text, spans, left, reader.lettered)
    return [(mark, reader.named(mark)) for mark in sorted(left) for _ in range(left[mark])]


@lru_cache(maxsize=65536)
def _own_marks(amount: str, lang: str) -> tuple[str, ...]:
    """The marks of an amount with its own mark ("5.000 US$"): a page shows each of its prices, rendered from
    the same facts in every guide, so the same few texts are read once per language and process."""
    return tuple(marks(lang).find(amount))


@lru_cache(maxsize=65536)
def source_marks(filled: str) -> tuple[tuple[str, frozenset], ...]:
    """The marks of a source text (Markdown, its placeholders filled blank): read once per process for the
    checks (each segment) and the verification (each guide), as verify.source_reading reads its numbers."""
    return tuple(loose_marks(markdown_text(filled), SOURCE, None))


def extra_marks(shown: list[tuple[str, frozenset]], source: list[tuple[str, frozenset]]) -> list[str]:
    """The marks a translation shows that no mark of its source accounts for: each source mark accounts for one
    mark naming one of its currencies ("dólares" for "USD", not "EUR"; the source's words are of another
    language). The narrowest marks are matched first."""
    left = list(source)
    extra = []
    for mark, named in sorted(shown, key=lambda m: len(m[1])):
        match = next((i for i, (_, theirs) in enumerate(left) if named & theirs), None)
        if match is None:
            extra.append(mark)
        else:
            del left[match]
    return extra


def document_marks(blanked: list[str], codes) -> list[tuple[str, frozenset]]:
    """The marks a reader sees in a source guide's body (English) and code blocks (kept as written): what every
    edition's body may show beside its prices' own. blanked: the body's texts with their placeholders blank, as
    `check` reads each segment (verify._Source fills them once for their numbers and their marks)."""
    out = []
    for shown in blanked:
        out += source_marks(shown)
    for code in codes:
        out += loose_marks(normalize(code.code), SOURCE, None)
    return out
