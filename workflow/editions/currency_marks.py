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
from functools import lru_cache

from .currencies import units
from .facts import fill
from .services import _LOOKALIKES as LOOKALIKES  # letters a reader takes for Latin ones
from babel import Locale

from .currency_words import FREE_INSIDE, FREE_WORDS, LOWER_CODES, MONEY_NAMES, NOT_LOWER_CODES
from .visible import Number, markdown_text, normalize, numbers

SOURCE = "en"  # the language the guides are written in (verify.SOURCE_LANGUAGE)

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+|[^\w\s!-#%-/:-@\[-`{-~]")  # dotted letters, a word, a symbol
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_SIGN: dict[str, bool] = {}


def _is_sign(ch: str) -> bool:
    known = _SIGN.get(ch)
    if known is None:
        known = _SIGN[ch] = unicodedata.category(ch) == "Sc"
    return known


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
        self.words: dict[str, frozenset] = {w: frozenset({w.upper()}) for w in LOWER_CODES - NOT_LOWER_CODES["en"]}
        for key, words in [*FREE_WORDS["en"].items(), *(FREE_WORDS.get(base, {}).items() if base != "en" else ())]:
            named = frozenset(unit.codes) if key == "any" else \
                frozenset(c for c, n in english.currencies.items() if key in n.lower()) | set(MONEY_NAMES.get(key, "").split())
            for word in words:
                word = normalize(word).lower()
                self.words[word] = self.words.get(word, frozenset()) | named
        self.signs: dict[str, frozenset] = {}  # a sign -> the currencies whose symbol has it ($ of US$, CA$, MX$)
        for loc in {locale, english}:
            for code, symbol in loc.currency_symbols.items():
                for ch in normalize(symbol):
                    if unicodedata.category(ch) == "Sc":
                        self.signs[ch] = self.signs.get(ch, frozenset()) | {code}
        inside = {normalize(w).lower() for w in FREE_INSIDE} & set(self.words)
        self.hangul = tuple(w for w in inside if _HANGUL.match(w))
        self.han_kana = tuple(w for w in inside if _HAN_KANA.match(w))

    def named(self, mark: str) -> frozenset:
        """The currencies a mark found may name: a code its own, a sign or word those of the table (any sign
        not in it: every currency)."""
        if len(mark) == 3 and mark in self.codes:
            return frozenset({mark})
        return self.signs.get(mark) or self.words.get(mark.lower()) or frozenset(self.codes)

    def find(self, text: str) -> list[tuple[int, str]]:
        """(position, mark) of every mark in a normalized text (visible.normalize: NFKC, so ＄ is $)."""
        out = []
        for m in _TOKEN.finditer(text):
            token = m.group()
            if len(token) == 1 and not token.isalpha():
                if _is_sign(token):
                    out.append((m.start(), token))
                continue
            if token.endswith("."):  # U.S.D., у.е.: the letters
                token = token.replace(".", "")
            if len(token) == 3 and token.isupper():  # upper case: every ISO code, in lookalike letters too (ЕUR)
                code = token if token.isascii() else token.translate(LOOKALIKES).upper()
                if code in self.codes:
                    out.append((m.start(), code))
                    continue
            low = token.lower()
            if low in self.words:
                out.append((m.start(), token))
            elif self.hangul and _HANGUL.match(low):
                found = next((w for w in self.hangul if low.startswith(w)), None)
                if found:
                    out.append((m.start(), found))
            elif self.han_kana and _HAN_KANA.match(low):
                out += [(m.start() + at.start(), w) for w in self.han_kana if w in low
                        for at in re.finditer(re.escape(w), low)]
        return out


@lru_cache(maxsize=64)
def marks(lang: str) -> Marks:
    return Marks(lang)


def own_spans(text: str, found: list[Number]) -> list[tuple[int, int]]:
    """(start, end) of each amount with its own currency mark ("5.000 US$", "¥5,000"): the mark right after
    the amount (spaces between), else right before it, as Units.money_at looks."""
    spans = []
    for number in found:
        if not number.money:
            continue
        j, i = number.end, number.start
        while text[j:j + 1] == " ":
            j += 1
        while text[i - 1:i] == " ":
            i -= 1
        if text.startswith(number.money, j):
            spans.append((number.start, j + len(number.money)))
        elif text.endswith(number.money, 0, i):
            spans.append((i - len(number.money), number.end))
    return spans


def loose_marks(text: str, lang: str, found: list[Number],
                spans: list[tuple[int, int]] | None = None) -> list[tuple[str, frozenset]]:
    """(mark, the currencies it may name) of each mark of a normalized text that is no amount's own
    (found: visible.numbers(text))."""
    spans = own_spans(text, found) if spans is None else spans
    reader = marks(lang)
    return [(mark, reader.named(mark)) for at, mark in reader.find(text) if not any(s <= at < e for s, e in spans)]


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


def document_marks(texts, codes) -> list[tuple[str, frozenset]]:
    """The marks a reader sees in a source guide's body (English; placeholders blank, as `check` reads each
    segment) and code blocks (kept as written): what every edition's body may show beside its prices' own."""
    unit, out = units(SOURCE), []
    for text in texts:
        shown = markdown_text(fill(text.template, {n: " " for n in text.placeholders}, bool(text.placeholders)))
        out += loose_marks(shown, SOURCE, numbers(shown, unit))
    for code in codes:
        shown = normalize(code.code)
        out += loose_marks(shown, SOURCE, numbers(shown, unit))
    return out
