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

from ..model import BIDI_CONTROLS, ERROR, Problem
from .lines import ESCAPE, PREVIOUS_ESCAPE, bad_line, line_pattern, odd_comment, polib_only, unescape

MAX_BYTES = 4 * 1024 * 1024  # real catalogs are ~100 KB; bigger files are refused, not parsed for minutes
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_ZERO_WIDTH_RUN = re.compile(f"[{''.join(sorted(_ZERO_WIDTH))}]+")
_PLURAL_EXPR = re.compile(r"^[n0-9\s()?:<>=!&|%+\-*/]+$")
# The characters _check_characters looks at: a value with one of REFUSED_CHARS always has a problem, one
# with a joiner (ZWNJ, ZWJ) only when it is inside a number; a value with none of them has none.
# The bidi controls come from model.BIDI_CONTROLS (one definition); the rest are zero-width and C0/C1 controls.
REFUSED_CHARS = "".join(sorted(BIDI_CONTROLS)) + "\u200b\u2060\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f"
JOINERS = "\u200c\u200d"
_SUSPECT = re.compile(f"[{REFUSED_CHARS}{JOINERS}]")


class After:
    """polib's lexer state, named: the kind of the last keyword or comment line. polib is stricter than
    "keywords in order" in a few places, and those depend on what came right before. Plain strings, not
    an Enum: Enum members hash in Python, and every line looks its state up (30 % slower reads)."""
    START = "start"
    HEADER_COMMENT = "header comment"   # translator comments before the first entry
    COMMENT = "translator comment"
    OCCURRENCE = "#:"
    EXTRACTED = "#."
    FLAGS = "#,"
    PREVIOUS_MSGCTXT = "#| msgctxt"
    PREVIOUS_MSGID = "#| msgid"
    PREVIOUS_PLURAL = "#| msgid_plural"
    MSGCTXT = "msgctxt"
    MSGID = "msgid"
    MSGID_PLURAL = "msgid_plural"
    MSGSTR = "msgstr"
    MSGSTR_N = "msgstr[n]"


_PREVIOUS = frozenset({After.PREVIOUS_MSGCTXT, After.PREVIOUS_MSGID, After.PREVIOUS_PLURAL})
_NOT_BEFORE_MSGSTR = _PREVIOUS | {After.EXTRACTED, After.OCCURRENCE, After.FLAGS}   # only "# " may
_BEFORE_PLURAL = _PREVIOUS | {After.COMMENT, After.EXTRACTED, After.MSGID}
_MSGSTRS = frozenset({After.MSGSTR, After.MSGSTR_N})
_CHECK_BEFORE = _MSGSTRS | {After.MSGID_PLURAL}   # the keywords whose place _check_order looks at
_KEYWORD_STATE = {"msgctxt": After.MSGCTXT, "msgid": After.MSGID, "msgid_plural": After.MSGID_PLURAL,
                  "msgstr": After.MSGSTR}   # any msgstr[n] is MSGSTR_N
_PREVIOUS_STATE = {"msgctxt": After.PREVIOUS_MSGCTXT, "msgid": After.PREVIOUS_MSGID,
                   "msgid_plural": After.PREVIOUS_PLURAL}


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
    reader = _Reader(path)
    text = decode(data, reader.bad)
    if text is None:
        return [], reader.problems, reader.refusals
    reader.read(text)
    entries = [e for e in reader.entries if e.fields]
    _check_entries(entries, reader.bad, reader.refuse)
    return entries, reader.problems, reader.refusals


def decode(data: bytes, bad) -> str | None:
    """The catalog's text, or None after reporting why it cannot be read at all (size, encoding)."""
    if len(data) > MAX_BYTES:
        bad(1, f"catalog is {len(data) // (1024 * 1024)} MiB, over the {MAX_BYTES // (1024 * 1024)} MiB limit", "po.size")
    elif data.startswith(b"\xef\xbb\xbf"):
        bad(1, "byte order mark at the start of the file; save as UTF-8 without BOM", "po.encoding")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        bad(1, "file is UTF-16; catalogs must be UTF-8", "po.encoding")
    elif _looks_utf16(data):
        bad(1, "file looks like UTF-16 without a byte order mark; catalogs must be UTF-8", "po.encoding")
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad(data.count(b"\n", 0, exc.start) + 1, f"invalid UTF-8 byte 0x{data[exc.start]:02x}", "po.encoding")
    return None


class _Reader:
    """One pass over the lines of a catalog: one handler per kind of line (the named groups of lines.line_pattern())."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.refusals: list[Problem] = []
        self.entries: list[ParsedEntry] = []
        self.current: ParsedEntry | None = None
        self.last: list | None = None       # the field a `"..."` line continues
        self.previous: list | None = None   # the `#| keyword` pieces a `#| "..."` line continues
        self.after = After.START
        self.handlers = {"KEY": self.keyword, "STR": self.continuation, "BLANK": self.blank, "BAD": self.bad_line,
                         "BARE": self.bare_comment, "OC": self.occurrence, "GC": self.extracted, "FL": self.flags,
                         "TC": self.translator_comment, "PREV": self.previous_msgid, "ODD": self.odd_comment,
                         "SKIP": lambda number, m: None}

    def bad(self, line: int, message: str, check: str = "po.syntax") -> None:
        self.problems.append(Problem(self.path, line, ERROR, message, check))

    def refuse(self, line: int, message: str) -> None:
        self.refusals.append(Problem(self.path, line, ERROR, message, "po.syntax"))

    def read(self, text: str) -> None:
        nul, handlers = "\x00" in text, self.handlers
        for number, m in enumerate(line_pattern().finditer(text), start=1):
            if nul and "\x00" in m.group():
                self.bad(number, "NUL byte", "po.control-char")
            handlers[m.lastgroup](number, m)

    def _new_entry(self) -> ParsedEntry:
        self.current = ParsedEntry()
        self.entries.append(self.current)
        return self.current

    # -- keyword and string lines ---------------------------------------------------------------
    def keyword(self, number: int, m: re.Match) -> None:
        keyword, current = m.group("k"), self.current
        if current is None or (current.done and keyword in ("msgctxt", "msgid")) \
                or (keyword == "msgctxt" and "msgid" in current.fields):
            current = self._new_entry()
        fields, before = current.fields, self.after
        self.after = after = _KEYWORD_STATE.get(keyword, After.MSGSTR_N)
        if keyword in fields or after in _CHECK_BEFORE:
            self._check_order(number, keyword, fields, before)
        obsolete = m.group("o") is not None
        if obsolete:
            current.commented = True
        if after == After.MSGID:
            current.obsolete = obsolete
        elif after in _MSGSTRS and not current.done:
            current.done, current.line = True, number
        fields[keyword] = self.last = [number, [m.group("v")]]

    def _check_order(self, number: int, keyword: str, fields: dict, before: str) -> None:
        if keyword in fields:
            self.bad(number, f"{keyword} appears twice in one entry")
        elif self.after == After.MSGID_PLURAL:
            if "msgid" not in fields or before not in _BEFORE_PLURAL:
                self.refuse(number, "msgid_plural must come right after msgid")
        elif self.after in _MSGSTRS and before in _NOT_BEFORE_MSGSTR:
            self.refuse(number, f"{keyword} right after a '#.', '#:', '#,' or '#|' line; comments go before msgid")

    def continuation(self, number: int, m: re.Match) -> None:
        if self.last is None:
            self.bad(number, "string continuation without a keyword before it")
        else:
            self.last[1].append(m.group("s"))

    def blank(self, number: int, m: re.Match) -> None:
        self.last = None
        if self.current is not None and self.current.fields:
            self.current = None  # a comment-only entry stays open: its flags belong to the next msgid

    def bad_line(self, number: int, m: re.Match) -> None:
        line = m.group().strip()
        refused = polib_only(line)
        if refused is None:
            message, check, ends_field = bad_line(line, self.last is None)
            self.bad(number, message, check)
            if ends_field:
                self.last = None
            return
        message, read = refused
        self.refuse(number, message)
        if read is not None:
            m = line_pattern().match(read)  # the line as the lexer always read it
            assert m.lastgroup in ("KEY", "STR"), read
            self.handlers[m.lastgroup](number, m)

    # -- comment lines ----------------------------------------------------------------------------
    def _comment(self) -> ParsedEntry:
        """Every comment line: it belongs to the next entry once the current one has its msgstr."""
        if self.current is None or self.current.done:
            self._new_entry()
        self.last = None
        return self.current

    def bare_comment(self, number: int, m: re.Match) -> None:
        self._comment()

    def occurrence(self, number: int, m: re.Match) -> None:
        self._comment()
        self.after = After.OCCURRENCE

    def extracted(self, number: int, m: re.Match) -> None:
        self._comment()
        self.after = After.EXTRACTED

    def flags(self, number: int, m: re.Match) -> None:
        self._comment().flags += [flag.strip() for flag in m.group("f").split(",")]
        self.after = After.FLAGS

    def translator_comment(self, number: int, m: re.Match) -> None:
        self._comment()
        if self.after == After.MSGCTXT:
            self.refuse(number, "comment between msgctxt and msgid; comments go before msgctxt")
        self.after = After.HEADER_COMMENT if self.after in (After.START, After.HEADER_COMMENT) else After.COMMENT

    def previous_msgid(self, number: int, m: re.Match) -> None:
        current, keyword = self._comment(), m.group("pk")
        if keyword is not None:
            self.previous = [m.group("pv").rstrip()]
            if keyword == "msgid":
                current.previous = self.previous
            self.after = _PREVIOUS_STATE[keyword]
        elif self.after in _PREVIOUS:
            self.previous.append(m.group("pc").rstrip())
        else:  # polib would add it to the msgid or msgstr above
            self.refuse(number, "'#| \"...\"' line without a '#| msgid' line before it")

    def odd_comment(self, number: int, m: re.Match) -> None:
        self._comment()
        self.refuse(number, odd_comment(m.group().strip()))


def _check_entries(entries: list[ParsedEntry], bad, refuse) -> None:
    """Decode the values, then what needs whole entries: missing parts, plurals, characters, duplicates."""
    seen: dict[tuple, int] = {}
    nplurals = None
    for entry in entries:
        keys = entry.fields
        for field in keys.values():
            value = "".join(field[1])
            field[1] = ESCAPE.sub(unescape, value) if "\\" in value else value
        if entry.previous is not None:
            entry.previous = "".join(PREVIOUS_ESCAPE.sub(unescape, piece[1:-1]) for piece in entry.previous)
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
            nplurals = check_header(keys["msgstr"][1], keys["msgstr"][0], bad)
    if nplurals:
        for entry in entries:
            if "msgid_plural" in entry.fields and not entry.commented:
                indexes = sorted(int(k[7:-1]) for k in entry.fields if k.startswith("msgstr["))
                if indexes != list(range(nplurals)):
                    bad(entry.fields["msgid_plural"][0],
                        f"plural entry has msgstr{indexes}, the header's Plural-Forms says nplurals={nplurals}",
                        "po.plural-forms")


def refused_character(value: str) -> str | None:
    """Why the reader would refuse a catalog holding `value` (a control, bidi or misplaced zero-width
    character), or None: text from elsewhere (a TMX file) is held to the same rule before it is written."""
    found: list[str] = []
    _check_characters(value, 0, "text", lambda line, message, check: found.append(message))
    return found[0] if found else None


def _digit_beside(value: str, i: int, step: int) -> bool:
    """A digit next to value[i] on one side, past any other zero-width characters (4‌‌5 is inside 45)."""
    i += step
    while 0 <= i < len(value) and value[i] in _ZERO_WIDTH:
        i += step
    return 0 <= i < len(value) and value[i].isdigit()


def _check_characters(value: str, line: int, keyword: str, bad) -> None:
    run_end, inside_number = 0, False
    for found in _SUSPECT.finditer(value):
        i, ch = found.start(), found.group(0)
        if ch in BIDI_CONTROLS:
            bad(line, f"bidi override/isolate character U+{ord(ch):04X} in {keyword}", "po.control-char")
            return
        if ch in _ZERO_WIDTH:
            # inside a number (digits on both sides) it hides a changed value; next to one digit, ZWNJ and
            # ZWJ are ordinary Persian/Indic spelling (۴۵‌ساله); the others are never needed in text.
            # Every character of a run of zero-width ones has the run's neighbours: looked up once per run
            # (per character, a run of ZWNJ was read back to its start at each: quadratic)
            if i >= run_end:
                run_end = _ZERO_WIDTH_RUN.match(value, i).end()
                inside_number = _digit_beside(value, i, -1) and _digit_beside(value, run_end - 1, 1)
            if inside_number or ch in ("\u200b", "\u2060", "\ufeff"):
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


def check_header(header: str, line: int, bad) -> int | None:
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
    m = plural_forms(plural)
    if not m or not (1 <= int(m[0]) <= 6) or not _PLURAL_EXPR.match(m[1]) or m[1].count("(") != m[1].count(")"):
        bad(line, "broken Plural-Forms header; expected 'nplurals=N; plural=EXPRESSION;'", "po.plural-forms")
        return None
    return int(m[0])


_PLURAL_HEAD = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=")


def plural_forms(plural: str) -> tuple[str, str] | None:
    r"""(N, EXPRESSION) of a Plural-Forms value (no line break in it), as the groups of
    re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*", plural) (tests/test_linear_text.py
    holds them equal), in linear time: that lazy expression tried the trailing \s* at each of its characters,
    quadratic in the spaces inside it. The expression is what follows '=' and its spaces, less the spaces
    and one ';' at the end, never empty (a lone ';' stays; after '=' and only spaces, the last space)."""
    head = _PLURAL_HEAD.match(plural)
    if head is None:
        return None
    rest = plural[head.end():]
    text = rest.lstrip()   # str.isspace is re's \s (all of Unicode, asserted by the tests)
    if not text:
        return (head.group(1), rest[-1]) if rest else None
    end = len(text.rstrip())
    if end >= 2 and text[end - 1] == ";":
        end -= 1
    return head.group(1), text[:end]
