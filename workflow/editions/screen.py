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
    """Kept by the screen and without an ASCII compatibility form: NFKC and the screen leave it alone."""
    return _TRANSLATE[ord(ch)] == ch and _ascii_form(ch) is None


_PLAIN = _Plain()


@lru_cache(maxsize=4096)
def _ascii_form(ch: str) -> str | None:
    """The character's compatibility decomposition when it is plain ASCII and not itself (NBSP -> " ")."""
    form = unicodedata.normalize("NFKD", ch)
    return form if form != ch and form.isascii() else None
