"""The list writers' shortcut for an item that is one paragraph (issue 17, round 12) writes what the general
route writes: the .md edition's item line and the HTML body's <li>, compared with the general route kept
here (round 11's _md_list and _BodyWriter.list) on generated trees whose texts start, end and break with
whitespace (the general route's lstrip), syntax and odd Unicode."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from workflow.editions import body, render
from workflow.model import Heading, ListBlock, ListItem, Paragraph, Quote, Segment, Text


def _general_md_list(block, text_of, indent):
    lines = []
    for n, item in enumerate(block.items, start=block.start):
        marker = f"{n}. " if block.ordered else "- "
        inner = render.markdown_blocks(item.blocks, text_of, indent + " " * len(marker))
        body_ = ("\n\n" if len(item.blocks) > 1 and not render._tight(item) else "\n").join(inner).lstrip()
        lines.append(indent + marker + body_)
    return "\n".join(lines)


def _general_list(self, block) -> None:
    tag = "ol" if block.ordered else "ul"
    self.out.append(f'<ol start="{block.start}">\n' if block.ordered and block.start != 1 else f"<{tag}>\n")
    for item in block.items:
        self.out.append("<li>")
        self.blocks(item.blocks)
        self.out.append("</li>\n")
    self.out.append(f"</{tag}>\n")


_LEGAL = Segment(msgid="legal", line=1, kind="paragraph", legal="disclaimer")
_PLAIN = Segment(msgid="plain", line=1, kind="paragraph")
_pieces = st.sampled_from([" ", "\t", "\u00a0", "\u3000", "\n", "\r\n", "  \n", "- ", "1. ", "# x", "**b**", "*e*",
                           "<i>", "&amp;", "a", "Ωμέγα", "ﬁ", "\u200b", "`c`", "> q", "|", "\\", "#"])
texts = st.builds(Text, st.lists(_pieces, max_size=6).map("".join), st.just({}), st.sampled_from([None, _PLAIN, _LEGAL]))
leaves = st.one_of(st.builds(Paragraph, texts, st.just(1)), st.builds(Heading, st.integers(1, 6), texts, st.just(1)))
trees = st.recursive(st.lists(leaves, max_size=3), lambda children: st.lists(st.one_of(
    leaves,
    st.builds(ListBlock, st.booleans(), st.integers(0, 12),
              st.lists(st.builds(ListItem, children, st.just(1)), min_size=1, max_size=4), st.just(1)),
    st.builds(Quote, children, st.just(1)),
), max_size=3), max_leaves=20)


def _both(blocks, write):
    """write(blocks) by the shortcut and by the general route."""
    shortcut = write(blocks)
    saved_md, saved_list = render.MARKDOWN_WRITERS[ListBlock], body._BodyWriter.WRITERS[ListBlock]
    render.MARKDOWN_WRITERS[ListBlock] = _general_md_list
    body._BodyWriter.WRITERS[ListBlock] = _general_list
    try:
        return shortcut, write(blocks)
    finally:
        render.MARKDOWN_WRITERS[ListBlock] = saved_md
        body._BodyWriter.WRITERS[ListBlock] = saved_list


@settings(max_examples=600, deadline=None)
@given(trees, st.booleans())
def test_md_list_item_of_one_paragraph_is_the_general_route(blocks, fallback):
    text_of = lambda text: (text.template, fallback and text.segment is not None)  # noqa: E731
    shortcut, general = _both(blocks, lambda b: render.markdown_blocks(b, text_of))
    assert shortcut == general


@settings(max_examples=600, deadline=None)
@given(trees, st.booleans())
def test_html_list_item_of_one_paragraph_is_the_general_route(blocks, fallback):
    text_of = lambda text: (text.template, fallback and text.segment is not None)  # noqa: E731
    shortcut, general = _both(blocks, lambda b: str(body.body_html(b, text_of, lambda s: s.upper())))
    assert shortcut == general
    assert shortcut.count("<li>") == sum(len(b.items) for b in _lists(blocks))


def _lists(blocks):
    for b in blocks:
        if isinstance(b, ListBlock):
            yield b
            for item in b.items:
                yield from _lists(item.blocks)
        elif isinstance(b, Quote):
            yield from _lists(b.blocks)
