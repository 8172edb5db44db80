"""Strict PO parser: one pass that finds every syntax problem, with its line, and reads the entries.

polib and Babel's reader accept several broken files silently (an unterminated string loses a
character, `msgstd` lines vanish, NUL bytes pass): `validate` refuses them, before `writer.update` lets
Babel read a file. `parse` also finds what polib refused when it read translators' files (comment forms
like `#x`, a bare `#~`, a msgstr right after a `#.` line): `reader.read` refuses those too, so that a file
it accepts reads as it read with polib (tests/test_po_reader.py compares the two).
"""
from __future__ import annotations

import re
import unicodedata

from ..model import ERROR, Problem
from ..safefs import safe_quote

MAX_BYTES = 4 * 1024 * 1024  # real catalogs are ~100 KB; bigger files are refused, not parsed for minutes
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[([^\]]*)\])?)\s+(".*)$')
_INDEX = re.compile(r"0|[1-9][0-9]*")  # msgstr[n]: polib reads only the first character of n
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_BIDI_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_PLURAL_EXPR = re.compile(r"^[n0-9\s()?:<>=!&|%+\-*/]+$")


_LITERAL = re.compile(r'"((?:[^"\\]|\\[\\"ntrabfv])*)"', re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)
_SUSPECT = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")
# `#|` lines are comments, read as polib reads them: between the first and the last character, these
# escapes. Babel writes `#| msgid "" "text"`, which no reader decodes as the text.
_PREVIOUS_ESCAPE = re.compile(r'\\([\\ntrvbf"])')


def _unescape(e: re.Match) -> str:
    return _ESCAPES[e.group(1)]


def _string(literal: str) -> str | None:
    """Decode one C string literal `"..."`; None if malformed (unterminated, bad escape, junk after it).

    Regex-based so that a catalog near MAX_BYTES is validated in seconds, not one Python step per character.
    """
    m = _LITERAL.fullmatch(literal)
    if m is None:
        return None
    body = m.group(1)
    return _ESCAPE.sub(_unescape, body) if "\\" in body else body


# --- the line pattern ------------------------------------------------------------------------------
# One compiled pattern classifies every line of the text (re.M, one match per line, none spans a "\n"),
# and checks the string literals, in C: the Python loop below only dispatches on the kind of line.
# A line no good form matches is BAD (or ODD, for comments): _bad_line() or _polib_only() says why.
# Possessive quantifiers (*+): no backtracking, so a long line of spaces cannot take quadratic time.
_BREAKS = r"\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"  # str.splitlines() (so polib) breaks lines at these
_SP = rf"[^\S\n{_BREAKS}]"   # whitespace inside a line
_TEXT = rf"[^\n{_BREAKS}]"   # comment text
_WS = r"[^\S\n]"             # leading and trailing whitespace (with the \r of CRLF)
_BODY = r'[^"\\\n]*+(?:\\[\\"ntrabfv][^"\\\n]*+)*+'  # the inside of a well-formed literal
_LINE = re.compile(
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

# polib's state machine, where it is stricter than "keywords in order": what may come right before.
_COMMENTS = frozenset({"gc", "oc", "fl", "pc", "pm", "pp"})          # not before msgstr (only "# " may)
_BEFORE_PLURAL = frozenset({"tc", "gc", "pc", "pm", "pp", "mi"})      # before msgid_plural
_STATE = {"msgctxt": "ct", "msgid": "mi", "msgid_plural": "mp", "msgstr": "ms"}  # msgstr[n] is "mx"
_PREVIOUS_STATE = {"msgctxt": "pc", "msgid": "pm", "msgid_plural": "pp"}


class ParsedEntry:
    """One entry as read: keyword -> [line, value] and what model.Entry needs."""
    __slots__ = ("fields", "obsolete", "commented", "flags", "previous", "line", "done")

    def __init__(self) -> None:
        self.fields: dict[str, list] = {}  # the value is a list of literal bodies until decoded
        self.obsolete = False              # as polib has it: whether the msgid line is a `#~` one
        self.commented = False             # any `#~` keyword line: not checked for duplicates, header, plurals
        self.flags: list[str] = []
        self.previous: list | str | None = None  # `#| msgid` (polib skips `#~|` lines)
        self.line = 0                      # the first msgstr line, where a translator fixes things
        self.done = False                  # has a msgstr: a comment or msgid after it starts a new entry

    def text(self, keyword: str, default: str | None = None) -> str | None:
        field = self.fields.get(keyword)
        return default if field is None else field[1]


def validate(data: bytes, path: str) -> list[Problem]:
    """All syntax problems of a PO/POT file; an empty list means Babel may read it."""
    return parse(data, path)[1]


def parse(data: bytes, path: str) -> tuple[list[ParsedEntry], list[Problem], list[Problem]]:
    """(entries, problems, refusals) of a PO/POT file; the entries include the header and obsolete ones.

    Problems are what `validate` reports, as it always did. Refusals (po.syntax) are what only polib
    refused: a comment form, an order of lines, a line-break character other than \\n. `reader.read`
    refuses those too; `writer.update`, which lets Babel read the file, does not.
    """
    problems: list[Problem] = []
    refusals: list[Problem] = []

    def bad(line: int, message: str, check: str = "po.syntax") -> None:
        problems.append(Problem(path, line, ERROR, message, check))

    def refuse(line: int, message: str) -> None:
        refusals.append(Problem(path, line, ERROR, message, "po.syntax"))

    if len(data) > MAX_BYTES:
        bad(1, f"catalog is {len(data) // (1024 * 1024)} MiB, over the {MAX_BYTES // (1024 * 1024)} MiB limit", "po.size")
        return [], problems, refusals
    if data.startswith(b"\xef\xbb\xbf"):
        bad(1, "byte order mark at the start of the file; save as UTF-8 without BOM", "po.encoding")
        return [], problems, refusals
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        bad(1, "file is UTF-16; catalogs must be UTF-8", "po.encoding")
        return [], problems, refusals
    if _looks_utf16(data):
        bad(1, "file looks like UTF-16 without a byte order mark; catalogs must be UTF-8", "po.encoding")
        return [], problems, refusals
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad(data.count(b"\n", 0, exc.start) + 1, f"invalid UTF-8 byte 0x{data[exc.start]:02x}", "po.encoding")
        return [], problems, refusals

    entries: list[ParsedEntry] = []
    current: ParsedEntry | None = None
    last: list | None = None       # the field a `"..."` line continues
    previous: list | None = None   # the `#| keyword` pieces a `#| "..."` line continues
    state = "st"                   # polib's: the kind of the last keyword or comment line
    nul = "\x00" in text
    for number, m in enumerate(_LINE.finditer(text), start=1):
        kind = m.lastgroup
        if nul and "\x00" in m.group():
            bad(number, "NUL byte", "po.control-char")
        if kind == "BAD":
            line = m.group().strip()
            refused = _polib_only(line)
            if refused is None:
                message, check, ends_field = _bad_line(line, last is None)
                bad(number, message, check)
                if ends_field:
                    last = None
                continue
            message, line = refused
            refuse(number, message)
            if line is None:
                continue
            m = _LINE.match(line)  # the line as the lexer always read it
            kind = m.lastgroup
            assert kind in ("KEY", "STR"), line
        if kind == "STR":
            if last is None:
                bad(number, "string continuation without a keyword before it")
            else:
                last[1].append(m.group("s"))
        elif kind == "KEY":
            keyword = m.group("k")
            if current is None or (current.done and keyword in ("msgctxt", "msgid")) \
                    or (keyword == "msgctxt" and "msgid" in current.fields):
                current = ParsedEntry()
                entries.append(current)
            fields = current.fields
            after, state = state, _STATE.get(keyword, "mx")
            if keyword in fields:
                bad(number, f"{keyword} appears twice in one entry")
            elif state == "mp":
                if "msgid" not in fields or after not in _BEFORE_PLURAL:
                    refuse(number, "msgid_plural must come right after msgid")
            elif state in ("ms", "mx") and after in _COMMENTS:
                refuse(number, f"{keyword} right after a '#.', '#:', '#,' or '#|' line; comments go before msgid")
            obsolete = m.group("o") is not None
            current.commented = current.commented or obsolete
            if state == "mi":
                current.obsolete = obsolete
            elif state in ("ms", "mx") and not current.done:
                current.done, current.line = True, number
            fields[keyword] = last = [number, [m.group("v")]]
        elif kind == "BLANK":
            last = None
            if current is not None and current.fields:
                current = None  # a comment-only entry stays open: its flags belong to the next msgid
        elif kind != "SKIP":  # a comment line
            if current is None or current.done:
                current = ParsedEntry()
                entries.append(current)
            last = None
            if kind == "OC":
                state = "oc"
            elif kind == "GC":
                state = "gc"
            elif kind == "FL":
                current.flags += [flag.strip() for flag in m.group("f").split(",")]
                state = "fl"
            elif kind == "TC":
                if state == "ct":
                    refuse(number, "comment between msgctxt and msgid; comments go before msgctxt")
                state = "he" if state in ("st", "he") else "tc"
            elif kind == "PREV":
                keyword = m.group("pk")
                if keyword is not None:
                    previous = [m.group("pv").rstrip()]
                    if keyword == "msgid":
                        current.previous = previous
                    state = _PREVIOUS_STATE[keyword]
                elif state in ("pm", "pp", "pc"):
                    previous.append(m.group("pc").rstrip())
                else:  # polib would add it to the msgid or msgstr above
                    refuse(number, "'#| \"...\"' line without a '#| msgid' line before it")
            elif kind == "ODD":
                refuse(number, _odd_comment(m.group().strip()))

    entries = [e for e in entries if e.fields]
    _check_entries(entries, bad, refuse)
    return entries, problems, refusals


def _check_entries(entries: list[ParsedEntry], bad, refuse) -> None:
    """Decode the values, then what needs whole entries: missing parts, plurals, characters, duplicates."""
    seen: dict[tuple, int] = {}
    nplurals = None
    for entry in entries:
        keys = entry.fields
        for field in keys.values():
            value = "".join(field[1])
            field[1] = _ESCAPE.sub(_unescape, value) if "\\" in value else value
        if entry.previous is not None:
            entry.previous = "".join(_PREVIOUS_ESCAPE.sub(_unescape, piece[1:-1]) for piece in entry.previous)
        if "msgid" not in keys:
            bad(min(v[0] for v in keys.values()), "entry has no msgid")
            continue
        if not entry.done:
            bad(keys["msgid"][0], "msgid without msgstr")
        elif "msgstr" not in keys or len(keys) != 2 + ("msgctxt" in keys):  # not just [msgctxt] msgid msgstr
            msgstrs = sorted(k for k in keys if k.startswith("msgstr"))
            if "msgid_plural" in keys and "msgstr" in keys:
                bad(keys["msgstr"][0], "plural entry needs msgstr[0], msgstr[1]..., not msgstr", "po.plural-forms")
            if "msgid_plural" not in keys and any(k != "msgstr" for k in msgstrs):
                bad(keys[msgstrs[0]][0], "msgstr[n] without msgid_plural", "po.plural-forms")
        for keyword, (number, value) in keys.items():
            if not value.isprintable():  # a \n or \t, or one of the characters to look at (none is printable)
                _check_characters(value, number, keyword, bad)
                if "\u2028" in value or "\u2029" in value:  # polib split the line there
                    refuse(number, f"line separator character (U+2028/U+2029) in {keyword}")
        if entry.commented:
            continue
        msgctxt = keys.get("msgctxt")
        key = (msgctxt[1] if msgctxt else None, keys["msgid"][1])
        if key in seen:
            bad(keys["msgid"][0], f"duplicate msgid (first defined at line {seen[key]})", "po.duplicate")
        else:
            seen[key] = keys["msgid"][0]
        if key == (None, "") and "msgstr" in keys:
            nplurals = _check_header(keys["msgstr"][1], keys["msgstr"][0], bad)
    if nplurals:
        for entry in entries:
            if "msgid_plural" in entry.fields and not entry.commented:
                indexes = sorted(int(k[7:-1]) for k in entry.fields if k.startswith("msgstr["))
                if indexes != list(range(nplurals)):
                    bad(entry.fields["msgid_plural"][0],
                        f"plural entry has msgstr{indexes}, the header's Plural-Forms says nplurals={nplurals}",
                        "po.plural-forms")


def _bad_line(line: str, no_field: bool) -> tuple[str, str, bool]:
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
        return f"unknown keyword or junk line {_clip(word)}", "po.syntax", True
    keyword, index, literal = m.group(1), m.group(2), m.group(3)
    if index is not None and not _INDEX.fullmatch(index):
        return f"bad plural index in {keyword}", "po.plural-forms", False
    return f"malformed string after {keyword} (unterminated, bad escape or junk after the quote)", "po.syntax", False


def _polib_only(line: str) -> tuple[str, str | None] | None:
    """For a line only polib refused: (why, the line as the lexer read it, or None if it skipped it)."""
    obsolete = line.startswith("#~")
    rest = line[2:].strip() if obsolete else line
    if obsolete and (not rest or rest.startswith("|")):
        return f"{_clip(line)}: obsolete lines are '#~ msgid \"...\"', '#~ msgstr \"...\"', '#~ \"...\"'", None
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


def _odd_comment(line: str) -> str:
    found = _BREAK.search(line)
    if found:
        return f"line-break character U+{ord(found.group()):04X} inside a comment line (polib splits it there)"
    if line.startswith("#|"):
        return f"malformed previous-msgid comment {_clip(line)}; expected '#| msgid \"...\"' or '#| \"...\"'"
    return f"unknown comment form {_clip(line.split()[0])}; a translator comment starts with '# '"


def _check_characters(value: str, line: int, keyword: str, bad) -> None:
    for found in _SUSPECT.finditer(value):
        i, ch = found.start(), found.group(0)
        if ch in _BIDI_CONTROLS:
            bad(line, f"bidi override/isolate character U+{ord(ch):04X} in {keyword}", "po.control-char")
            return
        if ch in _ZERO_WIDTH:
            near_digit = any(value[j:j + 1].isdigit() for j in (i - 1, i + 1) if j >= 0)
            if near_digit or ch in ("\u200b", "\u2060", "\ufeff"):
                bad(line, f"zero-width character U+{ord(ch):04X} in {keyword}", "po.control-char")
                return
        elif unicodedata.category(ch) == "Cc" and ch not in "\n\t":
            bad(line, f"control character U+{ord(ch):04X} in {keyword}", "po.control-char")
            return


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 text without a BOM: NUL bytes at nearly every even (BE) or odd (LE) offset of the start."""
    head = data[:512]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return (even.count(0) >= 0.4 * len(even) and odd.count(0) <= 0.1 * len(odd)) or \
        (odd.count(0) >= 0.4 * len(odd) and even.count(0) <= 0.1 * len(even))


def _check_header(header: str, line: int, bad) -> int | None:
    fields = {}
    for row in header.split("\n"):
        if ":" in row:
            name, _, value = row.partition(":")
            fields[name.strip().lower()] = value.strip()
    content_type = fields.get("content-type", "")
    charset = re.search(r"charset=([\w.-]+)", content_type)
    if charset is None:
        bad(line, "header has no charset in Content-Type; expected charset=UTF-8", "po.charset")
    elif charset.group(1).upper() not in ("UTF-8", "CHARSET"):
        bad(line, f"header declares charset={charset.group(1)[:20]}; catalogs must be UTF-8", "po.charset")
    plural = fields.get("plural-forms")
    if plural is None:
        return None
    m = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*", plural)
    if not m or not (1 <= int(m.group(1)) <= 6) or not _PLURAL_EXPR.match(m.group(2)) \
            or m.group(2).count("(") != m.group(2).count(")"):
        bad(line, "broken Plural-Forms header; expected 'nplurals=N; plural=EXPRESSION;'", "po.plural-forms")
        return None
    return int(m.group(1))


def _clip(text: str) -> str:
    # a catalog may be a linked secret: a few keyword-like characters at most, never a line's content
    return safe_quote(text)
