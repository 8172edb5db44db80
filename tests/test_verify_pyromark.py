"""The compiled parse-back (pyromark, pulldown-cmark) reads what markdown-it-py reads (the plain route, the
reference): on every body the route lets through it gives the same structure counts and visible text - exactly
on the project's and a corpus's .md editions, but for whitespace at a block's edge on generated Markdown full of
the syntax the two parsers read otherwise, and on the editions mutated; where they read a body otherwise, the
route sends it to the plain route (verify_markdown._read_plain)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from workflow.editions import verify_markdown as vm

from conftest import copy_project
from test_verify_mdhtml import _BLOCKS, assert_same
from test_verify_parser import _editions

# near misses of the syntax the route refuses: link and image brackets without "](" ("[a] (b)", "[a]\n(b)",
# "!\n[", escaped), labels without "]:", reference-style links, URLs and e-mail addresses without "<", entities,
# fences and lists around them
_NEAR_MISSES = [
    "[", "]", "[[", "]]", "![", "!", "(", ")", "[a]", "[x][y]", "[x][]", "![a]", "[a] (b)", "[a]\n(b)", "] (", "]\t(",
    "]\n(", "!\n[", "\\](", "]\\(", "\\[", "\\]", "[a]\n: b", "[a] : b", "[a]\\: b", "[foo\nbar]", "(http://x.example)",
    "http://x.example", "www.x.example", "a@b.example", "mailto:a@b.example", "&lt;", "&#60;", "&#x3c;b&gt;", "&gt;",
    "[*a*]", "*[a*]", "[**a]**", "_[_", "[a]*b*", "~~~\n[a]\n~~~\n", "    [a]: b\n", "- [a]\n", "> [a]\n", "# [a]\n",
]
# where pulldown-cmark and markdown-it-py part: tables (their start, rows, ends), indents, lazy lines, whitespace
# before a line break, backslashes, control characters
_TABLES = [
    "| a | b |\n", "|---|---|\n", "| 1 | 2 |\n", "| x |\n", "|:-:|\n", "| - |\n", "|-|\n", "| a | b |\n| --- | --- |\n",
    "\n\n| h | i |\n|:--|--:|\n| 1 | 9 |\n", "| 1 \\| 2 |\n", "|", " |", "| ", "\\\\|", "    ", "\t", "\v", "\f",
    "\r", "\\  \n", "\\\n", "\\ ", "\u2028", "\u3000", "\xa0", "   ", "> ", ">> ", "---\n", "===\n", "x", "119",
]
markdown = st.lists(st.sampled_from(_BLOCKS + _NEAR_MISSES + _TABLES), max_size=40).map("".join)


@pytest.fixture(scope="module")
def bodies(tmp_path_factory):
    return [vm.body_of(md) for md, _, _ in _editions(copy_project(tmp_path_factory.mktemp("p") / "repo"))]


def test_every_markdown_edition_is_read_compiled_as_markdown_it_py_reads_it(bodies):
    assert len(bodies) >= 5 * 3
    for body in bodies:
        assert vm._read(body, set()).compiled  # no edition falls back: the compiled route is the one measured
        assert_same(body, exact=True)


@settings(max_examples=4000, deadline=None)
@given(markdown)
def test_generated_markdown_is_read_compiled_as_markdown_it_py_reads_it(body):
    assert_same(body)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_editions_are_read_compiled_as_markdown_it_py_reads_them(bodies, data):
    body = data.draw(st.sampled_from(bodies))
    for _ in range(data.draw(st.integers(1, 30))):
        at = data.draw(st.integers(0, len(body)))
        change = data.draw(st.sampled_from(["insert", "delete", "copy"]))
        if change == "insert":
            body = body[:at] + data.draw(st.sampled_from(_BLOCKS + _NEAR_MISSES + _TABLES)) + body[at:]
        elif change == "delete":
            body = body[:at] + body[at + data.draw(st.integers(1, 40)):]
        else:  # a stretch of the edition again elsewhere: its blocks, lists and tables cut at any point
            start = data.draw(st.integers(0, len(body)))
            body = body[:at] + body[start:start + data.draw(st.integers(1, 400))] + body[at:]
    assert_same(body)


# each read otherwise by the two parsers (verify_markdown: the rule and why); the first three the compiled route
# before (markdown-it-pyrs) read otherwise too: "| x |\n---\n" was a setext heading to it, a table to a reader
_DISPUTED = ["| x |\n---\n", "\x0b\n", "\n\n\\\n\u2028", "5\t\n0\n", "| a |\n|-|\n\t| 9 |\n", "a\r\nb\n", "a\\  \nb\n",
             "a\\ \nb\n", "x\n| a |\n|---|\n", "## x | y\n|---|---|\n", "| a |\n| - |\n    code 119\n",
             "| a | b |\n|---|---|\n|\n", "> q 1\n    - 19\n"]


def test_what_pulldown_cmark_reads_otherwise_is_read_plain():
    for body in _DISPUTED:
        assert vm._compiled_body(body) is None, repr(body)
        assert_same(body, exact=True)


def test_what_the_route_refuses_pulldown_cmark_would_read_as_html_links_or_code():
    """Each syntax the compiled reading does not expect needs a character or pair the route refuses: pyromark
    reads these as raw HTML, autolinks, a code span, a link, an image, a definition"""
    for body, tag in (("<div>\n", "<div>"), ("a <b> c", "<b>"), ("<http://a.example>", "<a "), ("<a@b.example>", "<a "),
                      ("`code`", "<code>"), ("[a](b)", "<a "), ("![a](b)", "<img "), ("[a]: b\n\n[a]", "<a "),
                      ("[a]:b\n\n[a]", "<a ")):
        assert tag in vm._COMPILED.html(body), body
        assert vm._compiled_body(body) is None, body


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_BLOCKS + _NEAR_MISSES + ["](", "] (", "<", "javascript:", "data:", " ", "\n", "\t"]),
                max_size=20).map("".join))
def test_a_script_url_is_searched_wherever_it_may_be(body):
    """verify_markdown skips the script-URL search on a body the compiled route read: no such body matches it"""
    if vm._SCRIPT_URL.search(body):
        assert vm._compiled_body(body) is None and not vm._read(body, set()).compiled
