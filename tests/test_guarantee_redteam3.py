"""Red team of the guarantee, round 7: characters a screen shows as nothing or as a blank that the reading
kept as text (Hangul fillers, private-use and unassigned characters, the braille blank). Each attack here
passed `check` and the verification before its fix (editions/visible.py's screen, checks/policy.py's
weighted_length)."""
from __future__ import annotations

import sys
import unicodedata

import pytest

from workflow.editions import visible
from workflow.editions.visible import normalize

from test_checks_redteam2 import AMBULANCE, PRICE, _routes, guide  # noqa: F401 (fixture)

# Unicode's Default_Ignorable_Code_Point letters (DerivedCoreProperties.txt): fonts draw them as nothing or a blank
FILLERS = ["\u115f", "\u1160", "\u3164", "\uffa0"]
# private use and unassigned (some of them reserved as default-ignorable): a font draws nothing, a blank or a box
UNDRAWN = ["\ue000", "\U000f0000", "\u2065", "\ufff0", "\U000e0000", "\U000e0002", "\U000e0080", "\U000e0fff", "\U0010fffd"]
BLANK = "\u2800"   # braille pattern blank: shows as a space, no whitespace to Unicode


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


@pytest.mark.parametrize("ch", FILLERS + UNDRAWN, ids=_name)
def test_a_character_a_screen_shows_as_nothing_is_read_as_nothing(ch):
    """A digit written after it shows glued to the number before it: 119ᅠ2 reads 1192."""
    assert normalize(f"1{ch}1{ch}9") == "119"
    assert normalize(f"call 119{ch}2 now") == "call 1192 now"


def test_the_braille_blank_is_read_as_a_space():
    assert normalize(f"call 119{BLANK}{BLANK}2") == "call 119 2"


def test_the_screen_drops_format_marks_undrawn_and_fillers_and_nothing_else():
    """Every other character of Unicode is kept, shown as a space (the blank) or made an ASCII digit."""
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        if 0xD800 <= c <= 0xDFFF:
            continue
        category = unicodedata.category(ch)
        dropped = category in ("Cf", "Mn", "Me", "Co", "Cn") or ch in FILLERS
        want = None if dropped else " " if ch == BLANK else str(unicodedata.decimal(ch)) if category == "Nd" else ch
        assert visible._TRANSLATE[c] == want, _name(ch)


@pytest.mark.parametrize("pad", FILLERS + [BLANK, "\ue000", "\U000f0000", "\u2026", "\u3002"], ids=_name)
def test_a_disclaimer_cut_and_padded_with_blank_letters_or_symbols_is_refused(guide, pad):  # noqa: F811
    """Cut to one sentence, then 'sentences' and length made of Hangul fillers (letters a screen shows as
    nothing), the braille blank, private-use characters or punctuation: the legal check weighs only the
    letters and digits written."""
    project, doc, sources = guide
    disclaimer = next(m for m, s in sources.items() if s.legal)
    for msgstr in ("Solo informativo." + (pad + ". ") * 4 + pad * 400,
                   "Solo. Para. Informar. Nada. " + pad * 400):
        errors, refused = _routes(guide, disclaimer, msgstr)
        assert any("sentences were dropped" in e or "text was cut" in e for e in errors), (msgstr[:40], errors)


def _with_segment(guide, base: str, msgid: str):  # noqa: F811
    """The guide's segment `base` with its text `msgid` (a second number next to the same facts)."""
    project, doc, sources = guide
    segment = sources[base]
    sources[msgid] = type(segment)(msgid, segment.line, segment.kind, segment.placeholders, segment.legal)


@pytest.mark.parametrize("lang", ["es", "ja"])
@pytest.mark.parametrize("pad", FILLERS + ["\ue000", "\U000e0002"], ids=_name)
def test_a_number_glued_to_a_placeholder_through_an_undrawn_character_is_refused(guide, pad, lang):  # noqa: F811
    """The source segment has a second number: written after a filler, it shows glued to the emergency
    number or the price, and is read so."""
    project, doc, sources = guide
    for base, msgid, msgstr in ((AMBULANCE, AMBULANCE + " (24 h)", "**Emergencias:** {ambulance}" + pad + "24 h"),
                                (PRICE, PRICE + " 2 sessions", "**Anti:** {price}" + pad + "2 por sesión.")):
        _with_segment(guide, base, msgid)
        try:
            errors, _ = _routes(guide, msgid, msgstr, lang)
        finally:
            del sources[msgid]
        assert errors, msgstr


@pytest.mark.parametrize("pad", FILLERS + [BLANK, "\ue000"], ids=_name)
def test_a_multiplier_after_a_price_through_a_blank_or_undrawn_character_is_refused(guide, pad):  # noqa: F811
    """In Japanese the amount ends with its digits (US$15,000): 万 after a blank shows 15,000 万."""
    errors, _ = _routes(guide, PRICE, "**Anti:** {price}" + pad + "万 por sesión.", "ja")
    assert errors


@pytest.mark.parametrize("msgid, invisible", [("警察", "\u3164"), ("医療に関する免責事項", "\u2800\u00ad"),
                                              ("韓国の緊急電話番号", "\u3000")])
def test_an_emergency_label_or_disclaimer_heading_made_invisible_is_not_published(project_dir, run_cli, msgid, invisible):
    """ui.po's chrome translated as characters a screen does not draw passed `check` and was published: 112
    without its label, a disclaimer without its heading. Now it is an error and the page shows the English."""
    ui = project_dir / "locales" / "ja" / "LC_MESSAGES" / "ui.po"
    text = ui.read_text(encoding="utf-8")
    assert f'msgstr "{msgid}"' in text
    ui.write_text(text.replace(f'msgstr "{msgid}"', f'msgstr "{invisible}"'), encoding="utf-8")
    code, out, _ = run_cli(project_dir, "check", "--lang", "ja")
    assert code == 1 and "[blank]" in out, out
    run_cli(project_dir, "publish", "--lang", "ja")
    pages = list((project_dir / "dist" / "ja" / "current").glob("*.html"))
    assert pages
    for page in pages:
        assert invisible not in page.read_text(encoding="utf-8"), page.name


@pytest.mark.parametrize("lang", ["es", "ja", "zh_CN", "ar"])
@pytest.mark.parametrize("msgid, msgstr", [
    (AMBULANCE, "**Emergencias:** {ambulance}l"), (AMBULANCE, "**Emergencias:** l{ambulance}"),
    (AMBULANCE, "**Emergencias:** {ambulance}\u04cf"), (AMBULANCE, "**Emergencias:** {ambulance}**O**"),
    (AMBULANCE, "**Emergencias:** {ambulance}\u0581"), (AMBULANCE, "**Emergencias:** \u0417{ambulance}"),
    (AMBULANCE, "**Emergencias:** {ambulance}&#108;"), (AMBULANCE, "**Emergencias:** {ambulance}\u3164\u0406"),
    (AMBULANCE, "**Emergencias:** {ambulance}\u00ad\u01c0")],
    ids=lambda v: repr(v[-14:]))
def test_a_letter_shaped_like_a_digit_glued_to_a_fact_is_refused(guide, msgid, msgstr, lang):  # noqa: F811
    """'{ambulance}l' shows 119l, which a reader takes for 1191; no number reader counts a letter."""
    errors, _ = _routes(guide, msgid, msgstr, lang)
    assert any("a reader takes it for a digit" in e for e in errors), (msgstr, errors)


@pytest.mark.parametrize("msgid, msgstr, lang", [
    (PRICE, "**Anti:** {price}\u039f\u039f por sesión.", "ja"), (PRICE, "**Anti:** {price}O por sesión.", "zh_CN"),
    (PRICE, "**Anti:** I{price} por sesión.", "es"), (PRICE, "**Anti:** I{price} por sesión.", "ar")])
def test_a_digit_shaped_letter_at_a_price_edge_that_is_a_digit_is_refused(guide, msgid, msgstr, lang):  # noqa: F811
    """US$15,000ΟΟ reads as 1,500,000 where the amount ends with its digits (ja, zh_CN), I5.000 US$ as
    15.000 where it starts with them (es, ar)."""
    errors, _ = _routes(guide, msgid, msgstr, lang)
    assert any("a reader takes it for a digit" in e for e in errors), (msgstr, errors)


@pytest.mark.parametrize("msgstr", ["**Emergencias:** {ambulance} (Ilame)", "**Emergencias:** llame al {ambulance}.",
                                    "**Emergencias:** {ambulance}번", "**Emergencias:** {ambulance}番"])
def test_a_letter_apart_from_the_number_or_of_another_shape_passes(guide, msgstr):  # noqa: F811
    assert _routes(guide, AMBULANCE, msgstr, "es") == ([], [])


def test_a_glued_letter_is_never_published(project_dir, run_cli):
    """End to end: the catalog passed `check` and the page showed 119l; now the entry is an error and the
    page shows the number alone (the English sentence stands in)."""
    po = project_dir / "locales" / "es" / "LC_MESSAGES" / "korean-stem-cell-therapy-2026.po"
    text = po.read_text(encoding="utf-8")
    good = 'msgstr "**Ambulancia/Bomberos/Emergencias:** {ambulance}"'
    assert good in text
    po.write_text(text.replace(good, good[:-1] + 'l"'), encoding="utf-8")
    code, out, _ = run_cli(project_dir, "check", "--lang", "es")
    assert code == 1 and "a reader takes it for a digit" in out, out
    run_cli(project_dir, "publish", "--lang", "es")
    current = project_dir / "dist" / "es" / "current"
    for page in ("korean-stem-cell-therapy-2026.html", "korean-stem-cell-therapy-2026.md"):
        assert "119l" not in (current / page).read_text(encoding="utf-8")
