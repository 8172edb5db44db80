"""The compiled route of the quick PO reader (catalogs/_poscan.c, quick.read_compiled) against the Python
route it copies (quick.read, the reference): the same answer, entry for entry and field for field, or None
where quick.read says None, for every input. Compared on every catalog of the project, the test data and
a generated corpus; on generated catalogs, valid and hostile (test_quick_read's, then mutated byte by byte:
invalid UTF-8, every unsafe character, joiners, NUL, CR/LF, 1-, 2- and 4-byte characters, huge lines, deep
continuations); on every code point in a value and in a comment; on every two-byte sequence.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from workflow.catalogs import quick, reader

from conftest import REPO
from test_quick_read import CATALOGS, catalogs
from compiler import compiler_found

# every test but the first: where no C compiler was found at install, there is no compiled route to compare
compiled = pytest.mark.skipif(quick.scan is None, reason="_poscan not built (no C compiler at install)")


def assert_same(data: bytes):
    """Both routes give the same answer (also as repr: True is not 1, a str is a str); returns it. The scan
    of a view that ends before bytes which would change the answer answers as the scan of the bytes: it
    reads nothing past the end."""
    expected = quick.read(data)
    found = quick.read_compiled(data)
    assert found == expected
    assert repr(found) == repr(expected)
    assert scanned(memoryview(data + b'"\n"\\#|\xff')[:len(data)]) == scanned(data)
    return found


def scanned(data) -> str:
    try:
        return repr(quick.scan(data, quick.Entry, quick._previous))
    except quick._NotQuick:
        return "not quick"


def test_the_compiled_route_is_the_one_in_use():
    """Where setuptools finds a C compiler (CI, `make setup`), the module is built and reader.read takes it."""
    if not compiler_found():
        pytest.skip("no C compiler: the Python route is the one in use")
    assert quick.scan is not None and quick.ROUTE is quick.read_compiled
    assert reader.quick.ROUTE is quick.read_compiled


@compiled
@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_catalog_reads_the_same_by_both_routes(path):
    assert_same(path.read_bytes())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c"
    subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), str(out), "--guides", "3",
                    "--langs", "de,ru,ko,ja,ar,en_XA", "--jobs", "1"], check=True, capture_output=True)
    return out


@compiled
def test_a_generated_corpus_reads_the_same_and_takes_the_quick_route(corpus):
    paths = sorted(corpus.glob("locales/*/LC_MESSAGES/*.po"))
    assert len(paths) == 6 * (3 + 1)   # 3 guides and the UI, in 6 languages
    assert all(assert_same(path.read_bytes()) is not None for path in paths)


# --- generated catalogs --------------------------------------------------------------------------------

# Sequences the scan must read as the UTF-8 decoder and quick._UNSAFE do: each unsafe character (C0, C1,
# bidi, zero-width, line separators, BOM), the joiners, characters of every width, and invalid bytes
# (overlong, surrogate, over U+10FFFF, truncated, stray continuation, bytes never in UTF-8).
SEQUENCES = [c.encode() for c in "\x00\x01\x08\t\x0b\x0c\r\x1b\x1f\x7f\x80\x85\x9f\xa0é\u200b\u200c\u200d\u200e"
             "\u2028\u2029\u202a\u202e\u202f\u2060\u2066\u2069\u206a\ufeff\ufffd\uffff\U0001f600\U0010ffff"
             "ж한中"] + [b"\xc0\xaf", b"\xc1\xbf", b"\xe0\x80\xaf", b"\xe0\x9f\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf",
                        b"\xf0\x80\x80\xaf", b"\xf0\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xff",
                        b"\xfe", b"\x80", b"\xbf", b"\xc3", b"\xe2\x80", b"\xf0\x9f\x98", b"\r\n", b"\n", b'"',
                        b"\\", b"\\n", b"\\t", b'\\"', b"\\\\", b"\\r", b"#", b"#|", b"#~ ", b"#,", b" "]
WIDE = st.sampled_from(["é", "ÿ", "ж", "한", "中", "\U0001f600", "\U0010ffff", "a", "\u200c", "\u200d"])


@st.composite
def mutated(draw) -> bytes:
    """A catalog (clean or hostile) with bytes inserted, deleted or replaced at random places."""
    data = draw(catalogs(hostile=draw(st.booleans())))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        change = draw(st.sampled_from(["sequence", "byte", "delete", "crlf", "cut"]))
        if change == "sequence":
            data = data[:at] + draw(st.sampled_from(SEQUENCES)) + data[at:]
        elif change == "byte":
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at:]
        elif change == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 3)):]
        elif change == "crlf":
            data = data.replace(b"\n", b"\r\n")
        else:
            data = data[:at]
    return data


@st.composite
def wide_catalogs(draw) -> bytes:
    """Clean catalogs whose values and comments hold characters of every width (str kinds 1, 2 and 4)."""
    text = st.text(WIDE, max_size=8)
    lines = ['msgid ""', 'msgstr "Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for n in range(draw(st.integers(1, 4))):
        lines += [f"# {draw(text)}", f"#. {draw(text)}", f'#| msgid "{draw(text)}"']
        if draw(st.booleans()):
            lines.append(f'msgctxt "{draw(text)}"')
        lines += [f'msgid "{n}{draw(text)}"', f'"{draw(text)}"', f'msgstr "{draw(text)}"', f'"{draw(text)}\\n"', ""]
    return "\n".join(lines).encode()


def examples(n: int):
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@compiled
@examples(200)
@given(catalogs(hostile=False))
def test_catalogs_in_the_common_layout_read_the_same(data):
    assert_same(data)


@compiled
@examples(500)
@given(catalogs(hostile=True))
@example(b'#| "x"\nmsgid "a"\nmsgstr "b"\n')
@example(b'# a #| b\nmsgid "a"\nmsgstr "b"\n')
@example(b'msgid "a"\nmsgstr "b"\n# a #| b')
@example(b'msgid "a"\nmsgstr "b"\r')
@example(b'msgid "a"\r\r\nmsgstr "b"\r\n')
@example(b'#~ msgid "a"\n"b"\n#~ msgstr "c"\n')
@example(b'msgid "a"\n"b\nmsgstr "c"\n')
@example(b'msgid "1\xe2\x80\x8c2"\nmsgstr "b"\n')
@example(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=latin-1\\n"\n')
def test_hostile_catalogs_read_the_same(data):
    assert_same(data)


@compiled
@examples(800)
@given(mutated())
@example(b'msgid "a\xc3"\n"\xa9"\nmsgstr "b"\n')   # a character cut by a line break: invalid, joined or not
@example(b'msgid "a"\nmsgstr "\xe2\x80\x8c"\n')
@example(b'\xef\xbb\xbfmsgid "a"\nmsgstr "b"\n')
@example(b'\xff\xfem\x00s\x00g\x00')
def test_mutated_catalogs_read_the_same(data):
    assert_same(data)


@compiled
@examples(300)
@given(wide_catalogs())
def test_characters_of_every_width_read_the_same(data):
    assert assert_same(data) is not None


@compiled
def test_huge_lines_and_deep_continuations_read_the_same():
    word = "é中\U0001f600" * 40_000
    deep = "".join(f'"{n}\\n"\n' for n in range(20_000))
    for text in (f'msgid "a"\nmsgstr "{word}"\n', f'# {word}\nmsgid "{word}"\nmsgstr ""\n{deep}',
                 f'#~ msgid ""\n#~ {deep.replace(chr(10), chr(10) + "#~ ")}#~ msgstr "x"\n',
                 f'msgid "a"\nmsgstr "{word}', f'msgid "a"\nmsgstr ""\n{deep}"unterminated\n'):
        assert_same(text.encode())


@compiled
def test_every_code_point_reads_the_same_in_a_value_and_in_a_comment():
    points = [c for c in range(0x30000) if not 0xd800 <= c <= 0xdfff] + list(range(0xe0000, 0x110000, 0x101))
    for c in points:
        ch = chr(c)
        for text in (f'msgid "a"\nmsgstr "{ch}"\n', f'# {ch}\nmsgid "a"\nmsgstr "b"\n'):
            data = text.encode("utf-8")
            assert (quick.read_compiled(data) is None) == (quick.read(data) is None), hex(c)


@compiled
def test_every_two_byte_sequence_reads_the_same():
    for lead in range(0x80, 0x100):
        for second in range(0x100):
            for tail in (b"", b"\x80", b"\x80\x80"):
                assert_same(b'msgid "a"\nmsgstr "' + bytes([lead, second]) + tail + b'"\n')


@compiled
def test_the_scan_takes_bytes_like_objects_only():
    data = b'msgid "a"\nmsgstr "b"\n'
    assert quick.scan(bytearray(data), quick.Entry, quick._previous) == quick.scan(data, quick.Entry, quick._previous)
    with pytest.raises(TypeError):
        quick.scan(data.decode(), quick.Entry, quick._previous)
