"""segment.block_tree is markdown-it's SyntaxTreeNode as segmentation reads it (issue 17: the tree built in one
pass): the same blocks, of the same types, over the same tokens, on generated and odd Markdown and every guide."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st
from markdown_it.tree import SyntaxTreeNode

from workflow.editions import segment

from conftest import REPO

# block constructs and their odd neighbours: nesting, tables, html, CRLF, tabs, BOM, lazy lines, references
lines = st.sampled_from(
    ["# Title", "## Costs", "Some text with $1,200.", "", "", "- item", "  - nested", "    - deeper", "1. first",
     "2) second", "> quote", "> > deeper", ">", "| a | b |", "|---|:-:|", "| 1 | 2 |", "| 1 | 2 | 3 |", "a | b",
     "--- | ---", "```", "```python", "~~~", "    code", "\tcode", "<div>", "</div>", "<!-- c -->", "***", "---",
     "===", "[ref]: http://x", "\ufeffBOM", "text\r", "* * *", "+ plus", "10. ten", "- [ ] task", "lazy", "  text",
     ">     code in quote", "- > quote in list", "1. - nested", "\u2028", "é\u0301", "\u00a0nbsp"])
documents = st.lists(lines, max_size=40).map("\n".join)


def _same(ours: list[segment.Node], theirs: list[SyntaxTreeNode]) -> None:
    assert len(ours) == len(theirs)
    for node, reference in zip(ours, theirs):
        assert node.token.type.removesuffix("_open") == reference.type
        assert node.token is reference._attribute_token()
        assert (node.token.map or None) == (reference.map and list(reference.map))
        if node.token.nesting:   # a leaf's inline children are never read (inline parsing is off)
            _same(node.children, reference.children)


def _check(text: str) -> None:
    tokens = segment._BLOCKS.parse(text)
    _same(segment.block_tree(tokens), SyntaxTreeNode(tokens).children)


@settings(max_examples=3000)
@given(documents)
def test_block_tree_is_syntax_tree_node(text):
    _check(text)


def test_block_tree_on_odd_markdown_and_every_guide():
    odd = ["", "\n", "\r\n\r\n", "> " * 200 + "deep", "- " * 120 + "deep", "   - a\n  b\n\tc",
           "| a |\n|---|\n", "| a |\n|---|\n| b |\n| c |", "\x00", "<table>\n<tr><td>x</td></tr>\n</table>"]
    guides = sorted((REPO / "source").glob("*.md")) + sorted((REPO / "tests").rglob("*.md"))
    for text in odd + [path.read_text(encoding="utf-8") for path in guides]:
        _check(text)


def test_unbalanced_tokens_are_refused_as_syntax_tree_node_refuses_them():
    tokens = segment._BLOCKS.parse("> a\n\n- b")
    for broken in (tokens[:-1], tokens[1:]):
        for build in (SyntaxTreeNode, segment.block_tree):
            try:
                build(broken)
            except ValueError:
                continue
            raise AssertionError(f"{build.__name__} took unbalanced tokens")
