"""Red team of the .md edition's parse-back (verify_markdown): inputs where the compiled route
(markdown-it-pyrs) would read a number, price or link otherwise than a CommonMark reader
(markdown-it-py, the plain route). Each test failed before its fix."""
from __future__ import annotations

from collections import Counter

from markdown_it import MarkdownIt

from workflow.editions import verify_markdown as vm

_READER = MarkdownIt("commonmark", {"html": True}).enable("table")


def _visible(markdown: str, compiled: bool = True) -> str:
    return vm.verify_markdown(markdown, Counter(), set(), lambda *problem: None, compiled)


def test_code_spans_are_paired_as_a_commonmark_reader_pairs_them():
    """markdown-it-pyrs pairs backtick runs of different lengths otherwise than CommonMark: a reader
    sees "911" (the code span `9` then 11) where the compiled route read 9, 11 and 9."""
    for body in ("Call [`9`11`9`` now\n", "[`1`1`9``\n", "```]``1`9``9`9`\n", "|```\n``1`9``9`1`\n"):
        assert " ".join(_visible(body).split()) == " ".join(_visible(body, compiled=False).split()), body
    assert "[911`9``" in _visible("Call [`9`11`9`` now\n")
    assert "<code>9</code>11" in _READER.render("Call [`9`11`9`` now\n")


def test_emphasis_next_to_a_symbol_or_line_separator_is_read_as_a_reader_reads_it():
    """A run of ** next to a symbol (a currency sign, U+FFFD of a NUL), U+0085 or U+2028: markdown-it-pyrs
    opened or closed emphasis where CommonMark 0.31 does not (or the other way round): "1**19¥**a" shows
    a reader "1**19¥**a" (no 119) while the compiled route read 119."""
    for body in ("Call 1**19¥**a now\n", "9**11€**x\n", "9**11\x85** now\n", "9**11\u2028**now\n", "9**11\0**a\n",
                 "a**°9**11\n", "9**11\U00011b00**a\n"):
        assert " ".join(_visible(body).split()) == " ".join(_visible(body, compiled=False).split()), repr(body)
    assert "1**19¥**a" in _visible("Call 1**19¥**a now\n")
    assert "<strong>" not in _READER.render("Call 1**19¥**a now\n")


def test_a_table_line_with_other_whitespace_at_its_edge_is_read_as_a_reader_reads_it():
    """markdown-it-py trims a table line of every CommonMark whitespace (NBSP, U+3000 ...),
    markdown-it-pyrs of spaces and tabs only: the row "\\xa0| 911" is the cell 911 to a reader (a wrong
    emergency number) and an empty-looking cell to the compiled route."""
    body = "| Emergency |\n|---|\n\xa0| 911\n"
    assert "<td>911</td>" in _READER.render(body)
    assert "911" in _visible(body)
    for edge in ("\xa0", "\u3000", "\u2007", "\x0b", "\u2028"):
        for body in (f"| a |\n|---|\n{edge}| 911\n", f"| a |{edge}\n|---|\n| 911 |\n", f"| a |\n{edge}|---|\n| 9 |\n"):
            assert _visible(body).split() == _visible(body, compiled=False).split(), repr(body)


def _problems(markdown: str, structure: Counter, compiled: bool = True) -> list:
    problems: list = []
    vm.verify_markdown(markdown, structure, set(), lambda *problem: problems.append(problem), compiled)
    return problems


def test_a_list_numbered_other_than_1_after_a_table_or_quote_is_refused_as_a_reader_sees_it():
    """Structure: markdown-it-py (a reader) ends a table or a quote's lazy paragraph at "2) x", the
    compiled parser read one more table row or paragraph line: an edition whose table had become a
    table and a list passed the compiled route with the source's table of three rows."""
    source = Counter({"table": 1, "tr": 3, "cell": 3})
    body = "| Number |\n|---|\n| 119 |\n2) 119\n"
    assert "<ol start=\"2\">" in _READER.render(body)
    assert _problems(body, source, compiled=False)
    assert _problems(body, source) == _problems(body, source, compiled=False)
    quote = Counter({"p": 1})
    for body in ("> call\n2) 119\n", "> call\nnow\n2) 119\n", "- > call\n  2) 119\n", "> call 119\n1.\n",
                 "> call 119\n-\n"):
        assert _problems(body, quote + Counter({"li": 1} if body[0] == "-" else {})) == \
            _problems(body, quote + Counter({"li": 1} if body[0] == "-" else {}), compiled=False), repr(body)
    assert _problems("| Number |\n|---|\n| 119 |\n-\n", source) == \
        _problems("| Number |\n|---|\n| 119 |\n-\n", source, compiled=False)
    honest = "1. one\n2. two\n   - x\n3. three\n- \n"
    assert vm._read(honest, set()).compiled  # a list as the renderer writes it keeps the compiled route


def test_a_table_without_a_pipe_in_its_header_line_is_read_as_a_reader_reads_it():
    """markdown-it-py wants a pipe in a table's header line, markdown-it-pyrs does not: "Call 119\\n---|"
    was a table of one cell to the compiled route, a paragraph to a reader."""
    source = Counter({"table": 1, "tr": 1, "cell": 1})
    body = "Call 119\n---|\n"
    assert "<table>" not in _READER.render(body)
    assert _problems(body, source, compiled=False)
    assert _problems(body, source) == _problems(body, source, compiled=False)
    assert vm._read("| Call |\n|---|\n| 119 |\n", set()).compiled  # a table as the renderer writes it


def test_an_escaped_pipe_before_a_cell_pipe_is_read_as_a_reader_reads_it():
    """"| x\\||| 119 |": a reader's table cell is "x|", 119 falls past the header's two columns and is not
    shown; the compiled route read "x| 119" (a required number the reader never sees)."""
    body = "| a | b |\n|---|---|\n| x\\||| 119 |\n"
    assert "119" not in _READER.render(body)
    assert "119" not in _visible(body)
    for body in ("| a | b |\n|---|---|\n| x \\|| | 119 |\n", "| a | b |\n|---|---|\n\\|||119\n"):
        assert _visible(body).split() == _visible(body, compiled=False).split(), repr(body)
