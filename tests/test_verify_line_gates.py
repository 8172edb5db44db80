"""verify_markdown._read_plain's line tests in one scan (_line_disputed: the line breaks where any test may hold,
each test asked there) decide exactly as the reference below, each test its own search over the body as they
were before (one scan each, the line-end test on the reversed body), on every .md edition of the project and of
a bench corpus, on generated, hostile and any text, and on lines built of what each test reads."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from workflow.editions import verify_markdown as vm

from conftest import copy_project
from test_verify_mdhtml import _BLOCKS, _bodies, corpus  # noqa: F401 (corpus: the module's fixture)
from test_verify_parser import _PIECES


def _reference_lines(body: str, table: bool, interrupt: bool) -> bool:
    lines = "\n" + body + "\n"
    if vm._DEEP_BLOCK.search("\n" + body):
        return True
    if table and (vm._EDGE_SPACE.search(lines) or vm._EDGE_SPACE.search(lines[::-1])):
        return True
    if table and vm._LONE_PIPE.search(lines):
        return True
    if table:
        for row in vm._DELIMITER_ROW.finditer(lines):
            start = lines.rfind("\n", 0, row.start()) + 1
            header, delimiter = lines[start:row.start()], row.group()[1:]
            if "-" not in delimiter or ("|" not in delimiter and "|" not in header):
                continue
            if not (delimiter.startswith("|") and delimiter.endswith("|") and header.startswith("|")
                    and header.endswith("|") and (start == 1 or lines[start - 2] == "\n")
                    and header.count("|") - header.count("\\|") == delimiter.count("|")):
                return True
    if interrupt:
        for indent in vm._INDENTED.finditer(lines):
            if lines[indent.start() - 1:indent.start()] not in ("", "\n"):
                return True
        for item in vm._MAY_INTERRUPT.finditer(lines):
            before = lines.rfind("\n", 0, item.start()) + 1
            if before < item.start() and not vm._LIST_ITEM_LINE.fullmatch(lines, before, item.start() + 1):
                return True
    return False


def _reference_read_plain(body: str) -> bool:
    if vm._links_or_html(body) or "`" in body or vm._too_many_delimiters(body) or vm._disputed_emphasis(body):
        return True
    if any(c in body for c in ("\t", "\r", "\v", "\f", "\\\\|")) or vm._BACKSLASH_BREAK.search(body):
        return True
    pipe = "|" in body
    return (pipe and "\\||" in body) or _reference_lines(body, pipe, pipe or ">" in body)


def assert_same(body: str) -> None:
    for table in (False, True):
        for interrupt in (False, True):
            assert vm._line_disputed("\n" + body + "\n", table, interrupt) == _reference_lines(body, table, interrupt), \
                (repr(body[:200]), table, interrupt)
    assert vm._read_plain(body) == _reference_read_plain(body), repr(body[:200])


def test_every_markdown_edition_is_gated_as_by_the_separate_scans(tmp_path, corpus):  # noqa: F811
    bodies = _bodies(copy_project(tmp_path / "repo")) + _bodies(corpus)
    assert len(bodies) >= 5 * 3 + 4 * 4
    for body in bodies:
        assert_same(body)
        assert not vm._read_plain(body)  # the editions take the compiled route


# what the line tests read: indents, container markers, list numbers, pipes and delimiter rows, the characters
# only one parser trims, at a line's start and end and runs of them near the 100 of _DEEP_BLOCK
_LINE_ATOMS = ["\n", "\n\n", " ", "  ", "\t", ">", "> ", "- ", "* ", "+ ", "-", "*", "+", "1. ", "1)", "01.", "2. ",
               "2)", "10) ", "0", "٣.", "١ ", "|", "| a |", "|---|", "|:-:|", "---", ":", "\\||", "x", "a b", "\xa0",
               "\u3000", "\x0b", "\x0c", "\u2028", "\u202f", "\u1680", "> " * 50, "- " * 40, "1. " * 34, " " * 101,
               ">" * 99, "\t" * 100]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_LINE_ATOMS), max_size=40).map("".join))
def test_lines_of_what_the_tests_read_are_gated_as_by_the_separate_scans(body):
    assert_same(body)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_BLOCKS + _PIECES), max_size=40).map("".join))
def test_generated_and_hostile_markdown_is_gated_as_by_the_separate_scans(body):
    assert_same(body)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_is_gated_as_by_the_separate_scans(body):
    assert_same(body)


def test_what_each_line_test_finds():
    found = {
        "x\n" + "> " * 100 + "y": (False, False),  # nested deeper than is safe: whatever else the body has
        "| a |\n|---|\n| 1 |\n\xa0| 911 |\n": (True, False),  # a one-side trim character at a line's start
        "| a |\n|---|\n| 911 \u3000 \n": (True, False),  # ... and at its end, before spaces
        "Call 119\n---|\n": (True, False),  # a delimiter row under a pipeless header
        "| 119 |\n2) x\n": (True, True),  # a list item numbered other than 1 after a table row
        "> q\n-\n": (False, True),  # an empty item after a quote's line
    }
    for body, (table, interrupt) in found.items():
        assert vm._line_disputed("\n" + body + "\n", table, interrupt)
        assert vm._read_plain(body)
    for body in ("| a | b |\n| --- | --- |\n| 1 | 2 |\n", "- a\n2. b\n", "Text\n\n2. b\n", "| a |\n| 1 \n"):
        assert not vm._line_disputed("\n" + body + "\n", True, True), repr(body)
