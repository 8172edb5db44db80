"""Number accounting's cheaper routes (issue 17) give the plain route's verdicts, and nothing a reader sees
as a number slips past a gate: every character of Unicode, generated text and every text of the project.

- may_have_number(): the `visible` check's gate on a msgstr as written. It may say True too often (the
  check then reads no number), never False where markdown_text() shows a digit or numeral.
- numbers(): its gate is what _NUMBER starts with; same numbers as the ungated reader.
- normalize(): equal to the plain definition (NFKC, format characters, combining marks, private-use and
  unassigned characters and Hangul fillers dropped, the braille blank a space, every script's decimal
  digits as ASCII, whitespace collapsed).
"""
from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

import pytest
from hypothesis import given, settings, strategies as st

from workflow.editions import currencies, visible
from workflow.editions.currencies import units
from workflow.editions.currency_words import extra_words
from workflow.editions.visible import markdown_text, may_have_number, normalize, numbers

from test_fast_routes import _project_texts, pieces
from route_fixture import numbers_route  # noqa: F401 - the fixture: both routes of numbers()

pytestmark = pytest.mark.usefixtures("numbers_route")

_ALL = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
_READ_AS_NUMERAL = re.compile(rf"[0-9{visible._CJK}]")


@lru_cache(maxsize=1)
def _digits() -> list[str]:
    """Every script's decimal digits (category Nd), every plane: 𝟏 (U+1D7CF) as much as ٣ or १."""
    return [c for c in _ALL if unicodedata.category(c) == "Nd"]


@lru_cache(maxsize=1)
def _compatibility_numerals() -> list[str]:
    """Characters whose compatibility form holds a digit or numeral though they are none: ㏠ (1日),
    ⼆ (二), 🄂 (1,), ① (1), ²..."""
    return [c for c in _ALL if not _READ_AS_NUMERAL.match(c)
            and _READ_AS_NUMERAL.search(unicodedata.normalize("NFKD", c))]


def _plain_screen(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in ("Cf", "Mn", "Me", "Co", "Cn") or ch in "\u115f\u1160\u3164\uffa0":   # Hangul fillers
        return ""
    if ch == "\u2800":   # the braille blank
        return " "
    return str(unicodedata.decimal(ch)) if category == "Nd" else ch


@lru_cache(maxsize=None)
def _is_numeral(ch: str) -> bool:
    """A numeral character as visible reads one: numeric (Nl, No), no CJK numeral, no decimal digit under NFKC."""
    return unicodedata.category(ch) in ("Nl", "No") and ch not in visible._CJK and not any(
        c.isdecimal() for c in unicodedata.normalize("NFKC", ch))


def _plain_numerals(text: str) -> str:
    """Each run of numeral characters as its value: digits' values one after another, else (Roman numerals among
    them, or a value of 10 or more) the values added, one before a larger one subtracted."""
    out, run = [], []
    for ch in text + "\0":
        if _is_numeral(ch):
            run.append(ch)
            continue
        if run:
            values = [unicodedata.numeric(c) for c in run]
            if not any(0x2160 <= ord(c) <= 0x2188 for c in run) and all(v in range(10) for v in values):
                out.append("".join(str(int(v)) for v in values))
            else:
                total = sum(v if i + 1 == len(values) or v >= values[i + 1] else -v for i, v in enumerate(values))
                out.append(str(int(total)) if total == int(total) else str(total))
            run = []
        out.append(ch)
    return "".join(out[:-1])


def _plain_normalize(text: str) -> str:
    return " ".join("".join(map(_plain_screen, unicodedata.normalize("NFKC", _plain_numerals(text)))).split())


def _hostile():
    spaces = ["\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", " ", "\n"]
    marks = ["\u0301", "\u20dd", "\u00ad", "\u200b", "\u2063", "\u200f", "\ufeff", "\u3164", "\u1160", "\uffa0", "\u2800",
             "\ue000", "\U000e0002"]
    wide = ["１", "２", "０", "，", "．", "＄", "＆", "#", ";", "&#57;", "&#x31;", "\\", "*"]
    return st.lists(st.one_of(st.sampled_from(_digits()), st.sampled_from(_compatibility_numerals()),
                              st.sampled_from(spaces + marks + wide), pieces,
                              st.characters(blacklist_categories=("Cs",))), max_size=16).map("".join)


def test_the_gate_passes_every_character_that_reads_as_a_number_and_only_those():
    # "&" may start an entity; the full-width and small ampersands become one under NFKC
    for ch in _ALL:
        assert may_have_number(ch) == bool(_READ_AS_NUMERAL.search(normalize(ch))
                                          or "&" in unicodedata.normalize("NFKC", ch)), f"U+{ord(ch):04X}"


def test_the_old_gate_missed_these():
    # the BMP-only gate of unicodedata.numeric() skipped entries holding them
    # (tests/data/po/check.visible-compatibility.po)
    for text in ("㏠", "⼆⼗", "🄂", "两两", "㋀"):
        assert may_have_number(text) and numbers(markdown_text(text), units("ja")), text


@settings(max_examples=1000, deadline=None)
@given(_hostile())
def test_gated_texts_show_no_number(text):
    if not may_have_number(text):
        assert numbers(markdown_text(text), units("ja")) == [] and numbers(normalize(text), units("de")) == []


def _ungated(text: str, unit) -> list:
    gate, visible._NUMERAL = visible._NUMERAL, re.compile("")
    try:
        return numbers(text, unit)
    finally:
        visible._NUMERAL = gate


@settings(max_examples=2000, deadline=None)
@given(_hostile(), st.sampled_from(["ja", "de", "fr", "ar", "hi", "zh_CN", "ru"]))
def test_normalize_and_numbers_equal_the_plain_route(text, lang):
    assert normalize(text) == _plain_normalize(text)
    shown = normalize(text)
    assert numbers(shown, units(lang)) == _ungated(shown, units(lang))


def test_plain_route_on_every_text_of_the_project():
    for text in _project_texts():
        shown = normalize(text)
        assert shown == _plain_normalize(text)
        assert numbers(shown, units("fr")) == _ungated(shown, units("fr"))
        if not may_have_number(text):
            assert numbers(markdown_text(text), units("fr")) == []


def test_currency_signs_outside_the_bmp_are_money():
    # U+1E2FF WANCHO NGUN SIGN, U+1ECB0 INDIC SIYAQ RUPEE MARK: category Sc, once left out with the BMP
    for sign in ("\U0001e2ff", "\U0001ecb0", "$", "₩"):
        assert [n.money for n in numbers(normalize(f"{sign}500"), units("en"))] == [sign]


def _plain_currency_words(lang: str):
    """Units.for_locale's names and unit words as first written: every locale's CLDR data read anew."""
    from babel import Locale
    try:
        locale = Locale.parse(lang)
    except Exception:  # noqa: BLE001 - as for_locale
        locale = Locale.parse(lang.split("_")[0]) if lang.split("_")[0].isalpha() else Locale("en")
    names, unit_words, suffixes = set(), {}, {}
    for loc in {locale, Locale("en")}:
        names |= {normalize(s).lower() for s in loc.currency_symbols.values()}
        countries = {normalize(t).lower() for t in loc.territories.values()}
        for code, name in loc.currencies.items():
            if code.startswith("X") and code not in currencies._X_TENDER:
                continue
            for form in {name} | set(loc._data.get("currency_names_plural", {}).get(code, {}).values()):
                form = currencies._PARENS.sub("", normalize(form).lower()).strip()
                if form in countries:  # ja "メキシコ (UDI)": a country's name, no currency's
                    continue
                names.add(form)
                words = form.split()
                if len(words) > 1:
                    for word in {words[-1]} | ({words[0]} if loc.language in currencies._NOUN_FIRST else set()):
                        unit_words[word] = unit_words.get(word, 0) + (99 if loc.language == "en" else 1)
                for suffix in currencies._unit_suffixes(form):
                    suffixes[suffix] = suffixes.get(suffix, 0) + 1
    found = {w for w, n in unit_words.items() if n >= 2} | \
        {w for w, n in suffixes.items() if n >= (10 if len(w) == 1 else 3)}
    # CLDR's dotted symbols (ر.س.) without their last dot, and the hand-vetted supplement (currency_words)
    names |= {n[:-1] for n in names if not n.isascii() and n.count(".") > 1 and currencies._DOTTED.fullmatch(n)}
    names = currencies._plausible(names)
    made = currencies._plausible(found) | names | {normalize(w).lower() for w in extra_words(lang)}
    return names, made | {f for w in made for f in currencies._capitals_lowered(w, locale.language)}


def test_units_read_english_once_and_equal_the_plain_route():
    for lang in ["en", "en_US", "en_XA", "fr", "de_CH", "ja", "zh_CN", "ko", "ar", "hi", "ru", "es", "pt_BR", "tr"]:
        made = currencies.Units.for_locale(lang)
        assert (made.names, made.units) == _plain_currency_words(lang), lang


def test_verification_reads_compatibility_numerals_in_a_built_edition(tmp_path):
    """The hostile catalog of the check data, built with the checks that refuse it switched off: the
    verification of the edition reads the same numbers (NFKC) and refuses the guide."""
    from test_checks_data import DATA, install
    from workflow.project import Project
    from workflow.publishing.builder import Builder

    project, lang, _, _ = install(tmp_path, DATA / "po" / "check.visible-compatibility.po")
    config = project.root / "workflow.yaml"
    config.write_text(config.read_text().replace("min_coverage: 0.8", "min_coverage: 0.0")
                      .replace("disable: []", "disable: [visible, facts, numbers]"))
    result = Builder(Project(project.root)).build_language(lang, ["soft-tissue-injury-stem-cells"])
    reported = " ".join(p.message for p in result.all_problems() if p.check == "verify.value")
    # ㏠ and 🄂 both read 1: the source names January, and a month may be written as its number once
    for shown in ("'1'", "'二十'", "'119'", "'两两'"):
        assert shown in reported, (shown, reported)


def test_numerals_no_longer_in_the_plain_gate_leave_every_skipped_check_silent():
    """The plain-text gate (now text_bits: no bit) once treated every BMP character with a numeric value (Ⅻ, ௰, ৴) as a possible number;
    now only those whose compatibility form shows a digit or numeral, and numeral characters (round 16). The others, next to and instead
    of a number, make no check that the runner skips on plain text report anything: skipping them changes no verdict."""
    from workflow.checks import runner
    from workflow.checks.registry import REGISTRY as CHECKS, EntryView, RunContext, text_bits
    from workflow.model import Entry
    from workflow.project import Project
    from conftest import REPO

    registry = Project(REPO).registry
    freed = [c for c in _ALL if c <= "\uffff" and unicodedata.numeric(c, None) is not None and not text_bits(c)]
    # numeral characters (Ⅻ, ௰, ৴: screen.OTHER_NUMERALS) are numbers now: the ideographs with a value are left
    assert all(text_bits(c) for c in "①½²٣𝟏㏠Ⅻ௰৴〩") and {unicodedata.category(c) for c in freed} == {"Lo"}
    for ch in freed:
        for msgid, msgstr in (("Rest for days", f"Rest for {ch} days"), ("Rest for days", f"Rest {ch}{ch} days")):
            view = EntryView(Entry(msgid, msgstr, None, False, False, 2, []), runner.source_for_ui(msgid, registry),
                             RunContext("fr", registry, [], "fallback"))
            for c in CHECKS:
                if c.id != "glossary":   # the one check the runner calls on plain entries
                    assert list(c.func(view)) == [], (c.id, f"U+{ord(ch):04X}")



def _whitespace() -> list[str]:
    return [c for c in _ALL if c.isspace()]


def test_whitespace_is_left_alone_by_nfkc_and_the_screen_and_composes_with_nothing():
    """Why normalize_flat(_flat(text)) is normalize(text): each whitespace character is itself or a space
    after NFKC, kept by the screen, and in no character's canonical decomposition (so NFKC never
    composes it with a neighbour); the final collapse then sees the same words either way."""
    spaces = set(_whitespace())
    assert {"\u00a0", "\u202f", "\u3000", "\u2028", "\x85", "\x1f"} <= spaces
    for ch in spaces:
        assert unicodedata.normalize("NFKC", ch) in (ch, " ") and unicodedata.combining(ch) == 0, f"U+{ord(ch):04X}"
        assert unicodedata.category(ch) not in ("Cf", "Mn", "Me", "Nd"), f"U+{ord(ch):04X}"
    for ch in _ALL:
        assert not spaces & set(unicodedata.normalize("NFD", ch)) or ch in spaces, f"U+{ord(ch):04X}"


def _flat(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.one_of(_hostile(), st.sampled_from(_whitespace()), st.sampled_from(["\u0301", "\u0308", "\u3099",
                                                                                       "\u1161", "\u200b"])),
                max_size=8).map("".join))
def test_normalize_of_the_collapsed_text_is_normalize_of_the_text(text):
    assert visible.normalize_flat(_flat(text)) == normalize(text) == _plain_normalize(text)


def test_normalize_flat_on_every_text_of_the_project():
    for text in _project_texts():
        assert visible.normalize_flat(_flat(text)) == normalize(text)
