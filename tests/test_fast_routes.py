"""Cheaper routes of the build (issue 17) give exactly what the plain route gives: each is compared with
the plain route on generated input and on every text of the project."""
from __future__ import annotations

import re
from collections import Counter
from html import unescape
import unicodedata

from hypothesis import given, settings, strategies as st
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from workflow.editions import visible
from workflow.editions.render import environment
from workflow.editions.sandbox import LimitedSandbox
from workflow.project import Project

from conftest import REPO

# the number pattern as it was written before its leading character class (the reference)
_PLAIN_NUMBER = re.compile(rf"(?P<num>[0-9]+(?:{visible._SEP}[0-9]+)*|[{visible._CJK}]+)"
                           + visible._NUMBER.pattern[visible._NUMBER.pattern.index("(?P<mult>"):], re.I)

pieces = st.lists(st.sampled_from(
    ["1", "19", "119", "5,000", "1.5", "10 000", "3'000", "٫", "٬", ",", ".", "'", "\u2019", " ", "+", "万", "十",
     "一", "二", "三百", "億", "千", "k", "K", "million", "Millionen", "lakh", "млн", "만", "a", "x", "$", "€", "円",
     "USD", "\u00a0", "\u202f", "\u2009", "\u00ad", "\u200b", "\u0301", "e", "é", "１２", "²", "٣", "३", "ﬁ", "…",
     "\u3000", "\n", "语", "。"]), max_size=24).map("".join)


def _project_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "locales").rglob("*.po")]
    texts += [p.read_text(encoding="utf-8") for p in (REPO / "source").glob("*.md")]
    return texts + [line for text in texts for line in text.split("\n")]


def _same_numbers(text: str) -> None:
    assert [(m.span(), m.groupdict()) for m in visible._NUMBER.finditer(text)] == \
        [(m.span(), m.groupdict()) for m in _PLAIN_NUMBER.finditer(text)]


def _same_normalization(text: str) -> None:
    nfkc, chars = visible._nfkc(text, set(text))
    assert nfkc == unicodedata.normalize("NFKC", text) and chars == set(nfkc)
    assert visible._TRANSLATE.apply(text, set(text)) == text.translate(visible._TRANSLATE)


def test_the_reference_pattern_is_the_old_one():
    assert _PLAIN_NUMBER.pattern.startswith(rf"(?P<num>[0-9]+(?:{visible._SEP}[0-9]+)*|[{visible._CJK}]+)(?P<mult>")


@settings(max_examples=3000)
@given(pieces)
def test_number_pattern_matches_the_plain_one(text):
    _same_numbers(text)
    _same_numbers(visible.normalize(text))


@settings(max_examples=2000)
@given(st.one_of(pieces, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)))
def test_normalization_shortcuts_equal_the_plain_route(text):
    _same_normalization(text)


def test_fast_routes_on_every_text_of_the_project():
    for text in _project_texts():
        _same_numbers(text)
        _same_normalization(text)


def test_pages_render_in_jinjas_own_sandbox():
    # blocks.html reads b["key"], which the sandbox does at once: no subclass skipping its checks (the
    # limited sandbox only adds size checks; attribute, item and call safety stay Jinja's own)
    env = environment(str(Project(REPO).templates_dir))
    assert type(env) is LimitedSandbox and LimitedSandbox.__bases__ == (SandboxedEnvironment,)
    for name in ("getattr", "getitem", "is_safe_attribute", "is_safe_callable", "unsafe_undefined"):
        assert getattr(LimitedSandbox, name) is getattr(SandboxedEnvironment, name), name


class _Html:
    def __html__(self):
        return "<i>safe</i>"


_printed = st.one_of(st.text(max_size=20), st.sampled_from(["<&'\">", "", "é<語>", "\x00"]), st.integers(),
                     st.none(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=8).map(Markup),
                     st.just(_Html()), st.text(max_size=8).map(type("Sub", (str,), {})))


@settings(max_examples=500)
@given(st.lists(_printed, min_size=1, max_size=5))
def test_printed_values_are_escaped_as_markupsafe_escapes(values):
    """The compiled templates print through sandbox._escape (a str's Markup made without Markup.__new__'s
    frame): the page is markupsafe.escape's, whatever the value's kind."""
    from workflow.editions import sandbox
    source = "".join(f"{{{{ v{i} }}}}|{{{{ v{i} ~ 'x' }}}}|{{% if v{i} %}}{{{{ v{i} }}}}{{% endif %}}"
                     for i in range(len(values)))
    kwargs = {f"v{i}": v for i, v in enumerate(values)}
    ours = LimitedSandbox(autoescape=True).from_string(source)
    assert ours.root_render_func.__globals__["escape"] is sandbox._escape
    assert ours.render(**kwargs) == SandboxedEnvironment(autoescape=True).from_string(source).render(**kwargs)
    for v in values:
        assert type(sandbox._escape(v)) is Markup and sandbox._escape(v) == escape(v)


page_parts = st.lists(st.sampled_from(["<p>", "</p>", "<strong>", "</strong>", "<b", ">", "&amp", "&amp;", "&#49;", "&#",
                                       "1", "19", " ", "x", "<div>", "</div>", "<div class=\"x\">", "<", "\n", "é"]),
                      max_size=10).map("".join)


@settings(max_examples=3000)
@given(page_parts, page_parts, page_parts)
def test_page_text_read_in_parts_is_the_whole_page_read(head, body, tail):
    from workflow.editions.verify import BODY_START, _text, read_page
    html = f"{head}{BODY_START}{body}</div>{tail}"
    assert "".join(read_page(html)[0]) == _text(html)
    assert "".join(read_page(head + body)[0]) == _text(head + body)


@settings(max_examples=3000)
@given(st.lists(st.text(alphabet=" \n\u00a0\u3000ab1", max_size=6), max_size=5))
def test_flat_joined_from_the_pieces_is_the_joined_text_flattened(pieces):
    from workflow.editions.verify import _flat, _flat_joined
    assert _flat_joined(pieces, [_flat(p) for p in pieces]) == _flat("".join(pieces))


@settings(max_examples=3000)
@given(page_parts, page_parts, page_parts)
def test_page_read_once_gives_the_plain_readings(head, body, tail):
    """verify_edition's route (the body's text and its flat form read once, the page's flat form joined
    from the pieces) against reading the page and the body whole."""
    from workflow.editions.verify import BODY_START, _body, _flat, _flat_joined, read_page, _text
    for html in (f"{head}{BODY_START}{body}</div>{tail}", f"{head}{BODY_START}{body}</div {tail}", head + body):
        pieces, body_text, _, _ = read_page(html)
        assert body_text == _text(_body(html)) and "".join(pieces) == _text(html)
        if len(pieces) == 3:
            assert pieces[1] is body_text
        flats = [_flat(p) for p in pieces]
        assert _flat_joined(pieces, flats) == _flat(_text(html))


def _plain_text(html: str) -> str:
    from workflow.editions.pagetext import _INLINE_TAGS, _TAG
    return unescape(_TAG.sub(lambda m: "" if m.group(2).lower() in _INLINE_TAGS else " ", html))


def _plain_tags(body: str) -> Counter:
    from workflow.editions.pagetext import _BODY_TAG
    tags: Counter = Counter()
    for m in _BODY_TAG.finditer(body):
        name = m.group(1)
        tags["heading" if name[0] == "h" and name != "th" else "cell" if name in ("th", "td") else name] += 1
    return tags


tag_parts = st.lists(st.sampled_from(["<p>", "</P>", "<STRONG>", "</strong >", "<b", "<bb>", "<br/>", "<i>", "<Em>",
                                      "<a href=\"x\">", "<h2>", "<h7>", "<th>", "<td x>", "<tr>", "<li>", "<table>",
                                      "<td", "<<b>p>", ">", "&amp;", "&#49;", "1", " ", "x", "\n", "é"]),
                     max_size=14).map("".join)


@settings(max_examples=3000)
@given(tag_parts)
def test_page_text_and_tag_counts_equal_the_plain_readings(html):
    from workflow.editions.verify import BODY_START, read_page, _text
    assert _text(html) == _plain_text(html)
    _, _, tags, _ = read_page(BODY_START + html)
    assert tags == _plain_tags(BODY_START + html)


def test_page_readings_on_every_page_of_the_project():
    from workflow.editions.edition import Translations, build_edition
    from workflow.editions.verify import _body, read_page, _text
    project = Project(REPO)
    for guide in project.guides:
        doc = project.document(guide)
        html = build_edition(doc, "ja", Translations(), project.registry, project.templates_dir,
                             ["en", "ja"]).files[f"{guide}.html"].decode()
        assert _text(html) == _plain_text(html)
        assert read_page(html)[2] == _plain_tags(_body(html)) and sum(_plain_tags(_body(html)).values()) > 10
