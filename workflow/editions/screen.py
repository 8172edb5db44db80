"""The screen of editions.visible: which characters a reader sees as nothing, as a space or as an ASCII digit
(_Screen, filled per character from the Unicode database), and which characters of a text are worth looking
at (_Plain: all but those known plain). visible.normalize() applies them."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


# What a screen shows as nothing beyond format characters and combining marks: private-use and unassigned
# characters (whatever a font draws: nothing, a blank, a box) and the Hangul fillers, letters that Unicode
# lists as default-ignorable (DerivedCoreProperties.txt; unicodedata does not expose the property) and
# fonts draw as nothing or a blank. Read as nothing, the digits around them are read together:
# "{ambulance}\u31642" shows 1192, "{price}\ue000万" 15,000万. The braille blank is no whitespace to
# Unicode but shows as a space: "{price}\u2800万" reads as "{price} 万".
_DROPPED = ("Cf", "Mn", "Me", "Co", "Cn")
# Characters with a numeric value (categories Nl, No) that neither are a decimal digit nor show one under NFKC,
# nor are a CJK numeral editions.visible reads: Roman numerals (U+2160..2188: NFKC makes Ⅻ the letters XII),
# Suzhou numerals 〡〡〩, Ethiopic ፩፻, circled ideographs ㊀, dingbat ⓫ ❶, Aegean, counting rods... A reader
# reads each as a number: visible reads a run of them as its value (visible._numerals_read). Listed as ranges
# (a scan of Unicode at import costs ~50 ms); tests/test_numeral_characters.py holds them equal to the
# Unicode database.
NUMERAL_RANGES = (
    "\u09f4-\u09f9\u0b72-\u0b77\u0bf0-\u0bf2\u0c78-\u0c7e\u0d58-\u0d5e\u0d70-\u0d78\u0f2a-\u0f33"
    "\u1369-\u137c\u16ee-\u16f0\u17f0-\u17f9\u19da\u2160-\u2182\u2185-\u2188\u24eb-\u24ff\u2776-\u2793"
    "\u2cfd\u3021-\u3029\u3038-\u303a\u3192-\u3195\u3220-\u3229\u3248-\u324f\u3280-\u3289\ua6e6-\ua6ef"
    "\ua830-\ua835\U00010107-\U00010133\U00010140-\U00010178\U0001018a-\U0001018b\U000102e1-\U000102fb"
    "\U00010320-\U00010323\U00010341\U0001034a\U000103d1-\U000103d5\U00010858-\U0001085f"
    "\U00010879-\U0001087f\U000108a7-\U000108af\U000108fb-\U000108ff\U00010916-\U0001091b"
    "\U000109bc-\U000109bd\U000109c0-\U000109cf\U000109d2-\U000109ff\U00010a40-\U00010a48"
    "\U00010a7d-\U00010a7e\U00010a9d-\U00010a9f\U00010aeb-\U00010aef\U00010b58-\U00010b5f"
    "\U00010b78-\U00010b7f\U00010ba9-\U00010baf\U00010cfa-\U00010cff\U00010e60-\U00010e7e"
    "\U00010f1d-\U00010f26\U00010f51-\U00010f54\U00010fc5-\U00010fcb\U00011052-\U00011065"
    "\U000111e1-\U000111f4\U0001173a-\U0001173b\U000118ea-\U000118f2\U00011c5a-\U00011c6c"
    "\U00011fc0-\U00011fd4\U00012400-\U0001246e\U00016b5b-\U00016b61\U00016e80-\U00016e96"
    "\U0001d2e0-\U0001d2f3\U0001d360-\U0001d378\U0001e8c7-\U0001e8cf\U0001ec71-\U0001ecab"
    "\U0001ecad-\U0001ecaf\U0001ecb1-\U0001ecb4\U0001ed01-\U0001ed2d\U0001ed2f-\U0001ed3d"
    "\U0001f10b-\U0001f10c")
# the part in the Basic Multilingual Plane: a regex class of BMP characters only is one table look-up a character,
# an astral range in it makes every character try each range (visible.MAY_HAVE_NUMBER scans every msgstr)
BMP_NUMERAL_RANGES = NUMERAL_RANGES[:NUMERAL_RANGES.index("\U00010107")]
OTHER_NUMERALS = frozenset(chr(code) for first, last in re.findall("(.)(?:-(.))?", NUMERAL_RANGES)
                           for code in range(ord(first), ord(last or first) + 1))
FILLERS = "\u115f\u1160\u3164\uffa0"
_BLANKS = "\u2800"


class _Screen(dict):
    """str.translate table, filled per character on first sight from the Unicode database: drops
    format characters (Cf: soft hyphen, zero-width, bidi marks), combining marks (Mn, Me), private-use
    and unassigned characters and Hangul fillers (_DROPPED), shows the braille blank as a space, makes
    every script's decimal digits ASCII. Lazy: a whole-Unicode table would cost half a second."""

    def __init__(self):
        super().__init__()
        self.kept: set[str] = set()  # characters seen that the screen shows as they are

    def __missing__(self, code: int):
        ch = chr(code)
        category = unicodedata.category(ch)
        value = None if category in _DROPPED or ch in FILLERS else " " if ch in _BLANKS else \
            str(unicodedata.decimal(ch)) if category == "Nd" else ch
        self[code] = value
        if value == ch:
            self.kept.add(ch)
        return value

    def apply(self, text: str, chars: set[str]) -> str:
        """text.translate(self), translating only the characters that change (chars: set(text), or any
        set holding every character of text that the screen does not keep):
        str.translate looks every character up in a dict subclass, ~7x slower on a page of text than
        finding its few new characters."""
        changes = {}
        for ch in chars - self.kept:
            value = self[ord(ch)]
            if value != ch:
                changes[ord(ch)] = value
        return text.translate(changes) if changes else text


_TRANSLATE = _Screen()


class _Plain:
    """The characters of a text worth looking at: all but those known plain (ASCII, or kept by the screen
    and without an ASCII compatibility form), found by one regex scan of a class of the known ones. set()
    of a page cost ~4x more, and the NFKC shortcut and the screen look only at characters that are not
    plain. The class grows as plain characters are met, up to _MOST, compiled again at most as often as
    pays (a compile costs ~1 ms: a new kanji per page must not cost one each)."""
    _MOST = 30000

    def __init__(self):
        self.known: set[str] = set()    # in the pattern
        self.waiting: set[str] = set()  # met since it was compiled
        self.pattern = re.compile(r"[^\x00-\x7f]")

    def others(self, text: str) -> set[str]:
        found_all = self.pattern.findall(text)
        found = set(found_all)
        if len(self.known) < self._MOST:
            self.waiting |= {ch for ch in found - self.waiting if _is_plain(ch)}
            # compiled again when the ones left out reach half the class, or when this text matched so often
            # (each match ~0.6 us) that the compile (~3 us a character of the class) costs less than that
            if self.waiting and (len(self.waiting) * 2 >= len(self.known)
                                 or len(found_all) >= 8 * (len(self.known) + len(self.waiting)) + 64):
                self._compile()
        return found

    def _compile(self) -> None:
        self.known |= self.waiting
        self.waiting = set()
        codes, ranges = sorted(map(ord, self.known)), []
        for code in codes:  # runs of consecutive characters as ranges: Hangul and kanji stay short
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        spans = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
        self.pattern = re.compile(rf"[^\x00-\x7f{spans}]")


def _is_plain(ch: str) -> bool:
    """Kept by the screen and without an ASCII compatibility form: NFKC and the screen leave it alone; no numeral
    character (visible reads it as a number)."""
    return _TRANSLATE[ord(ch)] == ch and _ascii_form(ch) is None and ch not in OTHER_NUMERALS


_PLAIN = _Plain()


@lru_cache(maxsize=4096)
def _ascii_form(ch: str) -> str | None:
    """The character's compatibility decomposition when it is plain ASCII and not itself (NBSP -> " ")."""
    form = unicodedata.normalize("NFKD", ch)
    return form if form != ch and form.isascii() else None
