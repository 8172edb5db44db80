"""The compiled parser has only the rules that can fire on what it reads (verify_markdown._COMPILED): on every
body the route lets through (no "<", "](", "]:" or backtick) it gives exactly the HTML and the node tree of
markdown-it-pyrs's commonmark preset with tables (the parser it replaced, raw HTML on): on the project's .md
editions, on generated Markdown full of near misses of the syntax it lacks, and on the editions mutated."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from markdown_it_pyrs import MarkdownIt as CompiledMarkdownIt

from workflow.editions import verify_markdown as vm

from conftest import copy_project
from test_verify_mdhtml import _BLOCKS
from test_verify_parser import _editions

_FULL = CompiledMarkdownIt("commonmark").enable("table")

# what the rules the compiled parser lacks look for, short of what the route refuses: link and image
# brackets without "](" ("[a] (b)", "[a]\n(b)", "!\n[", escaped), labels without "]:", reference-style links,
# URLs and e-mail addresses without "<", entities, fences and lists around them
_NEAR_MISSES = [
    "[", "]", "[[", "]]", "![", "!", "(", ")", "[a]", "[x][y]", "[x][]", "![a]", "[a] (b)", "[a]\n(b)", "] (", "]\t(",
    "]\n(", "!\n[", "\\](", "]\\(", "\\[", "\\]", "[a]\n: b", "[a] : b", "[a]\\: b", "[foo\nbar]", "(http://x.example)",
    "http://x.example", "www.x.example", "a@b.example", "mailto:a@b.example", "&lt;", "&#60;", "&#x3c;b&gt;", "&gt;",
    "[*a*]", "*[a*]", "[**a]**", "_[_", "[a]*b*", "~~~\n[a]\n~~~\n", "    [a]: b\n", "- [a]\n", "> [a]\n", "# [a]\n",
]
markdown = st.lists(st.sampled_from(_BLOCKS + _NEAR_MISSES), max_size=40).map("".join)


def _nodes(tree) -> list:
    return [(node.name, node.srcmap, dict(node.meta), dict(node.attrs)) for node in tree.walk()]


def assert_same_parse(body: str) -> bool:
    """The two parsers agree on the body the route lets through; False where it goes the plain route."""
    safe = vm._compiled_body(body)
    if safe is None:
        return False
    assert vm._COMPILED.render(safe) == _FULL.render(safe), repr(safe[:200])
    assert _nodes(vm._COMPILED.tree(safe)) == _nodes(_FULL.tree(safe)), repr(safe[:200])
    return True


@pytest.fixture(scope="module")
def bodies(tmp_path_factory):
    return [vm.body_of(md) for md, _, _ in _editions(copy_project(tmp_path_factory.mktemp("p") / "repo"))]


def test_every_markdown_edition_is_parsed_as_by_the_full_parser(bodies):
    assert len(bodies) >= 5 * 3
    assert all(assert_same_parse(body) for body in bodies)  # and every edition takes the compiled route


@settings(max_examples=4000, deadline=None)
@given(markdown)
def test_generated_markdown_is_parsed_as_by_the_full_parser(body):
    assert_same_parse(body)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_editions_are_parsed_as_by_the_full_parser(bodies, data):
    body = data.draw(st.sampled_from(bodies))
    for _ in range(data.draw(st.integers(1, 30))):
        at = data.draw(st.integers(0, len(body)))
        change = data.draw(st.sampled_from(["insert", "delete", "copy"]))
        if change == "insert":
            body = body[:at] + data.draw(st.sampled_from(_BLOCKS + _NEAR_MISSES)) + body[at:]
        elif change == "delete":
            body = body[:at] + body[at + data.draw(st.integers(1, 40)):]
        else:  # a stretch of the edition again elsewhere: its blocks, lists and tables cut at any point
            start = data.draw(st.integers(0, len(body)))
            body = body[:at] + body[start:start + data.draw(st.integers(1, 400))] + body[at:]
    assert_same_parse(body)


def test_what_the_rules_it_lacks_would_read_goes_the_plain_route():
    """Each rule the compiled parser lacks needs a character or pair the route refuses: the full parser reads
    these as raw HTML, autolinks, a code span, a link, an image, a definition"""
    for body, tag in (("<div>\n", "<div>"), ("a <b> c", "<b>"), ("<http://a.example>", "<a "), ("<a@b.example>", "<a "),
                      ("`code`", "<code>"), ("[a](b)", "<a "), ("![a](b)", "<img "), ("[a]: b\n\n[a]", "<a "),
                      ("[a]:b\n\n[a]", "<a ")):
        assert tag in _FULL.render(body) and tag not in vm._COMPILED.render(body), body
        assert vm._compiled_body(body) is None, body


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_BLOCKS + _NEAR_MISSES + ["](", "] (", "<", "javascript:", "data:", " ", "\n", "\t"]),
                max_size=20).map("".join))
def test_a_script_url_is_searched_wherever_it_may_be(body):
    """verify_markdown skips the script-URL search on a body the compiled route read: no such body matches it"""
    if vm._SCRIPT_URL.search(body):
        assert vm._compiled_body(body) is None and not vm._read(body, set()).compiled
