"""Cheaper rendering routes (issue 17, round 5) give exactly what the plain route gives.

The guide body is rendered from a flat stream of block views (render.view_blocks) by one plain loop in
blocks.html. The plain route it replaced is kept here as the reference: the block tree as nested views,
rendered by the recursive loop blocks.html had before (`_TREE_TEMPLATE`, copied from it). Both are
compared on every guide of the project and on generated block trees. A change of the page's look
changes blocks.html and `_TREE_TEMPLATE` alike.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st
from jinja2 import DictLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from workflow.editions.render import anchor, environment, inline_html, inline_plain, view_blocks
from workflow.model import Code, Heading, ListBlock, ListItem, Paragraph, Quote, Rule, Segment, Table, Text
from workflow.project import Project

from conftest import REPO

_TREE_TEMPLATE = """\
{% macro render_blocks(blocks) -%}
{% for b in blocks recursive -%}
{% if b.type == "heading" -%}
<h{{ b.level }} id="{{ b.anchor }}"{% if b.fallback %} lang="en"{% endif %}>{{ b.html }}</h{{ b.level }}>
{% elif b.type == "paragraph" -%}
<p{% if b.legal %} class="disclaimer-text"{% endif %}{% if b.fallback %} lang="en"{% endif %}>{{ b.html }}</p>
{% if b.legal and b.fallback %}<p class="notice">{{ _("This disclaimer is shown in English because its \
translation has not been approved yet.") }}</p>
{% endif %}
{% elif b.type == "list" -%}
<{{ "ol" if b.ordered else "ul" }}{% if b.ordered and b.start != 1 %} start="{{ b.start }}"{% endif %}>
{% set blocks_loop = loop %}{% for item in b["items"] %}<li>{{ blocks_loop(item) }}</li>
{% endfor %}</{{ "ol" if b.ordered else "ul" }}>
{% elif b.type == "table" -%}
<div class="table-scroll" role="region" tabindex="0" aria-label="{{ _('Table') }}">
<table>
<thead><tr>{% for c in b.header %}<th scope="col"{% if c.align %} class="align-{{ c.align }}"{% endif %}\
{% if c.fallback %} lang="en"{% endif %}>{{ c.html }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in b.rows %}<tr>{% for c in row %}<td{% if c.align %} class="align-{{ c.align }}"{% endif %}\
{% if c.fallback %} lang="en"{% endif %}>{{ c.html }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
</div>
{% elif b.type == "quote" -%}
<blockquote>{{ loop(b.blocks) }}</blockquote>
{% elif b.type == "rule" -%}
<hr>
{% elif b.type == "code" -%}
<pre><code>{{ b.code }}</code></pre>
{% endif -%}
{% endfor -%}
{%- endmacro %}
"""


def _tree_views(blocks, text_of, used):
    """The reference: the block tree as nested views (view_blocks before the stream)."""
    def view(block):
        if isinstance(block, (Heading, Paragraph)):
            md, fallback = text_of(block.text)
            if isinstance(block, Paragraph):
                return dict(type="paragraph", html=inline_html(md), fallback=fallback,
                            legal=bool(block.text.segment and block.text.segment.legal))
            return dict(type="heading", level=min(6, block.level + (1 if block.level == 1 else 0)),
                        html=inline_html(md), fallback=fallback, anchor=anchor(inline_plain(md), used))
        if isinstance(block, ListBlock):
            return dict(type="list", ordered=block.ordered, start=block.start,
                        items=[_tree_views(item.blocks, text_of, used) for item in block.items])
        if isinstance(block, Table):
            def cell(text, i):
                md, fallback = text_of(text)
                return dict(html=inline_html(md), fallback=fallback, align=block.aligns[i] if i < len(block.aligns) else "")
            return dict(type="table", header=[cell(t, i) for i, t in enumerate(block.header)],
                        rows=[[cell(t, i) for i, t in enumerate(row)] for row in block.rows])
        if isinstance(block, Quote):
            return dict(type="quote", blocks=_tree_views(block.blocks, text_of, used))
        if isinstance(block, Rule):
            return dict(type="rule")
        return dict(type="code", code=block.code)
    return [view(block) for block in blocks]


_PAGE = '{% from "blocks.html" import render_blocks with context %}{{ render_blocks(blocks) }}'
_reference = SandboxedEnvironment(loader=DictLoader({"blocks.html": _TREE_TEMPLATE}), autoescape=True,
                                  undefined=StrictUndefined, extensions=["jinja2.ext.i18n"], keep_trailing_newline=True)
_project_env = environment(str(REPO / "templates"))


def _translate(s, **kw):
    return f"[{s}]"


def _same_body(blocks, text_of) -> str:
    stream = _project_env.from_string(_PAGE).render(_=_translate, blocks=view_blocks(blocks, text_of))
    tree = _reference.from_string(_PAGE).render(_=_translate, blocks=_tree_views(blocks, text_of, {}))
    assert stream == tree
    return stream


def test_stream_body_is_the_tree_body_for_every_guide_of_the_project():
    project = Project(REPO)
    for guide in project.guides:
        doc = project.document(guide)
        for fallback in (False, True):
            body = _same_body(doc.blocks, lambda text: (text.template, fallback))
            assert body.count("<li>") == body.count("</li>") > 0 and "<table>" in body


_LEGAL = Segment(msgid="legal", line=1, kind="paragraph", legal="disclaimer")
_PLAIN = Segment(msgid="plain", line=1, kind="paragraph")
texts = st.builds(Text, st.sampled_from(["Costs", "a **b** c", "x < y & z", "1. not a list", "", "# x", "`code`"]),
                  st.just({}), st.sampled_from([None, _PLAIN, _LEGAL]))
leaves = st.one_of(
    st.builds(Heading, st.integers(1, 6), texts, st.just(1)),
    st.builds(Paragraph, texts, st.just(1)),
    st.builds(Rule, st.just(1)),
    st.builds(Code, st.sampled_from(["", "py"]), st.sampled_from(["x = 1\n", "<b>&</b>\n"]), st.just(1)),
    st.integers(1, 3).flatmap(lambda n: st.builds(
        Table, st.lists(st.sampled_from(["", "left", "right", "center"]), min_size=n, max_size=n),
        st.lists(texts, min_size=n, max_size=n), st.lists(st.lists(texts, min_size=n, max_size=n), max_size=3),
        st.just(1))),
)
trees = st.recursive(st.lists(leaves, max_size=4), lambda children: st.lists(st.one_of(
    leaves,
    st.builds(ListBlock, st.booleans(), st.integers(0, 3), st.lists(st.builds(ListItem, children, st.just(1)), max_size=3),
              st.just(1)),
    st.builds(Quote, children, st.just(1)),
), max_size=4), max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(trees, st.booleans())
def test_stream_body_is_the_tree_body_for_generated_block_trees(blocks, fallback):
    _same_body(blocks, lambda text: (text.template, fallback and text.segment is not None))
