"""Strict PO syntax validation with line numbers.

polib and Babel's reader accept several broken files silently (an unterminated string loses a
character, `msgstd` lines vanish, NUL bytes pass): this lexer refuses them before either reads the file.
"""
from __future__ import annotations

import re
import unicodedata

from .model import ERROR, Problem

MAX_BYTES = 4 * 1024 * 1024  # real catalogs are ~100 KB; bigger files are refused, not parsed for minutes
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[([^\]]*)\])?)\s+(".*)$')
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_BIDI_CONTROLS = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_PLURAL_EXPR = re.compile(r"^[n0-9\s()?:<>=!&|%+\-*/]+$")


_LITERAL = re.compile(r'"((?:[^"\\]|\\[\\"ntrabfv])*)"', re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)
_SUSPECT = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _string(literal: str) -> str | None:
    """Decode one C string literal `"..."`; None if malformed (unterminated, bad escape, junk after it).

    Regex-based so that a catalog near MAX_BYTES is validated in seconds, not one Python step per character.
    """
    m = _LITERAL.fullmatch(literal)
    if m is None:
        return None
    body = m.group(1)
    return _ESCAPE.sub(lambda e: _ESCAPES[e.group(1)], body) if "\\" in body else body


class _Entry:
    def __init__(self, line: int):
        self.line = line
        self.fields: dict[str, list] = {}   # keyword -> [line, text]
        self.obsolete = False

    def has_msgstr(self) -> bool:
        return any(k.startswith("msgstr") for k in self.fields)


def validate(data: bytes, path: str) -> list[Problem]:
    """All syntax problems of a PO/POT file; an empty list means polib/Babel may read it."""
    problems: list[Problem] = []

    def bad(line: int, message: str, check: str = "po.syntax") -> None:
        problems.append(Problem(path, line, ERROR, message, check))

    if len(data) > MAX_BYTES:
        bad(1, f"catalog is {len(data) // (1024 * 1024)} MiB, over the {MAX_BYTES // (1024 * 1024)} MiB limit", "po.size")
        return problems
    if data.startswith(b"\xef\xbb\xbf"):
        bad(1, "byte order mark at the start of the file; save as UTF-8 without BOM", "po.encoding")
        return problems
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        bad(1, "file is UTF-16; catalogs must be UTF-8", "po.encoding")
        return problems
    if _looks_utf16(data):
        bad(1, "file looks like UTF-16 without a byte order mark; catalogs must be UTF-8", "po.encoding")
        return problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad(data.count(b"\n", 0, exc.start) + 1, f"invalid UTF-8 byte 0x{data[exc.start]:02x}", "po.encoding")
        return problems

    entries: list[_Entry] = []
    current: _Entry | None = None
    last_field: list | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if "\x00" in line:
            bad(number, "NUL byte", "po.control-char")
        stripped = line.strip()
        if not stripped:
            current, last_field = None, None
            continue
        obsolete = stripped.startswith("#~")
        if obsolete:
            stripped = stripped[2:].strip()
            if stripped.startswith("|") or not stripped:
                continue
        elif stripped.startswith("#"):
            if current is None or current.has_msgstr():
                current = _Entry(number)
                entries.append(current)
            last_field = None
            continue
        if stripped.startswith('"'):
            if last_field is None:
                bad(number, "string continuation without a keyword before it")
                continue
            value = _string(stripped)
            if value is None:
                bad(number, f"malformed string {_clip(stripped)} (unterminated, bad escape or junk after the quote)")
                continue
            last_field[1] += value
            continue
        m = _KEYWORD.match(stripped)
        if not m:
            word = stripped.split()[0] if stripped.split() else stripped
            bad(number, f"unknown keyword or junk line {_clip(word)}")
            last_field = None
            continue
        keyword, index, literal = m.group(1), m.group(2), m.group(3)
        if index is not None and not index.isdigit():
            bad(number, f"bad plural index in {keyword}", "po.plural-forms")
            continue
        value = _string(literal.strip())
        if value is None:
            bad(number, f"malformed string {_clip(literal)} (unterminated, bad escape or junk after the quote)")
            continue
        if current is None or (keyword in ("msgctxt", "msgid") and current.has_msgstr()) \
                or (keyword == "msgctxt" and "msgid" in current.fields):
            current = _Entry(number)
            entries.append(current)
        current.obsolete = current.obsolete or obsolete
        if keyword in current.fields:
            bad(number, f"{keyword} appears twice in one entry")
        current.fields[keyword] = last_field = [number, value]

    seen: dict[tuple, int] = {}
    nplurals = None
    for entry in entries:
        if not entry.fields:
            continue
        keys = entry.fields
        first = min(v[0] for v in keys.values())
        if "msgid" not in keys:
            bad(first, "entry has no msgid")
            continue
        msgstrs = sorted(k for k in keys if k.startswith("msgstr"))
        if not msgstrs:
            bad(keys["msgid"][0], "msgid without msgstr")
        if "msgid_plural" in keys and "msgstr" in keys:
            bad(keys["msgstr"][0], "plural entry needs msgstr[0], msgstr[1]..., not msgstr", "po.plural-forms")
        if "msgid_plural" not in keys and any(k != "msgstr" for k in msgstrs):
            bad(keys[msgstrs[0]][0], "msgstr[n] without msgid_plural", "po.plural-forms")
        for keyword, (number, value) in keys.items():
            _check_characters(value, number, keyword, bad)
        if entry.obsolete:
            continue
        key = (keys.get("msgctxt", [0, None])[1], keys["msgid"][1])
        if key in seen:
            bad(keys["msgid"][0], f"duplicate msgid (first defined at line {seen[key]})", "po.duplicate")
        else:
            seen[key] = keys["msgid"][0]
        if key == (None, "") and "msgstr" in keys:
            nplurals = _check_header(keys["msgstr"][1], keys["msgstr"][0], bad)
    if nplurals:
        for entry in entries:
            if "msgid_plural" in entry.fields and not entry.obsolete:
                indexes = sorted(int(k[7:-1]) for k in entry.fields if k.startswith("msgstr["))
                if indexes != list(range(nplurals)):
                    bad(entry.fields["msgid_plural"][0],
                        f"plural entry has msgstr{indexes}, the header's Plural-Forms says nplurals={nplurals}",
                        "po.plural-forms")
    return problems


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
        bad(line, f"header declares charset={charset.group(1)}; catalogs must be UTF-8", "po.charset")
    plural = fields.get("plural-forms")
    if plural is None:
        return None
    m = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*", plural)
    if not m or not (1 <= int(m.group(1)) <= 6) or not _PLURAL_EXPR.match(m.group(2)) \
            or m.group(2).count("(") != m.group(2).count(")"):
        bad(line, f"broken Plural-Forms header {plural!r}", "po.plural-forms")
        return None
    return int(m.group(1))


def _clip(text: str, size: int = 40) -> str:
    return repr(text if len(text) <= size else text[:size] + "...")
