"""Cheaper rendering routes (issue 17, rounds 5 and 6) give exactly what the plain route gives.

The guide body is rendered from a flat stream of block views (render.view_blocks) by one plain loop in
blocks.html. The plain route it replaced is kept here as the reference: the block tree as nested views,
rendered by the recursive loop blocks.html had before (`_TREE_TEMPLATE`, copied from it). Round 6 writes
the body straight from the block tree in Python (body.body_html) while blocks.html is the file it
follows (body.BODY_TEMPLATE_SHA256); all three are compared on every guide of the project and on
generated block trees, and whole editions of every guide x language by both routes. A change of the
page's look changes blocks.html, `_TREE_TEMPLATE` and body_html alike.
"""
from __future__ import annotations

from hypothesis import given, settings, strategies as st
from markupsafe import escape
from jinja2 import DictLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

import shutil

import pytest

from workflow.catalogs.review import read_catalog
from workflow.editions import edition as edition_module, render
from workflow.editions.edition import Translations, build_edition
from workflow.editions.body import BODY_TEMPLATE_SHA256, body_html, body_writer_fits, written_body
from workflow.editions.page import PAGE_TEMPLATES_SHA256, page_writer_fits, write_guide_page
from workflow.editions.render import anchor, environment, inline_html, inline_plain, render_page, view_blocks
from workflow.model import Code, Heading, ListBlock, ListItem, Paragraph, Quote, Rule, Segment, Table, Text
from workflow.project import Project
from workflow.publishing.builder import Builder

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


def _same_body(blocks, text_of, translate=_translate) -> str:
    gettext = lambda s, **kw: escape(translate(s))  # noqa: E731 (as render_page's)
    stream = _project_env.from_string(_PAGE).render(_=gettext, blocks=view_blocks(blocks, text_of))
    tree = _reference.from_string(_PAGE).render(_=gettext, blocks=_tree_views(blocks, text_of, {}))
    written = _project_env.from_string(_PAGE).render(
        _=gettext, blocks=written_body(blocks, text_of, lambda: view_blocks(blocks, text_of)))
    assert stream == tree == written
    assert str(body_html(blocks, text_of, translate)) == written   # the macro adds nothing around it
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


@settings(max_examples=200, deadline=None)
@given(trees, st.booleans(), st.sampled_from(["[{}]", "<b>{}</b> & \"x\"", "{}"]))
def test_written_body_escapes_template_strings_as_the_template_does(blocks, fallback, form):
    _same_body(blocks, lambda text: (text.template, fallback and text.segment is not None), form.format)


def test_the_projects_blocks_html_is_the_one_the_body_writer_follows():
    # blocks.html changed without body_html: update both, then BODY_TEMPLATE_SHA256 (the other tests here
    # hold them equal); until then every page renders by the template (slower, never different)
    assert body_writer_fits(REPO / "templates"), BODY_TEMPLATE_SHA256


def test_a_projects_own_blocks_html_takes_the_template_route(tmp_path):
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    blocks = tmp_path / "templates" / "blocks.html"
    assert body_writer_fits(tmp_path / "templates")
    blocks.write_text(blocks.read_text().replace("<hr>", "<hr class=\"own\">"))
    assert not body_writer_fits(tmp_path / "templates")
    (tmp_path / "templates" / "blocks.html").unlink()
    assert not body_writer_fits(tmp_path / "templates")


@pytest.fixture(scope="module")
def project():
    return Project(REPO)


def test_every_edition_of_the_project_is_the_same_by_both_body_routes(project, monkeypatch):
    builder = Builder(project)
    for lang in builder.published_languages():
        ui = builder.ui_translations(lang, [])
        for guide in project.guides:
            catalog = read_catalog(project, lang, guide)[0] if lang != project.config.source_language else None
            translations = Translations.from_entries(catalog.lookup() if catalog else {}, ui)
            args = (project.document(guide), lang, translations, project.registry, project.templates_dir,
                    builder.switcher_languages(lang), project.config.source_language)
            written = build_edition(*args)
            with monkeypatch.context() as m:
                m.setattr(edition_module, "body_writer_fits", lambda templates_dir: False)
                templated = build_edition(*args)
            assert written.files == templated.files and written.problems == templated.problems, (guide, lang)


# md_text's shortcut (render._PARAGRAPH_START): a line it accepts is one paragraph by markdown-it's parse
_starts = st.sampled_from(["**", "*", "* ", "~", "~~", "~~~", "\\", "\\-", "1.", "1. ", "12)", "1234567890.", "5.5",
                           "- ", "+ ", "> ", "#", "# ", "|", "[a]: x", "---", "***", "** *", "* * *", "```", " ", "\t",
                           "\u00a0", "\u3000", "<div>", "=", "_", "__", "٣.", "1.\u00a0", "**\u00a0"])
_tails = st.lists(st.sampled_from(list("ab *~_-=#>|`[]():.1\\\t\u00a0\n") + ["x y"]), max_size=12).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_starts, _tails)
def test_md_text_paragraph_shortcut_is_the_parse(start, tail):
    text = start + tail
    if render._PARAGRAPH_START.match(text) and "\n" not in text and "\r" not in text:
        assert render._parsed_one_paragraph(text), text
    plain = _plain_md_text(text)
    assert render.md_text(text) == plain and render.md_text(text, heading=True) == _plain_md_text(text, heading=True)


def _plain_md_text(text: str, heading: bool = False) -> str:
    """md_text with every one-paragraph question answered by the parse."""
    shortcut = render._one_paragraph
    render._one_paragraph = render._parsed_one_paragraph
    try:
        return render.md_text(text, heading)
    finally:
        render._one_paragraph = shortcut


def test_md_text_shortcut_on_every_text_of_the_project(project):
    for guide in project.guides:
        doc = project.document(guide)
        for segment in doc.segments:
            assert render.md_text(segment.msgid) == _plain_md_text(segment.msgid)


# what a project's own guide.html may do with edition.blocks besides render_blocks(edition.blocks)
_CUSTOM_USES = [
    '<script type="application/json">{{ edition.blocks|tojson }}</script>',
    "{{ (edition.blocks + [])|length }}", "{{ edition.blocks == [] }}", "{{ edition.blocks|list|length }}",
    "{{ edition.blocks[0]['type'] }} {{ edition.blocks|last }}", "{% if edition.blocks %}some{% endif %}",
    "{{ edition.blocks|pprint|length }}", "{% for b in edition.blocks %}{{ loop.index }}{% endfor %}",
    "{{ edition.blocks is sequence }} {{ edition.blocks|string|length }}",
]


@pytest.mark.parametrize("use", _CUSTOM_USES)
def test_a_customized_guide_html_gets_the_blocks_the_template_route_gives(tmp_path, project, use, monkeypatch):
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    page = tmp_path / "templates" / "guide.html"
    page.write_text(page.read_text().replace("{{ render_blocks(edition.blocks) }}",
                                             "{{ render_blocks(edition.blocks) }}" + use))
    guide = project.guides[0]
    args = (project.document(guide), "en", Translations.from_entries({}, {}), project.registry,
            tmp_path / "templates", [], "en")
    written = build_edition(*args)
    with monkeypatch.context() as m:
        m.setattr(edition_module, "body_writer_fits", lambda templates_dir: False)
        templated = build_edition(*args)
    assert written.files == templated.files and written.problems == templated.problems


def test_the_projects_own_templates_render_each_page_once(project, monkeypatch):
    """The re-render above is for pages that read edition.blocks otherwise: the project's own print it once
    (and, while they are the ones the page writer follows, are written without Jinja)."""
    calls = []
    render_page = edition_module.render_page
    monkeypatch.setattr(edition_module, "render_page", lambda *a, **k: calls.append(1) or render_page(*a, **k))
    args = (project.document(project.guides[0]), "en", Translations.from_entries({}, {}), project.registry,
            project.templates_dir, [], "en")
    build_edition(*args)
    assert calls == []
    monkeypatch.setattr(edition_module, "page_writer_fits", lambda templates_dir: False)
    build_edition(*args)
    assert calls == [1]


def test_the_projects_page_templates_are_the_ones_the_page_writer_follows():
    # guide.html, base.html or emergency.html changed without page.py: update both, then PAGE_TEMPLATES_SHA256
    # (the tests here hold them equal); until then every page renders by Jinja (slower, never different)
    assert page_writer_fits(REPO / "templates"), PAGE_TEMPLATES_SHA256


@pytest.mark.parametrize("name", ["guide.html", "base.html", "emergency.html", "blocks.html"])
def test_a_projects_own_page_template_takes_jinjas_route(tmp_path, project, name):
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    assert page_writer_fits(tmp_path / "templates")
    page = tmp_path / "templates" / name
    page.write_text(page.read_text().replace("</", "<!-- own --></", 1))
    args = (project.document(project.guides[0]), "en", Translations.from_entries({}, {}), project.registry,
            tmp_path / "templates", ["en"], "en")
    html = build_edition(*args).files[f"{project.guides[0]}.html"].decode()
    assert not page_writer_fits(tmp_path / "templates") and "<!-- own -->" in html
    page.unlink()
    assert not page_writer_fits(tmp_path / "templates")


_texts = st.sampled_from(["", "x", "Ö & <b>\"'", "a/b", "/", "a//b/", "語 ⟦é⟧", "{x}", "&amp;"])


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({
    "lang_tag": _texts, "dir": st.sampled_from(["ltr", "rtl"]), "root": _texts, "title": _texts,
    "title_fallback": st.booleans(), "category": _texts, "author": _texts, "date_iso": _texts, "date": _texts,
    "alternates": st.lists(st.fixed_dictionaries({"hreflang": _texts, "href": _texts, "name": _texts,
                                                  "current": st.booleans()}), max_size=3),
    "emergency": st.lists(st.fixed_dictionaries({"id": _texts, "number": _texts, "label": _texts,
                                                 "fallback": st.booleans()}), max_size=3),
    "fallback_count": st.sampled_from([0, 2]),
    "disclaimer": st.one_of(st.none(), st.fixed_dictionaries({"heading": _texts, "text": _texts,
                                                              "fallback": st.booleans()}))}),
    trees, st.dictionaries(_texts, _texts))
def test_the_written_page_is_the_rendered_page_for_generated_editions(edition, blocks, strings):
    ui = lambda msgid: strings.get(msgid, msgid + " <&>")  # noqa: E731
    text_of = lambda text: (text.template, text.segment is not None)  # noqa: E731
    edition["blocks"] = written_body(blocks, text_of, lambda: view_blocks(blocks, text_of))
    templates = REPO / "templates"
    assert page_writer_fits(templates)
    assert write_guide_page(ui, edition) == render_page(templates, "guide.html", ui, edition=edition)
