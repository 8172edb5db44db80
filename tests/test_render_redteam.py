"""Red team against round 6's rendering and verification shortcuts (issue 17).

Each attack is held against the plain route: the Jinja template route (view_blocks + blocks.html's
loop), markdown-it's own rendering, Babel without the memo, and against what a reader sees. The
customizer attacks edit a copy of the templates: guide.html or base.html reading `edition.blocks`
themselves, blocks.html changed by a byte, a symlinked blocks.html, blocks.html edited between the
writer's gate and the page's rendering.
"""
from __future__ import annotations

import os
import shutil
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from hypothesis import given, settings, strategies as st

from workflow.editions import body as body_module, edition as edition_module
from workflow.editions.body import body_writer_fits
from workflow.editions.edition import Translations, build_edition
from workflow.editions.pricerecipe import whole_pattern
from workflow.editions.localeformat import _format_amount, format_amount, format_price, locale_for
from workflow.editions.render import _MD, _inline_html, inline_plain
from workflow.model import Price, WorkflowError
from workflow.project import Project
from workflow.publishing.builder import Builder

from conftest import REPO


@pytest.fixture(scope="module")
def project():
    return Project(REPO)


def _args(project, guide, lang, translations, templates_dir):
    builder = Builder(project)
    return (project.document(guide), lang, translations, project.registry, templates_dir,
            builder.switcher_languages(lang), project.config.source_language)


def _both_routes(args, monkeypatch):
    """(edition with the body writer where it fits, edition by the template route alone)."""
    written = build_edition(*args)
    with monkeypatch.context() as m:
        m.setattr(edition_module, "body_writer_fits", lambda templates_dir: False)
        templated = build_edition(*args)
    return written, templated


def _templates(tmp_path):
    target = tmp_path / "templates"
    shutil.copytree(REPO / "templates", target)
    return target


# --- a customized project: guide.html / base.html reading edition.blocks themselves -------------------

_TOC = ('<nav class="toc">{% for b in edition.blocks if b["type"] == "heading" %}'
        '<a href="#{{ b["anchor"] }}">{{ b["html"] }}</a>{% endfor %}</nav>\n')


@pytest.mark.parametrize("edit", [
    # a table of contents from the block stream, before the macro's body
    lambda text: text.replace('<div class="body">', _TOC + '<div class="body">'),
    # the body's own loop instead of the macro: paragraphs and headings only
    lambda text: text.replace("{{ render_blocks(edition.blocks) }}",
                              '{% for b in edition.blocks %}{% if b["type"] in ("paragraph", "heading") %}'
                              '<p>{{ b["html"] }}</p>\n{% endif %}{% endfor %}'),
    # a count of the blocks in the header
    lambda text: text.replace('<p class="category">', '<p class="count">{{ edition.blocks|length }}</p><p class="category">'),
    # the macro on a slice of the stream
    lambda text: text.replace("render_blocks(edition.blocks)", "render_blocks(edition.blocks[1:])"),
], ids=["toc", "own-loop", "length", "slice"])
def test_a_customized_guide_html_reading_the_block_stream_renders_as_the_template_route(
        project, tmp_path, monkeypatch, edit):
    templates = _templates(tmp_path)
    guide_html = templates / "guide.html"
    guide_html.write_text(edit(guide_html.read_text()))
    assert body_writer_fits(templates)   # blocks.html is still the known one
    for guide in project.guides:
        written, templated = _both_routes(_args(project, guide, "en", Translations({}, {}), templates), monkeypatch)
        assert written.files == templated.files and written.problems == templated.problems, guide


@pytest.mark.parametrize("own_gettext", [
    '{% macro _(s) %}X{{ s }}{% endmacro %}',                   # a marker on every template string
    '{% set _ = "{0}!".format %}',                               # a callable the sandbox must still guard
    '{% set _ = "{0.__class__.__mro__}".format %}',              # ...refused when it reaches internals
], ids=["macro", "format", "format-internals"])
def test_a_guide_html_defining_its_own_gettext_gets_it_in_the_written_body_too(project, tmp_path, monkeypatch,
                                                                                own_gettext):
    templates = _templates(tmp_path)
    guide_html = templates / "guide.html"
    guide_html.write_text(guide_html.read_text().replace('{% from "blocks.html"', own_gettext + '\n{% from "blocks.html"', 1))
    guide = project.guides[0]
    # "ar" without a translated disclaimer: the body shows the notice, the tables their aria-label
    args = _args(project, guide, "ar", Translations({}, {}), templates)
    try:
        written, templated = _both_routes(args, monkeypatch)
    except WorkflowError as refused:
        assert "sandbox" in str(refused) and "__mro__" in own_gettext
        with monkeypatch.context() as m:   # the template route refuses it as well
            m.setattr(edition_module, "body_writer_fits", lambda templates_dir: False)
            with pytest.raises(WorkflowError):
                build_edition(*args)
        return
    assert written.files == templated.files
    assert "__mro__" not in own_gettext


def _render_both(page, blocks, text_of, **context):
    from workflow.editions.body import written_body
    from workflow.editions.render import environment, view_blocks
    env = environment(str(REPO / "templates"))
    results = []
    for body in (written_body(blocks, text_of, lambda: view_blocks(blocks, text_of)), view_blocks(blocks, text_of)):
        try:
            results.append(env.from_string(page).render(blocks=body, **context))
        except Exception as exc:  # noqa: BLE001 - the same failure on both routes is the expectation
            results.append(type(exc).__name__)
    return results


def test_the_macro_imported_without_context_behaves_alike_with_and_without_tables(project):
    from workflow.model import Paragraph, Text
    page = '{% from "blocks.html" import render_blocks %}{{ render_blocks(blocks) }}'   # no _ reaches it
    plain = [Paragraph(Text("one paragraph", {}, None), 1)]
    written, templated = _render_both(page, plain, lambda text: (text.template, False))
    assert written == templated == "<p>one paragraph</p>\n\n"
    doc = project.document(project.guides[0])   # with tables: _('Table') is asked, and fails, on both routes
    written, templated = _render_both(page, doc.blocks, lambda text: (text.template, False))
    assert written == templated and written in ("UndefinedError", "TypeError")


def test_a_gettext_answering_differently_per_call_is_asked_as_the_loop_asks(project):
    doc = project.document(project.guides[0])
    page = ('{% set ns = namespace(n=0) %}{% macro _(s) %}{% set ns.n = ns.n + 1 %}{{ s }} {{ ns.n }}{% endmacro %}'
            '{% from "blocks.html" import render_blocks with context %}{{ render_blocks(blocks) }}')
    written, templated = _render_both(page, doc.blocks, lambda text: (text.template, bool(text.segment)))
    assert written == templated and 'aria-label="Table 2"' in written


def test_a_customized_base_html_reading_the_block_stream_renders_as_the_template_route(project, tmp_path, monkeypatch):
    templates = _templates(tmp_path)
    base = templates / "base.html"
    base.write_text(base.read_text().replace(
        "<main", '<aside>{% if edition.blocks is defined %}{% for b in edition.blocks %}{{ b["type"] }} '
                 '{% endfor %}{{ edition.blocks }}{% endif %}</aside>\n<main'))
    guide = project.guides[0]
    written, templated = _both_routes(_args(project, guide, "en", Translations({}, {}), templates), monkeypatch)
    assert written.files == templated.files
    assert b"<aside>heading " in written.files[f"{guide}.html"]


def test_blocks_html_one_byte_changed_renders_its_own_body(project, tmp_path, monkeypatch):
    templates = _templates(tmp_path)
    blocks = templates / "blocks.html"
    blocks.write_text(blocks.read_text().replace("class=\"table-scroll\"", "class=\"table-scroll \""))
    assert not body_writer_fits(templates)
    guide = project.guides[0]
    edition = build_edition(*_args(project, guide, "en", Translations({}, {}), templates))
    page = edition.files[f"{guide}.html"].decode()
    assert page.count("class=\"table-scroll \"") > 0 and "class=\"table-scroll\"" not in page


def test_a_symlinked_blocks_html_inside_the_project_is_read_through_and_one_outside_refused(project, tmp_path, monkeypatch):
    templates = _templates(tmp_path)
    shared = tmp_path / "shared-blocks.html"
    (templates / "blocks.html").rename(shared)
    (templates / "blocks.html").symlink_to(shared)   # inside the project (tmp_path is its root)
    guide = project.guides[0]
    args = _args(project, guide, "en", Translations({}, {}), templates)
    assert body_writer_fits(templates)
    written, templated = _both_routes(args, monkeypatch)
    assert written.files == templated.files
    outside = tmp_path.parent / f"{tmp_path.name}-outside-blocks.html"
    shutil.copy(shared, outside)
    try:
        (templates / "blocks.html").unlink()
        (templates / "blocks.html").symlink_to(outside)
        body_module.environment.cache_clear()
        assert not body_writer_fits(templates)       # refused, never written past
        with pytest.raises(WorkflowError):
            build_edition(*args)
    finally:
        outside.unlink()
        body_module.environment.cache_clear()


def test_blocks_html_edited_between_the_gate_and_the_page_renders_the_edited_file(project, tmp_path, monkeypatch):
    templates = _templates(tmp_path)
    blocks = templates / "blocks.html"
    guide = project.guides[0]
    args = _args(project, guide, "en", Translations({}, {}), templates)
    gate = body_writer_fits

    def gate_then_edit(templates_dir):
        fits = gate(templates_dir)
        blocks.write_text(blocks.read_text().replace('"table-scroll"', '"table-scroll edited"'))
        stat = blocks.stat()
        os.utime(blocks, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))   # a later mtime, surely
        return fits

    with monkeypatch.context() as m:
        m.setattr(edition_module, "body_writer_fits", gate_then_edit)
        raced = build_edition(*args)
    page = raced.files[f"{guide}.html"].decode()
    assert '"table-scroll edited"' in page
    written, templated = _both_routes(args, monkeypatch)   # now with the edited file
    assert raced.files == templated.files == written.files


# --- hostile translations: both routes give the same bytes ---------------------------------------

_HOSTILE = ["<", "&", '"', "'", "\n", "\r", "\x00", "\u00a0", "&amp;", "&#49;", "&copy;", "\\", "\\\n", "# ",
            "1. ", "3) ", "> ", "- ", "+ ", "| ", "\u200f", "\u202e", "**x", "~x", "~~~", "```", "`", "![a](b)",
            "[a]: /x", "  \n", "<b>", "<!-- c -->", "&#x31;", "&lt;script&gt;", "*", "_", "1.x", "!", "! [", "]("]


def _hostile(msgid: str, i: int) -> str:
    a, b = _HOSTILE[i % len(_HOSTILE)], _HOSTILE[(i * 7 + 3) % len(_HOSTILE)]
    return f"{a}{msgid}{b}"


def test_hostile_translations_give_the_same_edition_by_both_routes(project, monkeypatch):
    for guide in project.guides:
        doc = project.document(guide)
        for lang in ("ar", "ja", "es"):
            guide_texts = {s.msgid: _hostile(s.msgid, i) for i, s in enumerate(doc.segments)}
            ui = {"Table": 'Tab<le> & "q" \'s', NOTICE: "<b>notice</b> &amp;"}
            written, templated = _both_routes(
                _args(project, guide, lang, Translations(guide_texts, ui), REPO / "templates"), monkeypatch)
            assert written.files == templated.files and written.problems == templated.problems, (guide, lang)


NOTICE = body_module.NOTICE


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_HOSTILE + ["a", "1", " ", "**", "x y", "\u3000", "١٢"]), max_size=8).map("".join))
def test_inline_fast_paths_are_markdown_it_on_hostile_text(text):
    assert _inline_html(text) == _MD.renderInline(text)
    tokens = _MD.parseInline(text)[0].children or []
    assert inline_plain(text) == "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


# --- the format memo: equal keys, equal bytes -------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "de", "ja", "ar", "fr_CH", "de_CH", "en_IN", "hi", "en_XA", "zh_Hant"])
def test_format_amount_memo_keys_that_compare_equal_format_alike(lang):
    locale = locale_for(lang)
    # Decimals equal as keys but written differently: the memo answers the first for all of them
    for group in (["1", "1.0", "1.00", "1E+0"], ["1000", "1E+3", "1000.0", "1.000E+3"], ["0", "0.0", "0E+2"], ["-0", "-0.0", "-0E+2"],
                  ["5000.50", "5000.5"], ["12345678", "12345678.000"]):
        _format_amount.cache_clear()
        memo = [format_amount(Decimal(v), "USD", locale) for v in group]
        plain = [format_currency(Decimal(v), "USD", format=whole_pattern(locale), locale=locale, currency_digits=False)
                 for v in group]
        assert memo == plain, (lang, group)
        assert len(set(plain)) == 1, (lang, group)
    # -0 == 0 as a key, yet Babel writes a minus: either one first, each keeps its own bytes
    for first, second in (("0", "-0"), ("-0", "0")):
        _format_amount.cache_clear()
        memo = [format_amount(Decimal(v), "USD", locale) for v in (first, second)]
        assert memo == [format_currency(Decimal(v), "USD", format=whole_pattern(locale), locale=locale,
                                        currency_digits=False) for v in (first, second)], lang


@pytest.mark.parametrize("low, high", [("0", None), ("-0", None), ("100", "0"), ("100", "-0")])
def test_format_price_memo_keeps_the_sign_of_zero(low, high):
    # Price(-0) == Price(0) as a key: whichever is formatted first, each price keeps its own bytes
    locale = locale_for("en")
    twin = lambda v: None if v is None else str(-Decimal(v)) if v.startswith("-") else "-" + v  # noqa: E731
    price = Price("USD", Decimal(low), None if high is None else Decimal(high))
    other = Price("USD", Decimal(twin(low) if high is None else low), None if high is None else Decimal(twin(high)))
    assert price == other
    _format_amount.cache_clear()
    first, second = format_price(other, locale), format_price(price, locale)
    _format_amount.cache_clear()
    assert second == format_currency_price(price, locale) and first == format_currency_price(other, locale)
    assert first != second


def format_currency_price(price: Price, locale) -> str:
    """format_price without any memo, in English (one amount, or a range in its CLDR range pattern)."""
    plain = lambda v: format_currency(v, "USD", format=whole_pattern(locale), locale=locale,  # noqa: E731
                                      currency_digits=False)
    text = plain(price.low)
    return text if price.high is None else "{0}\u2009–\u2009{1}".replace("{0}", text).replace("{1}", plain(price.high))


def test_locale_variants_are_distinct_memo_keys():
    _format_amount.cache_clear()
    value = Decimal("1234567")
    seen = {lang: format_amount(value, "USD", locale_for(lang)) for lang in ("en", "en_IN", "de", "de_CH", "fr", "fr_CH")}
    assert seen["en_IN"] != seen["en"] and seen["de_CH"] != seen["de"] and seen["fr_CH"] != seen["fr"]
    for lang, text in seen.items():
        locale = locale_for(lang)
        assert text == format_currency(value, "USD", format=whole_pattern(locale), locale=locale, currency_digits=False)


def test_nan_is_never_served_from_the_memo():
    # NaN != NaN: a memo keyed on it misses every time, and a source price can never be NaN anyway
    locale = locale_for("en")
    price = Price("USD", Decimal("NaN"))
    assert format_price(price, locale) == format_price(Price("USD", Decimal("NaN")), locale)


def test_the_projects_own_templates_never_make_the_view_stream(project, monkeypatch):
    # the writer's route is taken whole: guide.html prints the written body, nothing reads the stream
    def no_views(*args, **kwargs):
        raise AssertionError("view stream made")
    monkeypatch.setattr(edition_module, "view_blocks", no_views)
    for guide in project.guides:
        build_edition(*_args(project, guide, "ja", Translations({}, {}), REPO / "templates"))


# --- verification's one-split readings on hostile whitespace and format characters -----------------

_SPACES = " \n\r\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000"
_HIDDEN = "\u200b\u200c\u200d\u00ad\u180e\u2060\ufeff\u200e\u200f\u202e\u0301\u00a8\u0000\x7f"
_TEXT = st.text(alphabet=_SPACES + _HIDDEN + "15,.0 a$€万", max_size=14)


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
def test_normalize_of_the_flat_text_is_normalize_of_the_text(text):
    from workflow.editions.verify import _flat
    from workflow.editions.currencies import units
    from workflow.editions.visible import normalize, normalize_flat, numbers
    assert normalize_flat(_flat(text)) == normalize(text)
    assert numbers(normalize_flat(_flat(text)), units("de")) == numbers(normalize(text), units("de"))


@settings(max_examples=3000, deadline=None)
@given(st.lists(_TEXT, max_size=4))
def test_flat_joined_on_every_kind_of_whitespace(pieces):
    from workflow.editions.verify import _flat, _flat_joined
    assert _flat_joined(pieces, [_flat(p) for p in pieces]) == _flat("".join(pieces))


def test_page_readings_of_hostile_editions_are_the_plain_readings(project):
    # the pages hostile translations make (escaped '<', entities, NUL, RTL marks...) read by the one-split
    # route and by the sub/finditer reading kept in tests/test_fast_routes.py
    from html import unescape
    from workflow.editions.pagetext import _INLINE_TAGS, _TAG
    from workflow.editions.verify import _body, read_page
    plain = lambda html: unescape(_TAG.sub(lambda m: "" if m.group(2).lower() in _INLINE_TAGS else " ", html))  # noqa: E731
    for guide in project.guides:
        doc = project.document(guide)
        guide_texts = {s.msgid: _hostile(s.msgid, i) for i, s in enumerate(doc.segments)}
        edition = build_edition(*_args(project, guide, "ar", Translations(guide_texts, {}), REPO / "templates"))
        html = edition.files[f"{guide}.html"].decode()
        pieces, body_text, _, _ = read_page(html)
        assert "".join(pieces) == plain(html) and body_text == plain(_body(html))
