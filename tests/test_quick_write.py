"""quickwrite writes what Babel's write_po writes, byte for byte (issue 17: the cheaper route of `extract`
and of every catalog written; write_po stays the plain route and the reference)."""
from __future__ import annotations

import io

from babel.messages.catalog import Catalog
from babel.messages.pofile import WORD_SEP, normalize, read_po, write_po
from hypothesis import given, settings, strategies as st

from workflow.catalogs import quickwrite, writer

from conftest import REPO
from test_hostile_limits import run_python

# words that wrap (long, hyphenated, em-dashes), escapes, CJK without spaces, every kind of whitespace
words = st.sampled_from(
    ["a", "the", "knee", "osteoarthritis-stem-cells", "well-known", "x" * 40, "y" * 90, "--", "word--word", "-",
     "---", '"', '\\', "\t", "\r", "\n", "\r\n", " ", "  ", "\u00a0", "\u2028", "\x0b", "\x0c", "\x1c", "\u3000",
     "再生医療の費用は", "膝", "{price1}", "{n}", "$1,200", "100%", "é", "Ω", "!", "'s", "&", ".", ",", "?",
     "\u2068a b.md\u2069", "-x", "a-", "ab-cd", "1-2", "B-52s"])
texts = st.lists(words, max_size=40).map(" ".join) | st.lists(words, max_size=40).map("".join)
widths = st.sampled_from([76, 76, 76, 73, 1, 2, 3, 4, 10, 20, 40, 75, 77, 0, -1])


@settings(max_examples=4000)
@given(texts)
def test_chunks_are_babels(text):
    for line in text.splitlines(True) or [text]:
        assert quickwrite._chunks(line) == WORD_SEP.split(line)


@settings(max_examples=6000)
@given(st.text(alphabet="ab-Z9_éж.!\"'&,?()—", max_size=16))
def test_runs_are_split_as_babel_splits_them(run):
    assert quickwrite._split_run(run) == WORD_SEP.split(run)


def test_a_long_hyphenated_word_is_split_in_linear_time():
    # WORD_SEP reads the word to its end from each of its characters: ~6 minutes for a guide-sized word
    cpu = float(run_python("import time; from workflow.catalogs.quickwrite import quick_normalize; "
                           "t = time.process_time(); quick_normalize('a' * 250000 + '-b ' + 'c-' * 20000, 76); "
                           "print(time.process_time() - t)", timeout=120))
    assert cpu < 5


@settings(max_examples=4000)
@given(texts, widths)
def test_normalize_is_babels(text, width):
    assert quickwrite.quick_normalize(text, width) == normalize(text, width=width)


def test_short_lines_with_a_break_or_an_escape_are_normalized_as_babel_does():
    # every character str.splitlines breaks at (normalize splits there) and every one escape() doubles,
    # in strings at and around the width where a plain line is quoted as it is
    specials = [chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) > 1] + ['"', "\\", "\t"]
    for special in specials + ["", " ", "-", "\u00a0"]:
        for size in (0, 1, 5, 72, 73, 74, 75, 76):
            for text in (special + "x" * size, "x" * size + special, "x" * (size // 2) + special + "y" * (size // 2)):
                for width in (76, 10, 3, 2, 1):
                    assert quickwrite.quick_normalize(text, width) == normalize(text, width=width), (text, width)


def test_memoized_runs_are_split_as_babel_splits_them():
    for run in ["stem-cell", "long-term", "x" * 63 + "-y", "a" * 64 + "-bc", "a" * 65 + "-bc", "--a", "ab--cd"]:
        for line in (run, f"{run} {run}", f"a {run}-b {run}\t{run}"):
            assert quickwrite._chunks(line) == WORD_SEP.split(line)


def _babel(catalog: Catalog, width: int) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=width, include_previous=False, sort_output=False)
    return buf.getvalue()


names = st.sampled_from(["source/a.md", "source/guide-001-knee-osteoarthritis-stem-cells.md", "templates/x y.html",
                         "s/\u2068q r\u2069.md", "b.md"])
messages = st.lists(st.tuples(
    texts.filter(bool), texts,
    st.lists(texts, max_size=3), st.lists(texts, max_size=2),
    st.lists(st.tuples(names, st.none() | st.integers(0, 100000)), max_size=6),
    st.sets(st.sampled_from(["python-brace-format", "fuzzy", "c-format", "no-wrap"])),
    st.none() | texts), max_size=12)


@settings(max_examples=600, deadline=None)
@given(messages, widths, st.booleans())
def test_catalog_is_written_as_babel_writes_it(entries, width, header):
    catalog = Catalog(project="p" if header else None, version="1", charset="utf-8", fuzzy=header,
                      header_comment="# A header comment, long enough to be wrapped by Babel's header wrapper "
                                     "at the width\n# of the catalog." if header else "")
    for msgid, msgstr, auto, user, locations, flags, context in entries:
        catalog.add(msgid, msgstr, locations=locations, flags=flags, auto_comments=auto, user_comments=user,
                    context=context)
    assert quickwrite.eligible(catalog)
    assert quickwrite.write(catalog, width) == _babel(catalog, width)


def test_what_it_does_not_cover_goes_to_write_po():
    plural = Catalog(charset="utf-8")
    plural.add(("one", "many"), ("", ""))
    obsolete = Catalog(charset="utf-8")
    obsolete.obsolete["gone"] = obsolete.add("gone", "weg")
    latin = Catalog(charset="latin-1")
    assert not any(quickwrite.eligible(c) for c in (plural, obsolete, latin))
    for catalog in (plural, obsolete, latin):
        assert writer.dump(catalog) == writer.babel_dump(catalog)


def test_every_catalog_of_the_project_is_written_as_babel_writes_it():
    paths = sorted(REPO.glob("locales/**/*.po")) + sorted(REPO.glob("locales/**/*.pot"))
    assert len(paths) > 10
    covered = 0
    for path in paths:
        catalog = read_po(io.BytesIO(path.read_bytes()))
        if quickwrite.eligible(catalog):
            covered += 1
            assert quickwrite.write(catalog, writer.WIDTH) == writer.babel_dump(catalog), path
    assert covered > len(paths) // 2
