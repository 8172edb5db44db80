"""The lines of a PO file: one compiled pattern that classifies each line, the string literals and their
escapes, and why a line no good form matches is malformed. Used by parser.py; pure functions of text.
"""
from __future__ import annotations

import re
from functools import cache

from ..safefs import safe_quote

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[([^\]]*)\])?)\s+(".*)$')
_INDEX = re.compile(r"0|[1-9][0-9]*")  # msgstr[n]: polib reads only the first character of n
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_LITERAL = re.compile(r'"((?:[^"\\]|\\[\\"ntrabfv])*)"', re.S)
ESCAPE = re.compile(r"\\(.)", re.S)
# `#|` lines are comments, read as polib reads them: between the first and the last character, these
# escapes. Babel writes `#| msgid "" "text"`, which no reader decodes as the text.
PREVIOUS_ESCAPE = re.compile(r'\\([\\ntrvbf"])')


def unescape(e: re.Match) -> str:
    return _ESCAPES[e.group(1)]


def _string(literal: str) -> str | None:
    """Decode one C string literal `"..."`; None if malformed (unterminated, bad escape, junk after it).

    Regex-based so that a catalog near MAX_BYTES is validated in seconds (parser.MAX_BYTES), not one Python step per character.
    """
    m = _LITERAL.fullmatch(literal)
    if m is None:
        return None
    body = m.group(1)
    return ESCAPE.sub(unescape, body) if "\\" in body else body


# --- the line pattern ------------------------------------------------------------------------------
# One compiled pattern classifies every line of the text (re.M, one match per line, none spans a "\n"),
# and checks the string literals, in C: parser._Reader only dispatches on the kind of line.
# A line no good form matches is BAD (or ODD, for comments): bad_line() or polib_only() says why.
# Possessive quantifiers (*+): no backtracking, so a long line of spaces cannot take quadratic time.
_BREAKS = r"\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"  # str.splitlines() (so polib) breaks lines at these
_SP = rf"[^\S\n{_BREAKS}]"   # whitespace inside a line
_TEXT = rf"[^\n{_BREAKS}]"   # comment text
_WS = r"[^\S\n]"             # leading and trailing whitespace (with the \r of CRLF)
_BODY = r'[^"\\\n]*+(?:\\[\\"ntrabfv][^"\\\n]*+)*+'  # the inside of a well-formed literal


@cache
def line_pattern() -> re.Pattern:
    """The line pattern, compiled on first use: only a catalog the quick reader does not take is read line by line,
    and compiling it cost every process that imports the reader ~3.5 ms."""
    return re.compile(
        rf"^{_WS}*+(?:"
        rf'(?P<o>#~{_SP}++)?(?:(?P<KEY>(?P<k>msgctxt|msgid_plural|msgid|msgstr(?:\[(?:0|[1-9][0-9]*+)\])?)'
        rf'{_SP}++"(?P<v>{_BODY})")|(?P<STR>"(?P<s>{_BODY})"))'
        rf"|(?P<BLANK>)"
        rf"|(?P<BARE>#[.:,])"                         # empty `#.`, `#:`, `#,`: polib ignores them
        rf"|(?P<OC>#:{_SP}{_TEXT}*+)"                 # `#: source/x.md:12`
        rf"|(?P<GC>#\.{_SP}{_TEXT}*+)"                # `#. extracted comment`
        rf"|(?P<FL>#,(?P<f>{_SP}{_TEXT}*+))"          # `#, fuzzy, python-brace-format`
        rf"|(?P<TC>#(?:{_SP}{_TEXT}*+|#{_TEXT}*+)?)"  # translator comment: `#`, `# text`, `##text`
        rf"|(?P<PREV>#\|{_SP}++(?:(?P<pk>msgctxt|msgid_plural|msgid){_SP}++(?P<pv>\S{_TEXT}*+)"  # `#| msgid "..."`
        rf'|(?P<pc>"{_TEXT}*+)))'                                                              # `#| "..."`
        rf"|(?P<SKIP>#~\|(?:{_SP}{_TEXT}*+)?)"        # `#~| msgid "..."`: polib skips the line, and so do we
        rf"|(?P<ODD>#(?!~)[^\n]*+)"                   # a comment form polib refuses (`#x`, `#,fuzzy`, `#|`)
        rf"|(?P<BAD>[^\n]*+)"
        rf"){_WS}*+$", re.M)
_BREAK = re.compile(f"[{_BREAKS}]")


def bad_line(line: str, no_field: bool) -> tuple[str, str, bool]:
    """Why a keyword, string or `#~` line is malformed: (message, check id, whether it ends the field)."""
    if line.startswith("#~"):
        line = line[2:].strip()
    if line.startswith('"'):
        if no_field:
            return "string continuation without a keyword before it", "po.syntax", False
        return "malformed string (unterminated, bad escape or junk after the quote)", "po.syntax", False
    m = _KEYWORD.match(line)
    if not m:
        word = line.split()[0] if line.split() else line
        return f"unknown keyword or junk line {safe_quote(word)}", "po.syntax", True
    keyword, index = m.group(1), m.group(2)
    if index is not None and not _INDEX.fullmatch(index):
        return f"bad plural index in {keyword}", "po.plural-forms", False
    return f"malformed string after {keyword} (unterminated, bad escape or junk after the quote)", "po.syntax", False


def polib_only(line: str) -> tuple[str, str | None] | None:
    """For a line only polib refused: (why, the line as the lexer read it, or None if it skipped it)."""
    obsolete = line.startswith("#~")
    rest = line[2:].strip() if obsolete else line
    if obsolete and (not rest or rest.startswith("|")):
        return f"{safe_quote(line)}: obsolete lines are '#~ msgid \"...\"', '#~ msgstr \"...\"', '#~ \"...\"'", None
    m = _KEYWORD.match(rest)
    if m and (m.group(2) is None or _INDEX.fullmatch(m.group(2))) and _string(m.group(3).strip()) is not None:
        read = f"{m.group(1)} {m.group(3).strip()}"
    elif rest.startswith('"') and _string(rest) is not None:
        read = rest
    else:
        return None
    found = _BREAK.search(line)
    if found:
        why = f"line-break character U+{ord(found.group()):04X} inside the line (polib splits it there)"
    elif obsolete and not line[2:3].isspace():
        why = "'#~' must be followed by a space"
    else:
        return None
    return why, ("#~ " if obsolete else "") + read


def odd_comment(line: str) -> str:
    found = _BREAK.search(line)
    if found:
        return f"line-break character U+{ord(found.group()):04X} inside a comment line (polib splits it there)"
    if line.startswith("#|"):
        return f"malformed previous-msgid comment {safe_quote(line)}; expected '#| msgid \"...\"' or '#| \"...\"'"
    return f"unknown comment form {safe_quote(line.split()[0])}; a translator comment starts with '# '"


