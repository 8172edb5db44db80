"""The verification's cheaper reading of a page (issue 17, round 7) gives the plain reading's results: numbers()
with its plain-digit route, Number fields set in one call, the screen looking only at characters not known
plain (_Plain), the bidi scan by str.find. Each against the plain route on generated text, every digit,
numeral and currency sign of Unicode, every text of the project and tampered pages of the repo's guides."""
from __future__ import annotations

import dataclasses
import re
import sys
import unicodedata
from functools import lru_cache

import pytest
from hypothesis import given, settings, strategies as st

from workflow.editions import screen, verify, visible
from workflow.editions.currencies import units
from workflow.editions.visible import Number, normalize

from test_fast_routes import _project_texts, pieces
from test_number_routes import _ALL, _compatibility_numerals, _digits, _hostile, _plain_normalize
from route_fixture import numbers_route  # noqa: F401 - the fixture: both routes of numbers()

pytestmark = pytest.mark.usefixtures("numbers_route")

LANGS = ["ja", "de", "fr", "ar", "hi", "zh_CN", "ru", "en", "ko", "pt_BR"]


def _plain_numbers(text: str, unit) -> list[Number]:
    """numbers() as it read every match before the plain-digit route (the reference)."""
    out: list[Number] = []
    for m in visible._NUMBER.finditer(text):
        num, mult_text = m.group("num"), (m.group("mult") or "").strip(" .+")
        if num[0] in visible._CJK and not (len(num) >= 2 and num[0] in visible._DIGIT_NUMERAL
                                           or visible._touches_digit(text, m)):
            continue
        factor = visible._word_factor(mult_text) or (visible._cjk_value(mult_text) if mult_text else 1)
        spans = visible._split_spaced(m) if " " in num else [(m.start("num"), m.start("num") + len(num))]
        for i, (s, e) in enumerate(spans):
            piece = text[s:e]
            last = i == len(spans) - 1
            values = {visible._cjk_number(piece)} if piece[0] in visible._CJK else \
                visible._digit_values(piece, unit.decimal)
            if last and factor != 1:
                values = {visible._scaled(v, factor) for v in values}
            end = m.end() if last else e
            out.append(Number(text[s:end], frozenset(values), unit.money_at(text, s, end), s, end))
    return out


def _same_numbers(text: str, lang: str) -> None:
    # the route chosen (compiled or Python) against the reference; numbers() then reads a multiplier after
    # a number's currency, on either route (tests/test_redteam_r9.py)
    found, plain = visible._ROUTE(text, units(lang)), _plain_numbers(text, units(lang))
    assert found == plain
    assert [dataclasses.astuple(n) for n in found] == [dataclasses.astuple(n) for n in plain]


@lru_cache(maxsize=1)
def _currency_signs() -> list[str]:
    return [c for c in _ALL if unicodedata.category(c) == "Sc"]


def test_the_plain_digit_route_sees_only_ascii_digits():
    # num.isdigit() picks the route: no CJK numeral the pattern reads is a digit to str.isdigit()
    assert not any(ch.isdigit() for ch in visible._CJK)
    assert visible._NUMBER.match("٣٣") is None and visible._NUMBER.match("３") is None


def test_a_number_made_in_one_call_is_the_dataclass_number():
    made, plain = visible._number("1 000", frozenset({"1000"}), "€", 3, 8), Number("1 000", frozenset({"1000"}), "€", 3, 8)
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain) and type(made) is Number
    assert vars(made) == vars(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.text = "2"


@settings(max_examples=2000, deadline=None)
@given(st.one_of(_hostile(), pieces), st.sampled_from(LANGS))
def test_numbers_equal_the_plain_reading(text, lang):
    _same_numbers(normalize(text), lang)
    _same_numbers(text, lang)


def test_numbers_next_to_every_digit_numeral_and_currency_sign():
    for ch in _digits() + _compatibility_numerals() + _currency_signs() + list(visible._CJK):
        for text in (f"{ch}12", f"12{ch}", f"{ch} 007 {ch}", f"a{ch}1,5{ch}b", f"({ch}3 000{ch})"):
            for lang in ("en", "ja", "fr"):
                _same_numbers(normalize(text), lang)


def test_numbers_on_every_text_of_the_project():
    for text in _project_texts():
        for lang in ("fr", "ja"):
            _same_numbers(normalize(text), lang)


def test_known_plain_characters_leave_out_only_plain_ones():
    fresh = screen._Plain()
    for text in ["é\u00a0€ 1", "ｅ１\u200b", "한국어 텍스트", "日本語のテキスト①", "é" * 3 + "\u0301"] + _project_texts()[:40]:
        others = fresh.others(text)
        left_out = set(text) - others
        assert all(ch.isascii() or visible._TRANSLATE[ord(ch)] == ch and screen._ascii_form(ch) is None
                   for ch in left_out), text


def test_known_plain_characters_compile_geometrically():
    """A page of new kanji after another must not compile the class again each time: compiles grow by half."""
    fresh, compiles = screen._Plain(), []
    compile_ = fresh._compile
    fresh._compile = lambda: (compiles.append(len(fresh.known)), compile_())
    for page in range(400):
        fresh.others("".join(chr(0x4E00 + page * 7 + i) for i in range(7)))
    assert len(fresh.known) + len(fresh.waiting) == 2800 and len(compiles) <= 16  # log_1.5(400) + 2
    assert all(after >= before * 1.5 for before, after in zip(compiles[1:], compiles[2:]))


def test_a_frequent_character_left_out_of_the_class_gets_in():
    """Below half the class, new plain characters wait; one a page matches often is compiled in at once
    (the accented letters of a page after the source side's Hangul: findall was 8x slower than set())."""
    fresh = screen._Plain()
    fresh.others("".join(chr(0xAC00 + i) for i in range(300)))
    fresh.others("é" * 100)
    assert "é" in fresh.waiting and "é" not in fresh.known and fresh.pattern.search("é")
    fresh.others("é" * 5000)
    assert "é" in fresh.known and not fresh.waiting and fresh.pattern.search("aé") is None


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(_hostile(), st.sampled_from(["한국어", "語", "\u00a0", "\u0301", "ｅ", "é", "€"])),
                max_size=6).map("".join))
def test_normalize_with_a_warm_and_a_cold_class_is_the_plain_normalize(text):
    assert normalize(text) == _plain_normalize(text)
    assert visible.normalize_flat(" ".join(text.split())) == _plain_normalize(text)


def _plain_bidi(text: str, kind: str, fail, chars=None) -> None:
    found = verify._BIDI_CONTROL.search(text)
    if found:
        fail(1, f"{kind}: bidi control U+{ord(found.group()):04X} in the text: it can reorder the numbers a reader "
                "sees", "verify.bidi")


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(sorted(verify.BIDI_CONTROLS) + ["a", "1", " ", "\u200f", "\u061c", "é"]),
                max_size=8).map("".join))
def test_the_bidi_scan_names_the_first_control_as_the_regex_does(text):
    found, plain = [], []
    verify._no_bidi_controls(text, "HTML", lambda *a: found.append(a))
    _plain_bidi(text, "HTML", lambda *a: plain.append(a))
    assert found == plain


_TAMPERINGS = ["1", "9", "0", " 1", "1 ", ",", ".", "\u00a0", "\u202f", "€", "$", "USD", "١", "１", "①", "\u202e",
               "\u2066", "\u200b", "\u0301", "万", "二", " million", "k", "&#49;", "&#8238;", "<b>7</b>", "é", "한"]


@lru_cache(maxsize=1)
def _pages():
    from workflow.editions.edition import Translations, build_edition
    from workflow.editions.localeformat import locale_for
    from workflow.project import Project
    from conftest import REPO
    project = Project(REPO)
    out = []
    for guide in project.guides:
        doc = project.document(guide)
        for lang in ("ja", "fr"):
            files = build_edition(doc, lang, Translations(), project.registry, project.templates_dir, ["en", lang]).files
            out.append((doc, lang, locale_for(lang), project.registry, files[f"{guide}.html"].decode(),
                        files[f"{guide}.md"].decode()))
    return out


def _plain_route(monkeypatch):
    # the reference reading, then numbers()'s own reading of a multiplier after a number's currency
    monkeypatch.setattr(verify, "numbers", lambda text, unit: [visible._scaled_after_money(text, n) if n.money else n
                                                             for n in _plain_numbers(text, unit)])
    monkeypatch.setattr(verify, "_no_bidi_controls", _plain_bidi)
    monkeypatch.setattr(visible, "_others", set)  # every character of a text, not only those worth screening


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 10**6), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(_TAMPERINGS)), min_size=1, max_size=4))
def test_tampered_pages_give_the_plain_routes_problems(which, edits):
    doc, lang, locale, registry, html, md = _pages()[which % len(_pages())]
    for at, insert in edits:  # inside the body, where the numbers are read
        start = html.index(verify.BODY_START) + len(verify.BODY_START)
        cut = start + int(at * (html.index("</div>", start) - start))
        cut = html.rfind(">", start, cut) + 1 or start  # between tags: the page stays well formed
        html = html[:cut] + insert + html[cut:]
        md = md.replace("\n\n", f"\n\n{insert} ", 1)

    def run():
        doc.derived.clear()
        return verify.verify_edition(html, doc, lang, locale, registry, [], doc.path, md)

    fast = run()
    with pytest.MonkeyPatch.context() as monkeypatch:
        _plain_route(monkeypatch)
        plain = run()
    assert fast == plain


def test_honest_pages_give_the_plain_routes_problems():
    for doc, lang, locale, registry, html, md in _pages():
        doc.derived.clear()
        fast = verify.verify_edition(html, doc, lang, locale, registry, [], doc.path, md)
        with pytest.MonkeyPatch.context() as monkeypatch:
            _plain_route(monkeypatch)
            doc.derived.clear()
            assert verify.verify_edition(html, doc, lang, locale, registry, [], doc.path, md) == fast


_CONTROLS = sorted(verify.BIDI_CONTROLS) + ["\u200f", "\u061c", "&#8238;", "&#x2066;", "a"]


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10**6), st.floats(0, 1), st.sampled_from(_CONTROLS), st.floats(0, 1), st.sampled_from(_CONTROLS),
       st.sampled_from(["", "<b", "<"]))
def test_a_bidi_control_anywhere_in_the_page_or_the_md_is_found_as_the_regex_finds_it(which, at, control, md_at,
                                                                                       md_control, opened):
    """verify_edition asks for bidi controls in the characters it reads for the numbers (visible.characters of
    the body's text, of the page's head and tail, of the .md's appendix): a control in the title, the emergency
    box, the disclaimer or a page read whole (a '<' left open before the body) is found as the regex scan of
    the whole text finds it."""
    doc, lang, locale, registry, html, md = _pages()[which % len(_pages())]
    cut = html.rfind(">", 0, int(at * len(html))) + 1   # between tags: text of the head, body or tail
    html = html[:cut] + opened + control + html[cut:]
    md_cut = int(md_at * len(md))
    md = md[:md_cut] + md_control + md[md_cut:]

    def run():
        doc.derived.clear()
        return verify.verify_edition(html, doc, lang, locale, registry, ["x"], doc.path, md)

    fast = run()
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(verify, "_no_bidi_controls", _plain_bidi)
        assert run() == fast
    if control in verify.BIDI_CONTROLS and not opened and html.find(verify.BODY_START) < cut < html.find("</body>"):
        assert any(p.check == "verify.bidi" and "HTML" in p.message for p in fast)
