"""Characters with a numeric value that are no decimal digit and show none under NFKC (Roman numerals U+2160..,
Suzhou 〡〩, Ethiopic ፩፻, dingbat ❶, circled ideographs ㈠, Aegean, counting rods...) are numbers to a reader:
visible reads a run of them as its value (ⅭⅩⅡ is 112), so check and every verification account them as numbers and
find an emergency number written with them (round 16; on main they read as no number: NFKC makes Ⅻ the letters
XII, and the others are letters to it)."""
from __future__ import annotations

import sys
import unicodedata

import pytest

from workflow.editions import visible
from workflow.editions.currencies import units
from workflow.editions.screen import OTHER_NUMERALS
from workflow.editions.visible import characters, may_have_number, normalize, numbers

from test_checks_redteam2 import AMBULANCE, PRICE, _routes, guide  # noqa: F401 (fixture)
from route_fixture import numbers_route  # noqa: F401 - the fixture: both routes of numbers()

AMBULANCE_ES = "Ambulancia/Bomberos/Emergencias"
# 112 (the police's number) as each numeral system writes it
POLICE_NUMBER = ["ⅭⅩⅡ", "ⅽⅹⅱ", "〡〡〢", "፻፲፪", "❶❶❷", "➀➀➁", "㈠㈠㈡", "㊀㊀㊁"]


def test_the_numeral_characters_are_the_unicode_databases():
    want = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in ("Nl", "No")
            and chr(c) not in visible._CJK and not any(d.isdecimal() for d in unicodedata.normalize("NFKC", chr(c)))}
    assert OTHER_NUMERALS == want


@pytest.mark.usefixtures("numbers_route")
@pytest.mark.parametrize("written", POLICE_NUMBER)
def test_a_run_of_numeral_characters_reads_as_its_value(written):
    text = f"Policía {written}."
    assert may_have_number(text) and written[0] in characters(text)
    assert [n.values for n in numbers(normalize(text), units("es"))] == [frozenset({"112"})], normalize(text)


@pytest.mark.parametrize("written", POLICE_NUMBER)
def test_an_emergency_number_in_numeral_characters_beside_another_service_is_refused(guide, written):
    errors, refused = _routes(guide, AMBULANCE, f"**{AMBULANCE_ES}:** {{ambulance}} (o {written})")
    assert errors and refused, written


@pytest.mark.parametrize("written", ["Ⅹ", "ⅿ", "〩", "፱", "❾", "㈨", "ↈ"])
def test_a_numeral_character_after_a_price_is_refused(guide, written):
    errors, refused = _routes(guide, PRICE, f"**Antienvejecimiento:** {{price}} {written} por sesión.")
    assert errors and refused, written


@pytest.mark.parametrize("written", ["ⅭⅩⅨ", "〡〡〩", "❶❶❾"])
def test_an_emergency_number_in_numeral_characters_in_a_box_label_is_refused_in_the_page_and_the_json(written):
    from workflow.project import Project
    from conftest import REPO
    from test_around_numbers import WITH_SECTION, _errors
    errors = _errors(Project(REPO), WITH_SECTION, {"Police": f"Polizei {written}"}, lang="de")
    for output in ("HTML", "JSON"):
        assert any(f"] {output}: number '119" in m for m in errors), (output, errors)


def test_the_size_shortcut_never_misses_a_character_outside_the_bmp():
    for code in list(range(0x10000, 0x10100)) + [0x1D7CE, 0x1F600, 0x10FFFD]:
        for text in (chr(code), f"abc {chr(code)}", f"é{chr(code)}" * 3, "Пр" * 40 + chr(code)):
            assert visible._may_be_astral(text), hex(code)
    assert not any(visible._may_be_astral(t) for t in ("", "abc", "é" * 50, "Привет " * 30, "中文" * 9, "\uffff"))
