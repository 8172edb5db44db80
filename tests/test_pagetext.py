"""The compiled page-text reader (editions/_pagetext.c: strip_tags, flat, body_end, body_tags) gives what its
Python route gives, exactly, for every input: generated texts (tags, entities, every unicode whitespace,
1/2/4-byte kinds, lone surrogates, huge inputs) and every page built from the repo and a generated corpus
(plain, pseudo and hostile translations).
Equal strs are of one kind (CPython compares kinds first), so these also hold the results canonical."""
from __future__ import annotations

import importlib.util
import sys
from html import unescape

import pytest
from hypothesis import given, settings, strategies as st

from workflow.catalogs.pseudo import pseudo_text
from workflow.editions import pagetext
from workflow.editions.edition import Translations, build_edition
from workflow.project import Project

from conftest import REPO
from compiler import compiler_found

_compiled = pytest.mark.skipif(pagetext.ROUTE != "compiled", reason="installed without a C compiler")

SPACES = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
# what a pattern could mistake: names' edges, cases, entities (named with and without ';', numeric,
# invalid and out of range code points), each kind's characters and lone surrogates
FRAGMENTS = ["<p>", "</P>", "<STRONG>", "</strong >", "<b", "<bb>", "<br/>", "<i>", "<Em>", "<a href=\"x\">", "<h2>",
             "<h7 x>", "<td", "<<b>p>", "<", ">", "</", "</>", "<1>", "<_a>", "<é>", "<a\u3000>", "<SPAN\n>",
             "<CoDe>", "<strongx>", "<ema>", "<div class=\"body\">", "</div>", "<div>", "<div", "</div", "<divx>",
             "</div\u3000", "<div\x85", "<DIV>", "<table>", "<tr>", "<tr", "<li\n", "<th>", "<td x>", "<h1>", "<h6 ",
             "<h0>", "<p\u2028", "<pre>", "<tbody>", "<tablex>", "<lix>",
             "&amp;", "&amp", "&AMP", "&ampx", "&not", "&notin;", "&notit;", "&#49;", "&#x31;", "&#X31", "&#0;",
             "&#xd800;", "&#x110000;", "&#99999999999;", "&#128;", "&#x85;", "&#;", "&", "&#", "&lt;", "&gt;",
             "&quot;", "&QUOT;", "&#34;", "&#34", "&#344;", "&#034;", "&#39;", "&#39", "&#x27;", "&#X27;", "&#x27",
             "&#x270;", "&lt", "&gt", "&quot", "&amp;lt;", ";", "#",
             "a", "1", "19", "x", "é", "\xff", "\u0100", "日", "\uffff", "\U0001f600", "\U0010ffff", "\ud800",
             "\udfff", "\x00", "\u200b", "\u202e"] + list(SPACES)
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=24).map("".join)
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=80)   # surrogates included


def _same(html: str) -> None:
    stripped = pagetext.strip_tags(html)
    assert type(stripped) is str and stripped == pagetext.strip_tags_py(html)
    assert pagetext.body_tags(html) == pagetext.body_tags_py(html)
    for start in {0, html.find("<div"), html.find("<div", 1), html.find("<div class"), len(html) // 2, len(html)}:
        if start >= 0:
            assert pagetext.body_end(html, start) == pagetext.body_end_py(html, start)
    for text in (html, stripped, pagetext.text(html)):
        flat = pagetext.flat(text)
        assert type(flat) is str and flat == pagetext.flat_py(text)
    for text in (html, stripped):  # the compiled decoding of the references a page's escapers write
        decoded = pagetext.decode(text)
        assert type(decoded) is str and decoded == unescape(text)


def test_unicode_whitespace_past_ascii_is_where_the_compiled_flat_looks_it_up():
    # _pagetext.c's is_space looks characters up in a table of U+0000..U+3000 filled from the Unicode database
    # when the module loads, and takes every later one for no whitespace
    assert SPACES and all(ord(c) <= 0x3000 for c in SPACES), SPACES


def test_the_compiled_route_is_in_use_where_a_compiler_is():
    """`make setup` builds _pagetext where the C compiler Python was built with is there (setup.py's
    optional=True falls back to the Python route silently: this names it)."""
    if not compiler_found():
        pytest.skip("no C compiler: the Python route is the installed one")
    assert importlib.util.find_spec("workflow.editions._pagetext") is not None
    assert pagetext.ROUTE == "compiled" and pagetext.flat is not pagetext.flat_py
    assert pagetext.strip_tags.__module__ == "workflow.editions._pagetext"
    assert pagetext.decode is pagetext.unescape_compiled


@_compiled
@settings(max_examples=5000, deadline=None)
@given(st.one_of(texts, any_text))
def test_compiled_equals_python_on_generated_texts(html):
    _same(html)


@_compiled
@settings(max_examples=500, deadline=None)
@given(texts, st.sampled_from(["", "\u0100", "\U0001f600"]))
def test_compiled_equals_python_in_every_kind(html, wider):
    # the same text held as 1, 2 and 4-byte strings; the wide character alone, or cut off by a tag or space
    for text in (html, html + wider, wider + html, f"<p{wider}>{html}", f"{html}\u3000{wider}"):
        _same(text)


@_compiled
@pytest.mark.parametrize("html", [
    "<p>" * 200_000, "<a" * 200_000 + ">", " \u3000" * 300_000, "x" * 1_000_000, "\U0010ffff " * 200_000,
    "<" * 500_000 + "p>", "</" * 200_000, "&amp;" * 100_000, "<p " + "x" * 1_000_000 + ">",
])
def test_compiled_equals_python_on_huge_inputs(html):
    _same(html)


@_compiled
def test_compiled_route_is_linear_where_no_tag_closes():
    # each '<' before a name with no '>' after it: the regex scans to the end from each (quadratic, fine on a
    # rendered page, whose '<' all open tags); the compiled route finds the last '>' once
    assert pagetext.strip_tags("<a" * 2_000_000) == "<a" * 2_000_000
    _same("<a" * 3000)


@_compiled
def test_compiled_route_refuses_what_is_no_str_and_gives_str_for_a_subclass():
    for bad in (b"<p>", None, 1):
        for read in (pagetext.strip_tags, pagetext.flat, pagetext.body_tags, lambda x: pagetext.body_end(x, 0)):
            with pytest.raises(TypeError):
                read(bad)
    for start in (-1, 4, 2**62):
        with pytest.raises((ValueError, OverflowError)):
            pagetext.body_end("<p>", start)
    with pytest.raises(TypeError):
        pagetext._pagetext.unescape_known(b"&amp;")
    sub = type("Sub", (str,), {})
    for text in ("a b", "<p>a", ""):
        assert type(pagetext.strip_tags(sub(text))) is str and type(pagetext.flat(sub(text))) is str


def _pages(project: Project, langs, translate):
    for guide in project.guides:
        doc = project.document(guide)
        for lang in langs:
            texts = {s.msgid: translate(s.msgid, i) for i, s in enumerate(doc.segments)}
            files = build_edition(doc, lang, Translations(texts, {}), project.registry, project.templates_dir,
                                  ["en", lang]).files
            yield files[f"{guide}.html"].decode()


_HOSTILE = ["<", "&", "&amp", "&#49;", "&copy", "\u00a0", "\u3000", "\x85", "\u2028", "\U0001f600", "<b>",
            "&lt;p&gt;", "\u202e", "\r\n"]


def _translations():
    return [lambda msgid, i: msgid, lambda msgid, i: pseudo_text(msgid),
            lambda msgid, i: f"{_HOSTILE[i % len(_HOSTILE)]}{msgid}{_HOSTILE[(i * 7 + 3) % len(_HOSTILE)]}"]


@_compiled
def test_compiled_equals_python_on_every_page_of_the_project():
    project = Project(REPO)
    for translate in _translations():
        for html in _pages(project, ("ja", "ar", "de"), translate):
            _same(html)


@_compiled
def test_compiled_equals_python_on_every_page_of_a_corpus(tmp_path):
    spec = importlib.util.spec_from_file_location("corpus", REPO / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    corpus.generate(tmp_path / "c", 12, ["fr", "ko"], catalogs=False)
    project = Project(tmp_path / "c")
    for translate in _translations():
        for html in _pages(project, ("fr", "ko"), translate):
            _same(html)
