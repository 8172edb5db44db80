"""The quick route of the PO reader (workflow.catalogs.quick) against the line-by-line route it shortcuts.

Whenever quick.read answers, reader.read_strict accepts the file and reads the same entries (text, flags,
lines, previous msgid) and the same header; where it answers None, reader.read reports what the strict
route reports. Compared on every catalog of the project and the test data, on generated catalogs in the
layout the quick route reads, and on generated broken and hostile ones (unterminated strings, bad
escapes, duplicates, plurals, contexts, obsolete and previous fields, every comment form, control,
bidi and zero-width characters, CRLF, BOM, invalid UTF-8).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from workflow.catalogs import quick, reader
from workflow.model import TranslatedCatalog, WorkflowError

from conftest import REPO

DATA = Path(__file__).parent / "data" / "po"
PROJECT_CATALOGS = sorted((REPO / "locales").glob("*/**/*.po"))
CATALOGS = PROJECT_CATALOGS + sorted(DATA.glob("*.po"))


def strict(data: bytes):
    """What the line-by-line route gives: ("ok", entries, header) or ("refused", problems)."""
    try:
        return ("ok", *reader.read_strict(data, "x.po"))
    except WorkflowError as exc:
        return "refused", exc.problems


def public(data: bytes):
    """What reader.read gives, in the same shape, with the language it read from the header."""
    try:
        cat = reader.read(data, "x.po")
    except WorkflowError as exc:
        return "refused", exc.problems
    return "ok", cat.entries, cat.lang


def assert_same(data: bytes) -> bool:
    """The two routes agree on `data`; True when the quick route answered."""
    plain = strict(data)
    found = quick.read(data)
    if found is not None:
        assert plain == ("ok", *found)
    expected = plain if plain[0] == "refused" else \
        ("ok", plain[1], reader._language(plain[2]) if plain[2] is not None else None)
    assert public(data) == expected
    return found is not None


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_catalog_reads_the_same_by_both_routes(path):
    assert_same(path.read_bytes())


def test_the_project_catalogs_take_the_quick_route():
    good = PROJECT_CATALOGS + sorted(DATA.glob("good.*.po"))   # good.fa-zwnj.po: joiners in words
    assert PROJECT_CATALOGS and all(assert_same(path.read_bytes()) for path in good)


def test_reader_returns_a_catalog_by_either_route():
    data = b'msgid ""\nmsgstr "Language: de\\nContent-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    cat = reader.read(data, "x.po")
    assert cat == TranslatedCatalog("x.po", "de", cat.entries) and quick.read(data) is not None
    assert reader.read(data.replace(b'msgid "a"', b' msgid "a"'), "x.po") == cat   # indented: strict route


# --- generated catalogs -------------------------------------------------------------------------------

SAFE = st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn"))
HOSTILE = st.sampled_from(["\x00", "\x07", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\x9f", "\u2028", "\u2029",
                           "\u202e", "\u2067", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
                           "\u200e", "\xa0", "\u3000", "\t", "٣", "4"])
PUNCT = st.sampled_from(['"', "\\", "\n", "\t", "#", "~", "|", ",", ":", ".", " ", "msgid", "fuzzy", "{0}", "%s"])
RAW_ESCAPES = ["\\\\", '\\"', "\\n", "\\t", "\\r", "\\a", "\\b", "\\f", "\\v", "\\q", "\\", "\\x41", '"']


def one_in(draw, n: int) -> bool:
    """True about once in n draws (hypothesis favours the ends of a range: the middle value is plain luck)."""
    return draw(st.integers(0, n - 1)) == n // 2


@st.composite
def value(draw, hostile: bool) -> str:
    """A field's text as it is written between quotes (escaped), maybe with a raw escape or a stray quote."""
    chars = st.one_of(SAFE, PUNCT, HOSTILE) if hostile and one_in(draw, 4) else st.one_of(SAFE, PUNCT)
    text = "".join(draw(st.lists(chars, max_size=12)))
    written = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    if hostile and one_in(draw, 8):
        at = draw(st.integers(0, len(written)))
        written = written[:at] + draw(st.sampled_from(RAW_ESCAPES)) + written[at:]
    return written


@st.composite
def field(draw, keyword: str, prefix: str, hostile: bool) -> list[str]:
    """`keyword "..."` and its continuation lines, cut at random places (never inside an escape)."""
    written = draw(value(hostile))
    pieces, rest = [], written
    while rest and one_in(draw, 3):
        at = draw(st.integers(0, len(rest)))
        while at and rest[:at].endswith("\\") and (len(rest[:at]) - len(rest[:at].rstrip("\\"))) % 2:
            at -= 1
        pieces.append(rest[:at])
        rest = rest[at:]
    pieces.append(rest)
    if draw(st.booleans()):
        pieces.insert(0, "")
    cont = draw(st.sampled_from(["", "#~ "])) if hostile and one_in(draw, 8) else prefix
    return [f'{prefix}{keyword} "{pieces[0]}"'] + [f'{cont}"{piece}"' for piece in pieces[1:]]


COMMENTS = ["# note", "#", "##x", "# ", "#  two", "#. extracted", "#.", "#. ", "#: source/g.md:12", "#:", "#: a b",
            "#, fuzzy", "#, python-brace-format", "#, fuzzy, c-format", "#,", "#, ", "#,  fuzzy ,x", "#, ,",
            '#| msgid "old"', '#| msgid "ol\\"d\\n"', '#| msgctxt "c"', '#| msgid_plural "p"', '#| "cont"',
            '#| msgid "" "babel"', '#| "cont"  ', '# a #, b #| c']
ODD_COMMENTS = ["#x", "#,fuzzy", "#|", "#| msgstr \"o\"", "#| msgid", "#| msgid p", "#~", "#~|", '#~| msgid "o"',
                "#.x", "#:x", "#\tx", "#.\tx", "#,\tfuzzy", "# a\u2028b", "# a\rb", "#| \"q", "#|  msgid  \"x\""]
HOSTILE_LINES = ['"stray"', 'msgstd "x"', "junk", 'msgid "a" junk', 'msgid "unterminated', 'msgstr[x] "b"',
                 'msgstr[01] "b"', 'msgid\t"tab"', 'msgid  "two"', '  msgid "in"', 'msgid "t"  ', "  ", "\t",
                 'msgid_plural "p"', 'msgstr[0] "z"', 'msgstr[1] "o"', '#~ msgid "x"', '#~msgid "y"', '#~ "c"']
HEADERS = ["Content-Type: text/plain; charset=UTF-8\\n", "Content-Type: text/plain; charset=utf-8\\n",
           "Content-Type: text/plain; charset=CHARSET\\n", "Content-Type: text/plain; charset=latin-1\\n",
           "Content-Type: text/plain\\n", "Language: de\\n", "Language: pt_BR\\n", "Language : fr\\n",
           "Language: it\\nzz\\n", "Plural-Forms: nplurals=2; plural=(n != 1);\\n", "Plural-Forms: nplurals=1; plural=0;\\n",
           "Plural-Forms: nplurals=9; plural=n;\\n", "Plural-Forms: broken\\n", "X-Other: a:b\\n", "continued\\n"]


@st.composite
def entry(draw, hostile: bool, header: bool = False) -> list[str]:
    prefix = "" if header else draw(st.sampled_from(["", "", "", "#~ "]))
    lines = draw(st.lists(st.sampled_from(COMMENTS), max_size=4))
    if hostile and one_in(draw, 4):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(ODD_COMMENTS)))
    if one_in(draw, 4):
        lines.append("")   # comments still belong to the entry after a blank line
    if not header and one_in(draw, 4):
        lines += draw(field("msgctxt", prefix, hostile))
    if header:
        fields = draw(st.lists(st.sampled_from(HEADERS), max_size=3))
        if not (hostile and one_in(draw, 4)):
            fields.insert(draw(st.integers(0, len(fields))), HEADERS[0])
        lines += ['msgid ""', 'msgstr ""'] + [f'"{h}"' for h in fields]
        return lines
    lines += draw(field("msgid", prefix, hostile))
    if hostile and one_in(draw, 6):
        lines += draw(field("msgid_plural", prefix, hostile))
        for n in range(draw(st.integers(0, 3))):
            lines += draw(field(f"msgstr[{n}]", prefix, hostile))
    else:
        lines += draw(field("msgstr", prefix, hostile))
    return lines


@st.composite
def catalogs(draw, hostile: bool) -> bytes:
    lines = []
    if draw(st.booleans()):
        lines += draw(entry(hostile, header=True)) + [""]
    entries = draw(st.lists(entry(hostile), max_size=6))
    if entries and one_in(draw, 6):
        entries.append(draw(st.sampled_from(entries)))   # a duplicate (or a duplicate of an obsolete one)
    for lines_of_entry in entries:
        lines += lines_of_entry + [""] * draw(st.integers(0, 2))
    # comments after the last entry (the quick route leaves `#|` lines there to the strict one)
    lines += draw(st.lists(st.sampled_from(COMMENTS if hostile else [c for c in COMMENTS if "#|" not in c]),
                           max_size=2))
    if hostile:
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))):
            at = draw(st.integers(0, len(lines)))
            change = draw(st.sampled_from(["insert", "drop", "swap", "cut", "indent", "char"]))
            if change == "insert":
                lines.insert(at, draw(st.sampled_from(HOSTILE_LINES + ODD_COMMENTS)))
            elif at < len(lines) and change == "drop":
                del lines[at]
            elif at + 1 < len(lines) and change == "swap":
                lines[at], lines[at + 1] = lines[at + 1], lines[at]
            elif at < len(lines) and change == "cut":
                lines[at] = lines[at][:draw(st.integers(0, len(lines[at])))]
            elif at < len(lines) and change == "indent":
                lines[at] = draw(st.sampled_from([" ", "\t", ""])) + lines[at] + draw(st.sampled_from([" ", "\t", ""]))
            elif at < len(lines):
                where = draw(st.integers(0, len(lines[at])))
                lines[at] = lines[at][:where] + draw(HOSTILE) + lines[at][where:]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    data = (newline.join(lines) + draw(st.sampled_from(["", newline]))).encode("utf-8")
    if hostile:
        if one_in(draw, 10):
            data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe"])) + data
        if data and one_in(draw, 16):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\r", b"\x00"])) + data[at:]
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogs(hostile=False))
@example(b'#| msgid "o"\n#.\n#:\n#, \n\n#| "x"\nmsgid "a"\nmsgstr "b"\n')   # bare comments: `#| "x"` continues
@example(b'msgid ""\nmsgstr "Language: fr\\nContent-Type: text/plain; charset=UTF-8\\n"\n\n'
         b'msgctxt ""\nmsgid ""\nmsgstr "Language: de\\n"\n')   # polib's header: the last without a context
@example('msgid "I want"\nmsgstr "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u06f4\u06f5\u200c"\n'.encode())  # ZWNJ in words
def test_catalogs_in_the_common_layout_take_the_quick_route(data):
    """Catalogs as PO writers lay them out: the quick route answers, and as the strict route does."""
    plain = strict(data)
    if plain[0] == "refused":   # a duplicate, a header with a bad charset or Plural-Forms
        assert quick.read(data) is None
        return
    assert assert_same(data)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(catalogs(hostile=True))
@example(b'#| "x"\nmsgid "a"\nmsgstr "b"\n')
@example(b'#| msgid "o"\n#.\n#| "x"\nmsgid "a"\nmsgstr "b"\n')
@example(b'#| msgid "o"\n#. c\n#| "x"\nmsgid "a"\nmsgstr "b"\n')
@example(b'msgid "a"\nmsgstr "b"\n#| "x"\n')
@example(b'msgctxt ""\nmsgid ""\nmsgstr "Language: de\\n"\n\nmsgid ""\nmsgstr "Language: fr\\n"\n')
@example(b'msgid "a"\r\nmsgstr "b\rc"\r\n')
@example(b'msgid "a"\r\r\nmsgstr "b"\r\n')
@example(b'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "b"\n')
@example(b'#~ msgid "a"\n"b"\n#~ msgstr "c"\n')
@example(b'msgid "a"\nmsgstr "b\\rc"\n')
@example(b'msgid "1\xe2\x80\x8c2"\nmsgstr "b"\n')
def test_broken_and_hostile_catalogs_read_the_same_by_both_routes(data):
    assert_same(data)
