"""The money words of each language's CLDR data (Babel) and how a word may be written (proclitics, Persian letter
forms, lookalike letters of another script): what currency_marks.Marks reads, once per language and process."""
from __future__ import annotations

import bisect
import itertools
import re
import sys
import unicodedata
from functools import lru_cache

from babel import Locale
from babel.core import get_global

from .currencies import _NOUN_FIRST
from .currency_words import CONFUSABLE_LETTERS, LOWER_CODES, PROCLITICS
from .services import _LOOKALIKES as LOOKALIKES  # letters a reader takes for Latin ones
from .visible import Number, normalize


def spellings(word: str, base: str) -> set[str]:
    """How a word may be written: after the language's proclitics (بالدولار, בשקלים: words of four letters or
    more), with the Persian or
    Arabic forms of yeh and kaf (﷼ is ریال to NFKC, Persian yeh)."""
    forms = {word, word.translate(_TO_PERSIAN), word.translate(_TO_ARABIC)}
    if len(word) < 4:  # a short word after a proclitic is another word: ب + ين is بين 'between'
        return forms
    return {prefix + form for form in forms for prefix in ("", *PROCLITICS.get(base, ()))}


_TO_PERSIAN = str.maketrans("يك", "یک")
_TO_ARABIC = str.maketrans("یکى", "يكي")
# a lookalike letter as str.lower() gives it -> the Latin letter a reader takes it for (services' list, lowered,
# and Unicode's confusables it lacks); dotless ı is Turkish, no lookalike
SKELETON = {**{ord(chr(k).lower()): chr(v) for k, v in LOOKALIKES.items() if chr(k) != "ı" and len(chr(k).lower()) == 1},
             **{ord(k): v for k, v in CONFUSABLE_LETTERS.items()}}
_SCRIPTS = {"Cyrl": "CYRILLIC", "Grek": "GREEK", "Armn": "ARMENIAN", "Cher": "CHEROKEE", "Lisu": "LISU"}


def foreign_letters(locale: Locale) -> set[str]:
    """The lookalike letters a word of this language's script does not hold: every one for a Latin-script
    language (small capitals too), those of other scripts for a Cyrillic or Greek one (a Latin letter in a
    Cyrillic word is not read: every Latin letter of a page would be looked at)."""
    script = (get_global("likely_subtags").get(locale.language) or "").split("_")[1:2]
    own = _SCRIPTS.get(script[0] if script else "", "LATIN")
    return {chr(k) for k in SKELETON if own == "LATIN" or not unicodedata.name(chr(k), "").startswith(own)}


def unspaced(word: str) -> bool:
    """A Han, kana or Hangul word or phrase (캐나다 달러): read inside a longer run of letters (a first letter of
    these scripts in the word tree made its look-up of first letters several times slower)."""
    return all("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7a3" or ch == " " for ch in word)


_WORD = re.compile(r"[^\W\d_]+(?:[ .״\"'’-][^\W\d_]+)*")  # letters, a phrase, a dotted symbol (ر.س), ש״ח, us-dollar


def wordlike(word: str) -> bool:
    """Letters (with their vowel signs: यरो), a phrase, a dotted symbol, as the word tree reads them."""
    return bool(_WORD.fullmatch(word) or _WORD.fullmatch("".join(ch for ch in word
                                                              if not unicodedata.category(ch).startswith("M"))))


@lru_cache(maxsize=1)
def current_currencies() -> frozenset:
    """The ISO codes legal tender somewhere today (CLDR's territory currencies with no end date)."""
    return frozenset(code for spans in get_global("territory_currencies").values()
                     for code, _, end, tender in spans if end is None and tender)


@lru_cache(maxsize=16)
def cldr_words(locale: Locale) -> dict[str, frozenset]:
    """The money words of a locale's CLDR data, each with the currencies it names: the names, plurals and letter
    symbols (zł, Rp, ر.س) of the currencies its readers meet (currency_words.LOWER_CODES' and the language's
    country's), whole (dólares canadienses: CAD only), and each noun those names share with another current
    currency's name (dólares: every dollar). Country names (Corea del Sur) and currency_words.ORDINARY are
    left to the caller. Read once per locale and process."""
    plural = locale._data.get("currency_names_plural", {})
    names = locale._data.get("currency_names", {})
    territory = locale.territory or (get_global("likely_subtags").get(locale.language) or "").split("_")[-1]
    meet = {code.upper() for code in LOWER_CODES} | {code for code, _, end, tender in
                                                      get_global("territory_currencies").get(territory, ())
                                                      if end is None and tender}
    forms: dict[str, set[str]] = {}
    shared: dict[str, set[str]] = {}
    for code in current_currencies():  # as CLDR spells them (lowered): normalized are the words kept only
        name = names.get(code)
        if name:
            forms[code] = {form.lower() for form in (name, *plural.get(code, {}).values())}
            for token in {token for form in forms[code] for token in form.split()}:
                shared.setdefault(token, set()).add(code)
    countries = {token for name in locale.territories.values() for token in name.lower().replace("-", " ").split()}
    out: dict[str, set[str]] = {}
    for code in meet:
        symbol = locale.currency_symbols.get(code, "").lower().rstrip(".\u200f\u200e")
        found = [*forms.get(code, ())]
        if symbol.upper() not in get_global("all_currencies"):
            found.append(symbol)
        for form in found:
            tokens = form.split()
            nouns = [t for t in tokens if len(shared.get(t, ())) > 1 and t not in countries] if len(tokens) > 1 else []
            if len(tokens) > 1 and not nouns and locale.language in _NOUN_FIRST:  # yens japonais: the noun first
                nouns = tokens[:1]
            for word, codes in [(form, {code}), *((token, shared[token]) for token in nouns)]:
                word = " ".join(normalize(word).lower().split()).rstrip(".")
                if wordlike(word) and (len(word) > 1 or not word.isascii()):
                    out.setdefault(word, set()).update(codes)
    return {word: frozenset(codes) for word, codes in out.items()}


# how a spelling of the word tree ends (a character after each, below " "): the tree is followed by a non-letter
# (one look-ahead for the whole tree: one per word made its compiling ~4x slower); a katakana word before a
# non-katakana (the letters after it taken: ドルで), a dotted symbol (ر.س) before no ".letter", a stem before
# any letters
_END, _KANA, _DOTTED_END, _STEM = "\x01", "\x02", "\x03", "\x04"
_KATAKANA_CLASS = "\u30a1-\u30fa\u30fc-\u30ff"
_KATAKANA = re.compile(f"[{_KATAKANA_CLASS}]+")
_LETTER = re.compile(r"[^\W\d_]")
# a word's letters go on across a combining mark (M*: a vowel sign or virama, so தைவான் 'Taiwan' holds no வான,
# कायरो 'Cairo' no यरो) and the Hebrew geresh and gershayim (פייג׳ין 'pidgin' holds no ין): no letters to sre
_JOINERS = "\u05f3\u05f4"
_GERESH = frozenset(map(ord, _JOINERS))


def joins_word(ch: str) -> bool:
    """A character no letter to sre ([^\\W\\d_]) that a word's letters go on across (_JOINERS, M*): the reference of
    _visible's joins_word."""
    return ch in _JOINERS or unicodedata.category(ch)[0] == "M"


def word_letter(ch: str) -> bool:
    """A character that continues a word to the word boundary: a letter or a joiner."""
    return bool(_LETTER.match(ch)) or joins_word(ch)


@lru_cache(maxsize=1)
def _word_letter_class() -> str:
    """(?:...) of word_letter's characters, for the Python route's regex (every code point looked at once)."""
    joiners = "".join(chr(c) for c in range(0x300, sys.maxunicode + 1) if joins_word(chr(c)) and c not in _GERESH)
    # the geresh and gershayim go on with a word only before a letter: at its end, שקלים׳ is the shekels' word
    return f"(?:[^\\W\\d_]|[{re.escape(joiners)}]|[{_JOINERS}](?=[^\\W\\d_]))"


def _ends() -> dict[str, str]:
    """Each kind of end (_ENDS) as the regex reads it after a spelling."""
    letters = _word_letter_class()
    return {_END: "", _KANA: f"(?![{_KATAKANA_CLASS}]){letters}*", _DOTTED_END: r"(?!\.[^\W\d_])",
            _STEM: f"{letters}*"}


_ENDS = (_END, _KANA, _DOTTED_END, _STEM)


def _tree(words, ends: dict[str, str]) -> str:
    """A regex alternation of words (non-empty, each ending with one of _ENDS) as a tree of their first
    letters: each letter tried once, longer spellings first."""
    if len(words) == 1 and words[0] in ends:
        return ends[words[0]]
    tails: dict[str, list[str]] = {}
    for word in words:
        tails.setdefault(word[0], []).append(word[1:])
    branches = [ends[first] if first in ends else re.escape(first) + _tree(rest, ends)
                for first, rest in sorted(tails.items(), key=lambda item: (item[0] in _ENDS, item[0]))]
    if len(branches) == 2 and branches[1] == "":
        return f"(?:{branches[0]})?"
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


def word_regex(kinds: dict[str, str]) -> re.Pattern:
    """The spellings (each -> how it ends) in one regex: the Python route of _visible.word_spans, its reference."""
    tree = _tree([form + end for form, end in kinds.items()], _ends()) if kinds else "(?!)"
    return re.compile(f"{tree}(?!{_word_letter_class()})")


def before_is_word(low: str, start: int) -> bool:
    """The character before a spelling found continues its word: a letter before a letter, joiners between
    (a joiner after a space or a digit starts no word: ׳ש״ח is the shekel's), or a katakana before katakana."""
    first, at = low[start], start
    if _KATAKANA.match(first):
        return bool(_KATAKANA.match(low[start - 1]))
    while at and not _LETTER.match(low[at - 1]) and joins_word(low[at - 1]):
        at -= 1
    return bool(_LETTER.match(first)) and at > 0 and bool(_LETTER.match(low[at - 1]))


# dotted abbreviations that hold a money word and name no money (da/nb/sv f.Kr. 'before Christ', e.Kr.), lowered;
# not any one letter before one: t.kr. (tusind kroner), т.руб. (тысяч рублей), х.лв. are amounts of money
ERA_ABBREVIATIONS = frozenset({"f.kr", "e.kr"})


def after_an_initial(low: str, start: int, end: int) -> bool:
    """A spelling found between one letter and a dot and a dot that make an ERA_ABBREVIATIONS (f.Kr., e.Kr.): the
    rest of a dotted abbreviation, no word of its own (kr., the krone; t.kr., thousand kroner)."""
    return start > 1 and low[start - 1] == "." and low[end:end + 1] == "." and low[start - 2:end] in ERA_ABBREVIATIONS \
        and not (start > 2 and word_letter(low[start - 3]))


def stem_word(found: str, mark_of: dict[str, str], stems: set[str], not_before: dict[str, tuple]) -> str | None:
    """The word of a stem read with its ending (рублями: рубль), or None where the ending starts as one the stem
    does not take (currency_words.STEM_NOT_BEFORE: hu Európa is no euró-)."""
    k = next(k for k in range(len(found) - 1, 0, -1) if found[:k] in stems)
    return None if found[k:].startswith(not_before.get(found[:k], ())) and found[k:] else mark_of[found[:k]]


def regex_spans(pattern: re.Pattern, low: str) -> list[int]:
    """[start, end, ...] of the spellings' matches, none starting inside a word (before_is_word): such a start is
    passed over, not matched, so it hides nothing after it ("Bonus-Dollar": us-dollar inside, dollar read).
    The Python route and reference of _visible.word_spans."""
    out: list[int] = []
    pos = 0
    while (m := pattern.search(low, pos)) is not None:
        if m.start() and before_is_word(low, m.start()):
            pos = m.start() + 1
            continue
        out += m.span()
        pos = max(m.end(), m.start() + 1)
    return out


def word_tree(kinds: dict[str, str]) -> tuple[str, list[int], list[int], list[int], list[int], int]:
    """_tree's alternation as the arrays of _visible.word_tree (labels, first, count, target, ends, longest):
    node 0 the root, node n's edges labels[first[n]:first[n] + count[n]] (sorted) to target's nodes, ends[n]
    the bit of how a spelling ending at node n ends (1 << the _ENDS key's rank)."""
    children: list[dict[str, int]] = [{}]
    ends = [0]
    for spelling, end in kinds.items():
        node = 0
        for ch in spelling:
            if ch not in children[node]:
                children[node][ch] = len(children)
                children.append({})
                ends.append(0)
            node = children[node][ch]
        ends[node] |= 1 << (ord(end) - ord(_END))
    labels, first, count, target = [], [], [], []
    for edges in children:
        first.append(len(labels))
        count.append(len(edges))
        for ch in sorted(edges):
            labels.append(ch)
            target.append(edges[ch])
    return "".join(labels), first, count, target, ends, max(map(len, kinds), default=0)


def _expanded(chars: str) -> str:
    """The characters of a regex class's body written as characters and ranges (SIGNS)."""
    out, i = [], 0
    while i < len(chars):
        if chars[i + 1:i + 2] == "-" and i + 2 < len(chars):
            out += map(chr, range(ord(chars[i]), ord(chars[i + 2]) + 1))
            i += 3
        else:
            out.append(chars[i])
            i += 1
    return "".join(out)



def inside_regex(words: set[str], named_words: dict[str, frozenset]) -> re.Pattern | None:
    """One regex of the words read inside a longer run of letters (unspaced: Han, kana, Hangul), longer first,
    anywhere in the run: a reader takes 싱가폴달러 or ドルベース for dollars, so a word glued to more letters is
    a mark unless it stands inside an ordinary phrase (in_ordinary: フランス, 자유로운, ユーロ圏), never by its place
    in the run alone. A phrase is read without its spaces too (미국달러, カナダドル: named_words gets the form)."""
    words = set(words)
    for word in [w for w in words if " " in w]:
        words.add(word.replace(" ", ""))
        named_words.setdefault(word.replace(" ", ""), named_words[word])
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None


def inside_spans(regex: re.Pattern | None, low: str, places: dict[str, list[tuple[str, int]]]) -> list[tuple[int, int]]:
    """(start, end) of each match of inside_regex in a lowered text, less a word inside an ordinary phrase
    (in_ordinary: フランス, ユーロ圏, 欧元区)."""
    if regex is None:
        return []
    return [(s, e) for m in regex.finditer(low) for s, e in (m.span(),) if not (places and in_ordinary(low, s, e, places))]


def ordinary_phrases(locale: Locale, extra: frozenset) -> set[str]:
    """Names that hold a money word and name no money, normalized and lowered: CLDR's name of the euro area (zona
    del euro, ユーロ圏, 유로존), the locale's and English's, and `extra` (currency_words.ORDINARY_PHRASES)."""
    return _cldr_places(locale) | _cldr_places(Locale("en")) | {normalize(name).lower() for name in extra}


@lru_cache(maxsize=16)
def _cldr_places(locale: Locale) -> frozenset:
    # not CLDR's exemplar cities (卢布尔雅那 holds 卢布): reading them cost ~6 M instructions a language and
    # process, 0.3 % of a build; the few that hold a money word are ORDINARY_PHRASES
    return frozenset(normalize(name).lower() for name in (locale.territories.get("EZ", ""),) if name)


def names_holding(locale: Locale, regex: re.Pattern | None) -> set[str]:
    """CLDR's names of languages, scripts and territories in the locale that hold a word read inside a run of
    letters (regex: inside_regex), normalized and lowered: ordinary phrases (ja エウォンド語 'Ewondo' holds ウォン,
    マインフランク語 フラン). Names a reader takes for a language or a place, never for money: read from the data,
    not listed, as the euro area's name is."""
    if regex is None:
        return set()
    names = [*locale.languages.values(), *locale.scripts.values(), *locale.territories.values()]
    return {low for low in (normalize(name).lower() for name in names) if regex.search(low)}


def ordinary_places(phrases: set[str], scan) -> dict[str, list[tuple[str, int]]]:
    """Each money word an ordinary phrase holds (as scan(phrase) finds it: [(start, end), ...]) -> [(the phrase,
    where the word stands in it), ...]: a word found so inside such a phrase is no mark (in_ordinary)."""
    places: dict[str, list[tuple[str, int]]] = {}
    lines = sorted(phrases)
    text = "\n".join(lines)  # one scan of them all (a line break is no letter): a scan each cost ~2 ms a language
    starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    for start, end in scan(text):
        at = bisect.bisect_right(starts, start) - 1
        places.setdefault(text[start:end], []).append((lines[at], start - starts[at]))
    return places


def in_ordinary(low: str, start: int, end: int, places: dict[str, list[tuple[str, int]]]) -> bool:
    """The word found at low[start:end] stands inside one of its ordinary phrases (ordinary_places)."""
    return any(at <= start and low.startswith(phrase, start - at) for phrase, at in places.get(low[start:end], ()))


def own_spans(text: str, found: list[Number]) -> list[tuple[int, int]]:
    """(start, end) of each amount with its own currency mark ("5.000 US$", "¥5,000"): the mark right after
    the amount (spaces between), else right before it, as Units.money_at looks."""
    spans = []
    for number in [number for number in found if number.money]:
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


def sign_symbols(locales, signs: dict[str, frozenset]) -> dict[str, list[tuple[str, int]]]:
    """The signs of CLDR's symbols in these locales (signs gets each sign -> the currencies whose symbol has it)
    and the symbols that write letters against a sign (HK$, R$, CN¥, $US): sign -> [(symbol, where the sign
    stands in it), ...], longer first (signs gets each such symbol -> its one currency)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for loc in locales:
        for code, symbol in loc.currency_symbols.items():
            symbol = normalize(symbol)
            found = [ch for ch in symbol if unicodedata.category(ch) == "Sc"]
            for ch in found:
                signs[ch] = signs.get(ch, frozenset()) | {code}
            if len(found) == 1 and len(symbol) > 1 and " " not in symbol and _LETTER.search(symbol):
                signs[symbol] = signs.get(symbol, frozenset()) | {code}
                if (symbol, symbol.index(found[0])) not in out.get(found[0], []):
                    out.setdefault(found[0], []).append((symbol, symbol.index(found[0])))
    return {sign: sorted(symbols, key=lambda s: -len(s[0])) for sign, symbols in out.items()}


def lettered_marks(text: str, spans: list[tuple[int, int]], left, lettered: dict[str, list[tuple[str, int]]]) -> None:
    """Each sign of `left` (a Counter of a text's loose marks) written in a lettered symbol (sign_symbols: HK$)
    that no amount owns (spans: own_spans) and no letter touches, counted as that symbol instead: a mark of its
    one currency, not of every dollar."""
    for sign in [sign for sign in lettered if left[sign] > 0]:
        for symbol, at in lettered[sign]:
            start = text.find(symbol)
            while start >= 0 and left[sign] > 0:
                end = start + len(symbol)
                if not (start and _LETTER.match(text, start - 1)) and not _LETTER.match(text, end) \
                        and not any(s <= start + at < e for s, e in spans):
                    left[sign] -= 1
                    left[symbol] += 1
                start = text.find(symbol, end)
