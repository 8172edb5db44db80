"""The .md edition's route decision compiled (_mdroute.c: compiled_body): which body the compiled parser may read,
and the body it reads (U+0000 as U+FFFD), exactly as its Python reference verify_markdown._compiled_body_py
decides, on every .md edition of the project and of a bench corpus, on generated, hostile and any text, on
lines built of what each line test reads, around a * or _ next to every kind of character, and past the
delimiter limit; the compiled decision is the one in use where a C compiler is."""
from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from workflow.editions import verify_markdown as vm

from compiler import compiler_found
from conftest import copy_project
from test_verify_line_gates import _LINE_ATOMS
from test_verify_mdhtml import _BLOCKS, _bodies, corpus  # noqa: F401 (corpus: the module's fixture)
from test_verify_parser import _PIECES

_compiled = pytest.mark.skipif(vm.PRESCAN_ROUTE != "compiled", reason="installed without a C compiler")


def assert_same(body: str) -> None:
    assert vm._compiled_body_c(body) == vm._compiled_body_py(body), repr(body[:200])


def test_the_compiled_decision_is_taken():
    if not compiler_found():
        pytest.skip("no C compiler: the Python route is the one in use")
    assert vm.PRESCAN_ROUTE == "compiled" and vm._compiled_body is vm._compiled_body_c


@_compiled
def test_every_markdown_edition_is_decided_as_by_the_reference(tmp_path, corpus):  # noqa: F811
    bodies = _bodies(copy_project(tmp_path / "repo")) + _bodies(corpus)
    assert len(bodies) >= 5 * 3 + 4 * 4
    for body in bodies:
        assert vm._compiled_body_c(body) is body  # the editions take the compiled route, the body as it is
        assert_same(body)


@_compiled
@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_LINE_ATOMS), max_size=40).map("".join))
def test_lines_of_what_the_line_tests_read_are_decided_as_by_the_reference(body):
    assert_same(body)


@_compiled
@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_BLOCKS + _PIECES + _LINE_ATOMS), max_size=40).map("".join))
def test_generated_and_hostile_markdown_is_decided_as_by_the_reference(body):
    assert_same(body)


@_compiled
@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_is_decided_as_by_the_reference(body):
    assert_same(body)


# a character of each kind _disputed tells apart, and the decimal digits \d reads in other scripts
_NEIGHBOURS = ["a", " ", "\0", "\x85", "\u2028", "\u2029", "\ufffd", "¥", "€", "+", "©", "\U0001f600", "\u0378",
               "\U000e0001", "é", "⟦", "⟧", "\u3000", "\xa0", "一", "٣", "१", "\U0001d7ce", "*", "_"]


@_compiled
@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_NEIGHBOURS + ["*", "_", "**", "\n", "1. ", "- ", "| ", "|---|\n", "x"]),
                max_size=30).map("".join))
def test_emphasis_next_to_any_kind_of_character_is_decided_as_by_the_reference(body):
    assert_same(body)


@_compiled
def test_each_test_sends_the_body_the_plain_route():
    for body in ("a <b>", "`119`", "[x](y)", "[r]: /u", "x**¥**y", "1**19\u2028**", "_\x85", "| a\\|| 119 |",
                 "x\n" + "> " * 100 + "y", "| a |\n|---|\n\xa0| 911 |\n", "Call 119\n---|\n", "| 119 |\n2) x\n",
                 "> q\n-\n", "x\n" + "٣. " * 60, "*\0"):
        assert vm._compiled_body_py(body) is None, repr(body)
        assert vm._compiled_body_c(body) is None, repr(body)
    for body in ("a\0b", "# 119\n\n- a **b**\n", "x]y", "a\\|b|", "1) a\n2) b\n", "**é**", "_\u0301_"):
        assert vm._compiled_body_c(body) == vm._compiled_body_py(body) == body.replace("\0", "\ufffd"), repr(body)


@_compiled
def test_delimiters_past_the_limit_in_one_stretch_are_decided_as_by_the_reference():
    limit = vm._MAX_DELIMITERS
    for body in ("*" * (limit + 1), "x " + "[" * limit + "_", "*" * limit + "\n\n" + "_" * limit,
                 "*" * limit + "\n\n\n" + "*", "[" * (limit // 2) + "\n" + "*" * (limit // 2 + 1)):
        assert_same(body)
    assert vm._compiled_body_c("*" * (limit + 1)) is None
    assert vm._compiled_body_c("*" * limit + "\n\n" + "_" * limit) is not None


@_compiled
def test_a_disputed_reading_that_fails_raises():
    def broken(char):
        raise RuntimeError(char)

    from workflow.editions import _mdroute
    with pytest.raises(RuntimeError):
        _mdroute.compiled_body("a*é", broken)
    assert _mdroute.compiled_body("a*b", broken) == "a*b"  # asked only of a non-ASCII neighbour


@_compiled
def test_every_decimal_digit_reads_as_the_regular_expressions_read_it():
    digits = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd"]
    for digit in digits[::7] + ["٣", "\U0001d7ce"]:
        for body in (f"| 1 |\n{digit}) x\n", f"> q\n{digit}{digit}. \n", "x\n" + f"{digit}. " * 100):
            assert_same(body)
