"""The strict PO reader (workflow.catalogs.parser, through reader.read) against polib, the reader it replaced.

Whatever reader.read accepts must read exactly as polib read it in the former catalog.read: msgid,
msgstr (or msgstr[0]), msgctxt, fuzzy, obsolete, flags, previous msgid, the msgstr line, the header's
Language, and the entry list itself (each entry once, obsolete ones included). Compared on the project's
catalogs, the test data, generated well-formed catalogs and near-valid generated text.

polib quirks the reader does not copy, kept out of the comparison:
- the file's last non-blank line is one polib skips (`#,`, `#.` or `#:` without text, `#~| ...`): polib drops
  the last entry;
- the msgstr line: the former read() searched for it from polib's entry start, and took a `# msgstr...`
  translator comment or missed a tab-indented msgstr; the generators write neither.
"""
from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from workflow.catalogs import parser, reader
from workflow.model import WorkflowError

from conftest import REPO

DATA = Path(__file__).parent / "data" / "po"
CATALOGS = sorted((REPO / "locales").glob("*/**/*.po")) + sorted(DATA.glob("good.*.po")) \
    + sorted(DATA.glob("check.*.po"))


def polib_read(text: str) -> tuple[str | None, list[tuple]]:
    """The former catalog.read, without its validation: polib, then the msgstr line searched from the entry start."""
    lines = text.split("\n")
    po = polib.pofile(text, wrapwidth=0)

    def msgstr_line(start: int) -> int:
        for number in range(max(start, 1), len(lines) + 1):
            if lines[number - 1].lstrip("#~ ").startswith("msgstr"):
                return number
        return start

    entries = [(e.msgid, e.msgstr or (e.msgstr_plural or {}).get(0, ""), e.msgctxt, "fuzzy" in e.flags,
                bool(e.obsolete), list(e.flags), e.previous_msgid, msgstr_line(e.linenum))
               for e in po if not (e.msgid == "" and not e.obsolete)]  # polib's list holds obsolete entries too
    return po.metadata.get("Language") or None, entries


def our_read(data: bytes) -> tuple[str | None, list[tuple]]:
    cat = reader.read(data, "x.po")
    return cat.lang, [(e.msgid, e.msgstr, e.msgctxt, e.fuzzy, e.obsolete, list(e.flags), e.previous_msgid, e.line)
                      for e in cat.entries]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_catalog_reads_as_polib_read_it(path):
    data = path.read_bytes()
    assert our_read(data) == polib_read(data.decode("utf-8"))


def test_there_are_catalogs_to_compare():
    assert len(CATALOGS) >= 20


# --- generated well-formed catalogs ------------------------------------------------------------------

# Text the validator accepts in a value: no control, format (bidi, zero-width) or line-separator characters,
# apart from the \n and \t that escape() writes as escapes.
CHAR = st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co", "Cn"))
VALUE = st.text(st.one_of(CHAR, st.sampled_from('\n\t"\\{}%')), max_size=30)
COMMENT = st.text(CHAR, max_size=20).filter(lambda c: not c.lstrip("#~ ").startswith("msgstr"))
FLAGS = st.lists(st.sampled_from(["fuzzy", "python-brace-format", "no-wrap", "c-format"]), min_size=1, max_size=3)


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


@st.composite
def string_lines(draw, keyword: str, value: str, prefix: str = "") -> list[str]:
    """`keyword "value"`, split at random places into continuation lines, never inside an escape."""
    units = re.findall(r"\\.|.", escape(value), re.S)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(units)), max_size=3))))
    chunks = ["".join(units[a:b]) for a, b in zip([0] + cuts, cuts + [len(units)])]
    if draw(st.booleans()):
        chunks.insert(0, "")  # the `msgid ""` style of wrapped strings
    return [f'{prefix}{keyword} "{chunks[0]}"'] + [f'{prefix}"{chunk}"' for chunk in chunks[1:]]


@st.composite
def entry_lines(draw, msgid: str, msgctxt: str | None, obsolete: bool, nplurals: int) -> list[str]:
    prefix = "#~ " if obsolete else ""
    lines = [f"# {c}" for c in draw(st.lists(COMMENT, max_size=2))]
    lines += [f"#. {c}" for c in draw(st.lists(COMMENT, max_size=2))]
    lines += [f"#: source/guide.md:{n}" for n in draw(st.lists(st.integers(1, 999), max_size=2))]
    if draw(st.booleans()):
        lines.append("#, " + ", ".join(draw(FLAGS)))
    if draw(st.booleans()):  # previous msgid: `#|` lines, or `#~|` ones that polib skips on obsolete entries
        old = draw(VALUE)
        if obsolete:
            lines.append(f'#~| msgid "{escape(old)}"')
        else:
            if draw(st.booleans()):
                lines.append(f'#| msgctxt "{escape(draw(VALUE))}"')
            if draw(st.booleans()):
                lines += ["#| " + line for line in draw(string_lines("msgid", old))]
            else:  # as Babel writes it (polib reads it as `" "` + the text, and so do we)
                lines.append(f'#| msgid "" "{escape(old)}"')
    if draw(st.booleans()):  # a blank line between comments and their entry: they still belong to it
        lines.append("")
    if msgctxt is not None:
        lines += draw(string_lines("msgctxt", msgctxt, prefix))
    lines += draw(string_lines("msgid", msgid, prefix))
    if nplurals:
        lines += draw(string_lines("msgid_plural", draw(VALUE), prefix))
        for n in range(nplurals):
            lines += draw(string_lines(f"msgstr[{n}]", draw(VALUE), prefix))
    else:
        lines += draw(string_lines("msgstr", draw(VALUE), prefix))
    return lines


@st.composite
def po_files(draw) -> str:
    lines: list[str] = []
    nplurals = draw(st.sampled_from([None, 1, 2, 3]))
    if draw(st.booleans()):
        lines += [f"# {c}" for c in draw(st.lists(COMMENT, max_size=2))]
        if draw(st.booleans()):
            lines.append("#, fuzzy")
        lines += ['msgid ""', 'msgstr ""']
        lang = draw(st.sampled_from([None, "de", "pt_BR", "zh_CN", "ar"]))
        if lang:
            lines.append(f'"Language: {lang}\\n"')
        lines.append('"Content-Type: text/plain; charset=UTF-8\\n"')
        if nplurals:
            lines.append(f'"Plural-Forms: nplurals={nplurals}; plural=(n != 1);\\n"')
        lines.append("")
    else:
        nplurals = None  # no Plural-Forms: any number of plural forms
    keys = st.tuples(st.booleans(), st.none() | st.text(CHAR, max_size=5), st.text(CHAR, min_size=1, max_size=20))
    keys = draw(st.lists(keys, max_size=8, unique=True))  # (obsolete, msgctxt, msgid): no duplicates
    for obsolete, msgctxt, msgid in keys:
        plural = draw(st.sampled_from([0, 0, nplurals or draw(st.integers(1, 3))]))
        lines += draw(entry_lines(msgid, msgctxt, obsolete, plural))
        lines += [""] * draw(st.integers(0, 2))
    indent = draw(st.sampled_from(["", "  "]))
    if indent:  # leading and trailing spaces on keyword and string lines (not comments)
        lines = [indent + line + " " if line[:1] in ('"', "m") else line for line in lines]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(po_files())
def test_generated_catalog_reads_as_polib_reads_it(text):
    data = text.encode("utf-8")
    assert parser.validate(data, "x.po") == []
    assert our_read(data) == polib_read(text)


# --- near-valid PO text: whatever we accept, polib reads the same -----------------------------------
# Small entries with lines swapped, inserted, repeated or dropped: where the two readers could disagree.

LINES = [
    'msgid "a"', 'msgid "b"', 'msgid ""', 'msgstr "x"', 'msgstr ""', 'msgctxt "c"', 'msgctxt ""', 'msgid_plural "p"',
    'msgstr[0] "x0"', 'msgstr[1] "x1"', 'msgstr[10] "ten"', '"more"', '"esc \\\\ \\" \\t \\n"', '"\xa0nb\xa0"',
    '"Language: de\\n"', '"Language : fr\\n"', '"Language: it\\nzz\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"',
    '#~ msgid "a"', '#~ msgid ""', '#~\tmsgid "e"', '#~  msgstr "o"', '#~ "om"', '#~ msgctxt "c"',
    '#~ msgid_plural "op"', '#~ msgstr[0] "o0"', '#~| msgid "old"', '#~|', '#, fuzzy', '#,', '#, a, b', '#,\tfuzzy ,x',
    '#| msgid "p\\"q"', '#| "q"', '#| msgctxt "pc"', '#| msgid_plural "pp"', '#| msgid p', '#| "q',
    '# tc', '#', '##x', '#. gc', '#.', '#: f:1', '#:', '', '  msgstr "i"', 'msgid\t"tab"', 'msgstr  "sp"   ',
    '#~ #, fuzzy', '#x', '#,fuzzy', '#~msgid "z"', '#~', '#|', 'msgid "u\u2028v"', '# a\u2028b', '# a\rb',
    'msgid\x0c"ff"', 'msgid "cr"\r', '#. é漢', 'msgstr "é"', 'msgid\xa0"nbsp"',
]
COMMENTS = ['# tc', '#. gc', '#: f:1', '#, fuzzy', '#| msgid "p"', '#| "q"', '#| msgid "" "p"', '#~| msgid "old"', '']
_SKIPPED_BY_POLIB = re.compile(r"#[.:,]|#~\|.*")


@st.composite
def near_valid(draw) -> list[str]:
    lines = []
    for number in range(draw(st.integers(1, 4))):
        prefix = draw(st.sampled_from(["", "", "#~ "]))
        lines += draw(st.lists(st.sampled_from(COMMENTS), max_size=3))
        if draw(st.booleans()):
            lines.append(f'{prefix}msgctxt "c"')
        lines += [f'{prefix}msgid "m{number}"'] + [f'{prefix}"more"'] * draw(st.integers(0, 1))
        if draw(st.booleans()):
            lines += [f'{prefix}msgid_plural "p"', f'{prefix}msgstr[0] "x0"', f'{prefix}msgstr[1] "x1"']
        else:
            lines += [f'{prefix}msgstr "x"'] + [f'{prefix}"more"'] * draw(st.integers(0, 1))
        lines += [""] * draw(st.integers(0, 1))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["swap", "insert", "repeat", "drop"]))
        if change == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif change == "insert":
            lines.insert(at, draw(st.sampled_from(LINES)))
        elif change == "repeat":
            lines.insert(at, lines[at])
        elif len(lines) > 1:
            del lines[at]
    return lines


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_valid(), st.sampled_from(["\n", "\r\n"]))
@example(['msgid "a"', 'msgstr "x"', '#~ msgid "a"', '#~ msgstr "o"'], "\n")
@example(['msgid "a"', '#. gc', 'msgstr "x"'], "\n")
@example(['msgid_plural "p"', 'msgid "a"', 'msgstr[0] "x"'], "\n")
def test_whatever_we_accept_polib_reads_the_same(lines, newline):
    text = newline.join(lines)
    try:
        ours = our_read(text.encode("utf-8"))
    except WorkflowError:
        return
    written = [line.strip() for line in lines if line.strip()]
    if written and _SKIPPED_BY_POLIB.fullmatch(written[-1]):
        return  # polib drops the last entry there
    assert ours == polib_read(text)


# --- what polib refused (read() turned its exception into po.syntax): still refused, at its line -----
# validate() (what `update` checks before Babel reads a file) leaves them alone, as it always did.

@pytest.mark.parametrize("text, line, polib_refuses", [
    ('# x\n#x comment\nmsgid "a"\nmsgstr "b"\n', 2, True),         # comment forms
    ('msgid "a"\nmsgstr "b"\n\n#~\n', 4, True),
    ('#,fuzzy\nmsgid "a"\nmsgstr "b"\n', 1, True),
    ('#~msgid "a"\n#~ msgstr "b"\n', 1, True),
    ('#|\nmsgid "a"\nmsgstr "b"\n', 1, True),
    ('#| msgstr "old"\nmsgid "a"\nmsgstr "b"\n', 1, True),
    ('msgid "a"\n#. note\nmsgstr "b"\n', 3, True),                   # orders
    ('msgid "a"\nmsgid_plural "p"\n#, fuzzy\nmsgstr[0] "b"\n', 4, True),
    ('msgctxt "c"\n# note\nmsgid "a"\nmsgstr "b"\n', 2, True),
    ('msgid_plural "p"\nmsgid "a"\nmsgstr[0] "b"\n', 1, True),
    ('msgid "a"\n#: f.md:1\nmsgid_plural "p"\nmsgstr[0] "b"\n', 3, True),
    ('msgid "a"\nmsgstr[0] "b"\nmsgid_plural "p"\n', 3, True),
    ('msgid "a"\nmsgstr "b\u2028c"\n', 2, True),                     # polib splits lines there
    ('# a\u2028b\nmsgid "a"\nmsgstr "b"\n', 1, True),
    ('msgid\x0c"a"\nmsgstr "b"\n', 1, True),
    ('msgid "a"\n#| "x"\nmsgstr "b"\n', 2, False),                 # polib added "x" to the msgid
])
def test_polib_refusals_are_refused_at_their_line(text, line, polib_refuses):
    data = text.encode("utf-8")
    with pytest.raises(WorkflowError) as info:
        reader.read(data, "x.po")
    assert [(p.line, p.check) for p in info.value.problems] == [(line, "po.syntax")], str(info.value)
    assert parser.validate(data, "x.po") == []
    try:
        polib.pofile(text, wrapwidth=0)
    except OSError:
        assert polib_refuses
    else:
        assert not polib_refuses


def test_plural_index_is_one_polib_reads_whole():
    """polib reads msgstr[01] as msgstr[0] and msgstr[²] not at all: the index must be 0, 1, 2..."""
    for index in ("01", "\u00b2", "\u0663"):
        data = f'msgid "a"\nmsgid_plural "p"\nmsgstr[{index}] "b"\n'.encode("utf-8")
        assert (3, "po.plural-forms") in [(p.line, p.check) for p in parser.validate(data, "x.po")]
