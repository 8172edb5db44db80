"""The .md edition's compiled parse-back reads pyromark's HTML (editions/mdhtml.py): the structure counts,
visible text, problems, references and links markdown-it-py's plain route reads - exactly on every .md edition
of the project and of a bench corpus, but for whitespace at a block's edge (_lines) on generated and on hostile
Markdown; anything the HTML reading does not expect falls back to the plain route; the project's editions do
take the HTML route."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from workflow.editions import mdhtml, verify_markdown as vm
from workflow.editions.edition import Translations, build_edition
from workflow.project import Project

from conftest import REPO, copy_project
from test_verify_parser import _GUIDE, _MSGIDS, _PIECES, _editions
from compiler import compiler_found


def _reading(body: str, compiled: bool, links=frozenset()) -> tuple:
    reader = vm._read(body, set(links), compiled)
    return (+reader.counts, "".join(reader.out), reader.problems, reader.references, reader.hrefs)


def _html_route(body: str):
    """The HTML reading of the body, None where the compiled route does not take it."""
    safe = vm._compiled_body(body)
    if safe is None or not mdhtml.may_read(safe):
        return None
    return mdhtml.read_html(vm._COMPILED.html(safe))


def _lines(visible: str) -> list[str]:
    return [line.strip() for line in visible.split("\n") if line.strip()]


def assert_same(body: str, links=frozenset(), exact: bool = False) -> None:
    """The compiled reading is the plain one; not exact: but for whitespace at a block's edge, where
    markdown-it-py strips a paragraph or heading with str.strip() (NBSP, U+3000 too), CommonMark (and
    pulldown-cmark) only spaces and tabs, and ends an indented code block at the very end of the input with a
    line break that pulldown-cmark does not write. Blocks end with a line break either way, so neither can
    join or split a number."""
    compiled, plain = _reading(body, True, links), _reading(body, False, links)
    if exact:
        assert compiled == plain, repr(body[:200])
    else:
        assert compiled[0] == plain[0] and compiled[2:] == plain[2:], repr(body[:200])
        assert _lines(compiled[1]) == _lines(plain[1]), repr(body[:200])
    safe = vm._compiled_body(body)
    if safe is not None:  # the compiled HTML reading and its Python reference
        html = vm._COMPILED.html(safe)
        assert mdhtml.read_html_py(html) == mdhtml.read_html(html), repr(body[:200])


# --- every .md edition of the project and of a bench corpus: the same reading, by the HTML route -------------

def _bodies(root) -> list[str]:
    return [vm.body_of(md) for md, _, _ in _editions(root)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), str(out / "c"), "--guides", "4",
                    "--langs", "ja,ar,de,ko", "--jobs", "1"], check=True, capture_output=True)
    return out / "c"


def test_every_markdown_edition_is_read_from_the_html_as_markdown_it_py_reads_it(tmp_path, corpus):
    bodies = _bodies(copy_project(tmp_path / "repo")) + _bodies(corpus)
    assert len(bodies) >= 5 * 3 + 4 * 4
    for body in bodies:
        assert _html_route(body) is not None  # no silent fallback: the project's editions take the HTML route
        assert_same(body, exact=True)
        assert_same(body, {"http://a.example/"}, exact=True)


# --- generated Markdown: what the renderer writes and what a translator may add ------------------------------

_BLOCKS = [
    "# ", "## ", "###### ", "####### ", "Setext\n===\n", "Under\n---\n", "- ", "* ", "+ ", "1. ", "2) ", "10. ", "- \n",
    "  - ", "    - ", "  ", "    ", "\t", "\t- ", "> ", "> > ", ">", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r",
    "~~~\n", "~~~ py \"q\" & 'a'\n", "~~~ a\"b&c<d\n", "~~~~\n", "    code 119\n", "***\n", "---\n", "___\n",
    "| a | b |\n|:--|--:|\n| 1 | |\n", "| x | y | z |\n| :-: | --- | :-- |\n|  | 2 |\n", "| 1 |\n| --- |\n", "| ",
    " | ", "|", "\\|", "&amp;", "&#49;", "&#x31;9", "&#10;", "&NewLine;", "&copy;", "&nbsp;", "&bogus;", "&lt;b&gt;",
    "&quot;", "\"", "'", "&", ">", "\\", "\\*", "\\#", "*", "**", "_", "__", "*em*", "**119**", "_a_", "***b***",
    "  \n", "\\\n", "\0", "119", "1,339", "5 000", "USD 5,000", "\u00a0", "\u3000", "一一九", "価格は", "x", "a b", "é",
    "[r]", "[x][]", "!", "=", "==\n", "-", "--", ":",
]
markdown = st.lists(st.sampled_from(_BLOCKS), max_size=40).map("".join)


@settings(max_examples=3000, deadline=None)
@given(markdown)
def test_generated_markdown_is_read_from_the_html_as_markdown_it_py_reads_it(body):
    assert_same(body)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_hostile_markdown_is_read_from_the_html_as_markdown_it_py_reads_it(body):
    """the pieces of tests/test_verify_parser.py: raw HTML, links, definitions, code spans (the plain route)"""
    assert_same(body)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_is_read_from_the_html_as_markdown_it_py_reads_it(body):
    assert_same(body)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_MSGIDS), markdown), max_size=12))
def test_translated_editions_are_read_from_the_html_as_markdown_it_py_reads_them(translated):
    project = Project(REPO)
    edition = build_edition(_GUIDE, "ja", Translations(guide=dict(translated)), project.registry,
                            project.templates_dir, ["en", "ja"])
    assert_same(vm.body_of(edition.files["korean-stem-cell-therapy-2026.md"].decode()))


def test_what_the_html_route_reads():
    pinned = {
        "- a\n  ***\n  b\n- \n-\n": ({"li": 3, "p": 2}, "a\nb\n"),
        "- *a*  \n  b\n  - c\n\n  d\n": ({"li": 2, "p": 3}, "a b\nc\nd\n"),
        "| a | b |\n|:-|-:|\n| 1 | |\n": ({"table": 1, "tr": 2, "cell": 4}, "a\nb\n1\n\n"),
        "| a |\n| :-: |\n": ({"table": 1, "tr": 1, "cell": 1}, "a\n"),  # pulldown-cmark: an empty <tbody>
        "> q\n> r\n\n~~~ py \"x&y\"\nco&de>\n~~~\n\n    ind\n": ({"p": 1}, "q r\nco&de>\n\nind\n\n"),
        "A\n===\n&amp; &copy;&nbsp;&lt;\n": ({"heading": 1, "p": 1}, "A\n& ©\xa0<\n"),
    }
    for body, (counts, text) in pinned.items():
        assert _html_route(body) is not None
        assert _reading(body, True)[:2] == (counts, text)
        assert_same(body, exact=True)


# --- the compiled HTML reading (_mdhtml.c) and its Python reference (read_html_py) -------------------------

_compiled = pytest.mark.skipif(mdhtml.ROUTE != "compiled", reason="installed without a C compiler")


def test_the_compiled_reading_is_taken():
    if not compiler_found():
        pytest.skip("no C compiler: the Python route is the one in use")
    assert mdhtml.ROUTE == "compiled" and mdhtml.read_html is mdhtml.read_html_compiled


_HTML = sorted(mdhtml._TAGS) + ['<ol start="3">', '<ol start="">', '<ol start="١">', "<pre><code>", "<pre>", "<code>",
                                '<pre><code class="language-a&amp;b">', '<pre><code class="x">', "</code></pre>\n",
                                "</code></pre>", "\n", "\n\n", "a", "1 9", " ", "&amp;", "&lt;", "&quot;", "&bogus;",
                                "&", "<", ">", "<div>", "<p", "é", "\U0001f600", "\u3000", "\0"]


@_compiled
@settings(max_examples=5000, deadline=None)
@given(st.lists(st.sampled_from(_HTML), max_size=40).map("".join))
def test_the_compiled_reading_reads_any_html_as_the_python_one(html):
    assert mdhtml.read_html_compiled(html) == mdhtml.read_html_py(html)


@_compiled
@settings(max_examples=2000, deadline=None)
@given(markdown, st.integers(0, 10_000), st.integers(0, 40), st.sampled_from(["", "<", "\n", "a", "</li>", "<em>"]))
def test_the_compiled_reading_reads_damaged_html_as_the_python_one(body, at, length, insert):
    html = vm._COMPILED.html(body)
    at %= len(html) + 1
    html = html[:at] + insert + html[at + length:]
    assert mdhtml.read_html_compiled(html) == mdhtml.read_html_py(html)


# --- anything unexpected: the plain route reads the body ---------------------------------------------------

def test_unexpected_html_is_not_read():
    for html in ("<p>a</p>\n<div>b</div>\n", "<p><a href=\"x\">a</a></p>\n", "<p><img src=\"x\" alt=\"a\" /></p>\n",
                 "<p class=\"x\">a</p>\n", "<ol start=\"x\">\n<li>a</li>\n</ol>\n", "<p>a &copy; b</p>\n",
                 "<p>a &#49;</p>\n", "<p>a <em>b</p></em>\n", "<p>a\n", "a\n", "<ul>\n<li>a</li>\nb\n</ul>\n",
                 "<p><p>a</p></p>\n", "<td>a</td>\n", "<pre>a</pre>\n", "<code>a</code>\n", "<p>a<br>b</p>\n",
                 "<p>a <code>b</code></p>\n", "<li>a</li>\n", "<p>a <b>b</b></p>\n", "<hr>\n", "<P>a</P>\n",
                 "<p>a</p\n>", "<blockquote>a</blockquote>\n", "<table>\n<tr>\n<td>a</td>\n</tr>\n</table>\n"):
        assert mdhtml.read_html(html) is None and mdhtml.read_html_py(html) is None, html
    assert mdhtml.read_html("<p>a</p>\n") == mdhtml.read_html_py("<p>a</p>\n") == (Counter({"p": 1}), ["a\n"])


class _Renders:
    """pyromark with its HTML replaced"""

    def __init__(self, html: str):
        self.text = html

    def html(self, body):
        return self.text


def test_a_body_whose_html_holds_something_unexpected_is_read_plain(monkeypatch):
    body = "# Call 119\n\n- a **b**\n- c\n"
    want = _reading(body, False)
    assert vm._read(body, set()).compiled and _reading(body, True) == want
    real = vm._COMPILED
    for html in ("<h1>Call 119</h1>\n<script>x</script>\n", "<h1>Call 911</h1>\n<ul>\n<li>a <b>b</b></li>\n</ul>\n",
                 "<p>x &amp c</p>\n"):
        monkeypatch.setattr(vm, "_COMPILED", _Renders(html))
        assert _reading(body, True) == want and not vm._read(body, set()).compiled
    monkeypatch.setattr(vm, "_COMPILED", _Renders(real.html(body)))
    assert _reading(body, True) == want and vm._read(body, set()).compiled


def test_a_character_reference_that_may_be_a_line_break_is_read_plain():
    """&#10; is a line break in markdown-it-py's text and a soft break in the HTML: such a body is read plain"""
    for body in ("a&#10;b\n", "a&NewLine;b\n", "a&#x0a;b\n", "- a&#10;\n"):
        assert vm._compiled_body(body) is not None and _html_route(body) is None
        assert_same(body, exact=True)
    assert _reading("a&#10;b\n", True)[1] == "a\nb\n"  # a soft break reads " "
