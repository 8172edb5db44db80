"""The quick route of reader.read: a catalog in the layout PO writers use, read with one pattern match
per entry instead of one per line (4x less CPU on the bench corpus; the line-by-line parser was 2/3 of
a cold catalog's read).

It answers only for a file it can prove clean: one that parser.parse reads with no problem and no
refusal, and then exactly the entries reader.read builds from parser.parse (tests/test_quick_read.py
compares the two routes). For anything else (a problem, a rare form: plurals, indented lines, `#~|`
lines, escapes other than \\\\ \\" \\n \\t, characters the parser refuses) it answers None and reader.read
takes the line-by-line route, which reports every problem with its line as it always did.

Why a file in this layout is clean (every problem parser.parse can report, and why none applies):
- decoding (size, BOM, UTF-16, UTF-8): parser.decode itself decides;
- a malformed line, a comment form polib refused, a line-break character, NUL or any character
  _check_characters always reports: the pattern has no such line and no such character (nor does an
  escape it allows decode to one), so no value holds one; a value with a joiner (ZWNJ, ZWJ) is
  checked with parser's code;
- the order of lines: every entry is its comments, then [msgctxt] msgid msgstr with their
  continuation lines right after each keyword, all with the same `#~ ` prefix or none; a `#| "..."`
  line is checked to follow a `#|` keyword line as parse checks it;
- entries: duplicates and the header (charset, Plural-Forms) are checked here with parser's code;
  there are no plural entries.

The compiled route (read_compiled, _poscan.c; read_clean is it where it was built) walks the same pattern
over the bytes: its answer is read's for every input (tests/test_poscan.py), so the reasoning above holds
for it. It checks every byte as decode() and _UNSAFE do (a file decode() refuses has a U+FEFF, a NUL or an
invalid byte, none of which the pattern reads); what it leaves here is read's own Python: the size limit,
the header's check, the joiner check of a value holding one, `#|` lines (_previous), the header's choice.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Entry
from .lines import ESCAPE, PREVIOUS_ESCAPE, unescape
from .parser import JOINERS, MAX_BYTES, REFUSED_CHARS, check_header, decode, refused_character

try:   # the compiled route (setup.py): absent where no C compiler was found at install
    from ._poscan import scan
except ImportError:
    scan = None

_UNSAFE = REFUSED_CHARS + "\u2028\u2029"   # plus the line separators polib split lines at
_TEXT = rf"[^\n{_UNSAFE}]"
_BODY = rf'[^"\\\n{_UNSAFE}]*+(?:\\[\\"nt][^"\\\n{_UNSAFE}]*+)*+'
# One comment line, or a blank one (the pattern is optional): `#`, `# text`, `##text`, `#.`, `#. text`,
# `#:`, `#: text`, `#,`, `#, flags`, `#| msgctxt|msgid|msgid_plural "...`, `#| "...`.
_COMMENT = rf'(?:#(?:[.:,](?: {_TEXT}*+)?| {_TEXT}*+|#{_TEXT}*+|\| (?:(?:msgctxt|msgid_plural|msgid) )?"{_TEXT}*+)?)?'
_FIELD = rf'"{_BODY}"(?:\n(?P=o)"{_BODY}")*+'   # a literal and its continuation lines
_ENTRY = rf'(?P<c>(?:{_COMMENT}\n)*+)(?P<o>(?:#~ )?)(?:msgctxt (?P<x>{_FIELD})\n(?P=o))?' \
         rf'msgid (?P<i>{_FIELD})\n(?P=o)msgstr (?P<s>{_FIELD})(?:\n|\Z)'
_TAIL = rf"(?:{_COMMENT}\n)*+{_COMMENT}"   # comments after the last entry: polib drops them


@lru_cache(maxsize=1)
def patterns() -> tuple[re.Pattern, re.Pattern]:
    """(_ENTRY, _TAIL) compiled: on first use of read(), which the compiled route never calls (the two
    cost ~10 ms of every process's start-up)."""
    return re.compile(_ENTRY), re.compile(_TAIL)
_BARE = ("#.", "#:", "#,")
_JOINTS = {"": '"\n"', "#~ ": '"\n#~ "'}   # where a field's literals meet, by prefix


class _NotQuick(Exception):
    """Raised inside this module when a line needs the line-by-line route."""


def read(data: bytes) -> tuple[list[Entry], str | None] | None:
    """(entries, the header's msgstr) as reader.read has them, or None: then parse line by line."""
    text = decode(data, lambda *problem: None)
    if text is None:
        return None
    if "\r" in text:  # CRLF reads as LF (the \r is trailing whitespace to parse); a lone \r is no match
        text = text.replace("\r\n", "\n")
    entries: list[Entry] = []
    headers: list[tuple[str | None, str]] = []   # (msgctxt, msgstr) of each msgid "": reader picks one
    seen: set[tuple[str | None, str]] = set()
    joiners = any(joiner in text for joiner in JOINERS)   # Persian, Indic: values are checked for them
    pos = at = 0
    line = 1   # the line at `at`, the start of the last msgstr
    entry, tail_pattern = patterns()
    count, match = text.count, entry.match
    try:
        # each entry matched where the last one ended, never searched for: a search past a line the
        # pattern cannot read tries every later position, each re-reading the comment lines after it
        # (quadratic: 30 s of CPU for a 40 KB catalog); the tail check below refuses such a line
        while (m := match(text, pos)) is not None:
            comments, prefix, msgctxt, msgid, msgstr = m.groups()
            line += count("\n", at, m.start(5))
            at, pos = m.start(5), m.end()
            joint = _JOINTS[prefix]
            msgid = _value(msgid, joint)
            msgstr = _value(msgstr, joint)
            if msgctxt is not None:
                msgctxt = _value(msgctxt, joint)
            if joiners and any(v is not None and refused_character(v) for v in (msgctxt, msgid, msgstr)):
                return None   # a joiner inside a number
            # a `#| "..."` line out of place is refused in any entry, the header's too
            previous = _previous(comments) if "#|" in comments else None
            if prefix:
                obsolete = True
            else:
                obsolete = False
                key = (msgctxt, msgid)
                if key in seen:    # duplicate msgid
                    return None
                seen.add(key)
                if not msgid:
                    if msgctxt is None and _header_problem(msgstr, line):
                        return None
                    headers.append((msgctxt, msgstr))
                    continue
            flags = _flags(comments) if "#," in comments else ()
            entries.append(Entry(msgid, msgstr, msgctxt, "fuzzy" in flags, obsolete, line, flags, previous))
    except _NotQuick:
        return None
    tail = text[pos:]
    if "#|" in tail or not tail_pattern.fullmatch(tail):
        return None
    return entries, _header(headers)


def read_compiled(data: bytes) -> tuple[list[Entry], str | None] | None:
    """read() by _poscan.c, the same answer for every input: its scan walks read()'s pattern over the bytes
    (decoding, unescaping, counting lines) and builds the entries; the checks made once a file are here."""
    if len(data) > MAX_BYTES:
        return None
    try:
        found = scan(data, Entry, _previous)
    except _NotQuick:
        return None
    if found is None:
        return None
    entries, headers, suspects = found
    if any(refused_character(value) for value in suspects):   # a value with a joiner: inside a number?
        return None
    if any(msgctxt is None and _header_problem(msgstr, line) for msgctxt, msgstr, line in headers):
        return None
    return entries, _header(headers)


# The one place that chooses: the compiled route where it was built, else the Python one (ROUTE names it,
# as in pagetext, mdhtml and visible).
read_clean, ROUTE = (read, "python") if scan is None else (read_compiled, "compiled")


def _header(headers: list[tuple]) -> str | None:
    """The header as polib chose it: the last msgid "" without a context, else the first msgid ""."""
    header = next((h for h in reversed(headers) if not h[0]), headers[0]) if headers else None
    return header[1] if header else None


def _value(field: str, joint: str) -> str:
    """A field's literals joined (a `"` before a newline only ever closes a literal) and unescaped."""
    value = field.replace(joint, "")[1:-1]
    return ESCAPE.sub(unescape, value) if "\\" in value else value


def _header_problem(msgstr: str, line: int) -> bool:
    found: list = []
    check_header(msgstr, line, lambda *problem: found.append(problem))
    return bool(found)


def _flags(comments: str) -> tuple[str, ...]:
    flags: list[str] = []
    for row in comments.split("\n"):
        if row.startswith("#,") and row[2:].strip():   # a bare `#,` has none
            flags += [flag.strip() for flag in row[2:].split(",")]
    return tuple(flags)


def _previous(comments: str) -> str | None:
    """The `#| msgid` field, read as parser._Reader.previous_msgid reads it."""
    pieces: list[str] | None = None
    previous = None
    continues = False   # whether a `#| "..."` line may continue the last `#|` keyword line
    for row in comments.split("\n"):
        if row.startswith("#|"):
            rest = row[3:]
            if rest.startswith('"'):
                if not continues:
                    raise _NotQuick  # a refusal: "'#| \"...\"' line without a '#| msgid' line before it"
                pieces.append(rest.rstrip())
            else:
                keyword, _, value = rest.partition(" ")
                pieces = [value.rstrip()]
                if keyword == "msgid":
                    previous = pieces
                continues = True
        elif row and not (row[:2] in _BARE and not row[2:].strip()):
            continues = False   # blank lines and bare `#.`, `#:`, `#,` leave the parser's state as it was
    if previous is None:
        return None
    return "".join(PREVIOUS_ESCAPE.sub(unescape, piece[1:-1]) for piece in previous)
