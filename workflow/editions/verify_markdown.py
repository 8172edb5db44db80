"""Verify the Markdown and JSON editions as a Markdown consumer would read them.

The .md edition is parsed back with pyromark (pulldown-cmark, compiled from Rust) or markdown-it-py, raw
HTML switched on (as a permissive consumer would have it; _COMPILED: what the compiled parser reads): it must
hold no raw HTML, no link reference definitions, no link or image the source does not have, no script URL
written anywhere, and the source's structure exactly. Its visible text is returned for the number accounting
the HTML gets too. The JSON edition must carry that Markdown.

Two routes, one reading (tests/test_verify_parser.py, tests/test_verify_pyromark.py hold them equal):
markdown-it-py's parse is the plain route; pyromark's HTML read by editions/mdhtml.py is the cheap one
(callgrind, 30-guide corpus, per ~36 kB edition: markdown-it-pyrs's render, the compiled parser before,
7.0 M instructions, pyromark's 2.2 M; markdown-it-py ~5 ms of CPU). The plain route reads what the
compiled parser may read otherwise: a body with raw HTML, link or definition syntax (the parsers can
disagree on hostile Markdown about where it is; an edition holds none unless something is wrong), where
the two read a code span, emphasis, whitespace, a table or a list otherwise (tests/test_verify_redteam.py,
_read_plain), nesting deeper than any source, and whatever mdhtml is unsure of.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import pyromark
from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_CHARS

from . import mdhtml
from .render import md_text
from .visible import normalize

# The compiled parser reads only a body the route let through (_read_plain: no "<", "](", "]:" or backtick), in
# which no raw HTML, autolink, code span, link, image or definition can be: CommonMark with GFM's tables and no
# other extension (pyromark's options: 0 is plain CommonMark), as markdown-it-py's commonmark preset with tables
_COMPILED = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES)
_PLAIN = MarkdownIt("commonmark", {"html": True}).enable("table")
_PLAIN_STRUCTURE = {"heading_open": "heading", "paragraph_open": "p", "list_item_open": "li", "table_open": "table",
                    "tr_open": "tr", "th_open": "cell", "td_open": "cell"}
_SCRIPT_URL = re.compile(r"\]\(\s*+(?:<\s*+)?(?:javascript|vbscript|data)\s*+:", re.I)  # possessive: linear (render._SCRIPT_LINK)
_CODE = {"fence", "code_block"}
# Raw HTML needs a "<", a link or image "](" or a definition "]:" (and a reference link one): where the body
# has none, neither parser can find any of them; where it has one, the plain route reads it, because on
# hostile Markdown (tables, setext lines) the two parsers can disagree about where such syntax is
# and a backtick: markdown-it-pyrs (markdown-it 0.6.0's code_pair), the compiled parser before, paired backtick
# runs of different lengths otherwise than CommonMark ("[`9`11`9``") and panicked on "[`" at the end; no source
# holds one (guides, corpus), so honest editions keep the compiled route.
# The line tests below were found with markdown-it-pyrs and are kept (they cost honest editions nothing); the
# ones after them, _CHARACTER_DISPUTES on, with pyromark.
_MAX_DELIMITERS = 10_000
# A table line is trimmed of MD_TRIM_CHARS by markdown-it-py, of spaces and tabs by markdown-it-pyrs: a row
# "\xa0| 911" is the cell 911 to a reader, "\xa0" to it; a line starting (_EDGE_SPACE) or ending
# (_LINE_END_SPACE) with such a character in a body with a table goes the plain route
_ONE_SIDE_TRIM = re.escape("".join(sorted(set(MD_TRIM_CHARS) - set(" \t\n\r"))))
_EDGE_SPACE = re.compile(r"\n[ \t]*[" + _ONE_SIDE_TRIM + "]")
_LINE_END_SPACE = re.compile(r"[" + _ONE_SIDE_TRIM + r"][ \t]*\n")
# A list item numbered other than 1, or an empty one, cannot interrupt a paragraph, but markdown-it-py lets
# it end a table and a quote's lazy paragraph, markdown-it-pyrs reads it as one more row or line of it:
# "| 119 |\n2) x" is a table and a list to a reader, a table of one more row to it. Such a line goes the
# plain route unless the line before it is blank or a list item's (as the renderer writes lists)
_MAY_INTERRUPT = re.compile(r"\n[ \t]*(?:(?!0*1[.)])\d{1,9}[.)](?=[ \t\n])|(?:[*+-]|\d{1,9}[.)])[ \t]*(?=\n))")
_LIST_ITEM_LINE = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}[.)])(?:[ \t][^|>\n]*)?\n")
# An escaped pipe right before a cell's pipe ("| x\||| 119 |"): markdown-it-py ends the cell after "x|" and
# drops 119 as a cell past the header's, markdown-it-pyrs reads "x| 119"; the renderer writes " | " between
# cells, so it never writes "\||"
# A table's delimiter row ("---|"): markdown-it-py wants a pipe in the header line too, markdown-it-pyrs
# did not ("Call 119\n---|" is a paragraph to a reader, a table to it); _table_start_disputed holds that case
_DELIMITER_ROW = re.compile(r"\n[ \t]*[-:|][-:| \t]*(?=\n)")
# 100 indents or container markers at the start of a line (a source nests 9 lists at most); searched
# after "\n" rather than at ^ (re.M): the literal start makes the search 5x cheaper
_DEEP_BLOCK = re.compile(r"\n(?:[ \t>]|(?:[*+-]|\d{1,9}[.)])(?=[ \t]|$)){100}", re.M)
# pulldown-cmark (pyromark) and markdown-it-py read these otherwise (tests/test_verify_pyromark.py); the renderer
# writes none of them in an edition (the corpus's and the project's editions keep the compiled route):
# - a tab, CR, VT or FF: markdown-it-py keeps a tab before a line break ("5\t\n0" shows "5\t 0", pulldown
#   "5 0"), ends a table at a tab-indented line (pulldown: one more row), reads a VT or FF line as a paragraph
#   (pulldown: a blank line);
# - "\\|" (whether that pipe is escaped: markdown-it-py looks at the one backslash before it);
# - a backslash ending a line, spaces after it or not (_BACKSLASH_BREAK): "a\  \nb" is "a\ " and a soft
#   break to markdown-it-py (its escape rule keeps "\ " out of the spaces a hard break strips), "a\" and a
#   hard break to pulldown; "a\\\n\u3000" is "a\" to markdown-it-py (it strips a paragraph with str.strip),
#   "a", a hard break and U+3000 to pulldown.
_CHARACTER_DISPUTES = ("\t", "\r", "\v", "\f", "\\\\|")
_BACKSLASH_BREAK = re.compile(r"\\ *(?:\n|\Z)")
# In a body with a pipe or ">": a line indented 4 spaces after a line that is not empty (_INDENTED) ends a
# table or a quote's lazy paragraph for markdown-it-py, is one more row or line of it to pulldown. In a body
# with a pipe: a lone "|" (_LONE_PIPE) is an empty row to markdown-it-py, a paragraph to pulldown; and a table
# starts where the two agree only as the renderer writes it (_table_start_disputed): markdown-it-py lets a
# table interrupt a paragraph, takes a heading's or list item's line as a header, a pipeless delimiter row
# under a header with pipes ("| x |\n---": a table to it, a setext heading to pulldown)
_INDENTED = re.compile(r"\n {4}")
_LONE_PIPE = re.compile(r"\n *\| *(?=\n)")
# The line tests above in one scan: each "\n"-first search found its line breaks again (~0.15 M instructions
# an edition each, of ~3.9 M for all of _read_plain). This finds the line breaks where any of them may hold
# (each pattern's own text, or a class of what it consumes), and _line_disputed asks each test there.
_LINE_CANDIDATE = re.compile(r"\n(?:(?<=[ \t" + _ONE_SIDE_TRIM + r"]\n)|(?= {4})|(?=[ \t]*(?:["
                             + _ONE_SIDE_TRIM + r"]"
                             r"|[-:|][-:| \t]*\n|(?!0*1[.)])\d{1,9}[.)][ \t\n]|(?:[*+-]|\d{1,9}[.)])[ \t]*\n)"
                             r"|[ \t>*+\-.)\d]{100}))")


def body_of(markdown: str) -> str:
    """The Markdown after the edition's front matter (a --- block of `key: json` lines)."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end >= 0:
            return markdown[end + 5:]
    return markdown


def source_links(texts) -> set[str]:
    """The link and image targets of the source texts, as the .md edition writes each text (one
    paragraph, md_text) and the consumer normalizes them."""
    links = set()
    for text in texts:
        if "](" not in text.template:  # md_text only inserts, escapes and collapses whitespace: no "](" made
            continue
        markdown = md_text(text.template)
        if "](" in markdown:
            links.update(_read(markdown, set()).hrefs)
    return links


class _Reader:
    """One reading of the edition: structure counts, visible text, problems."""

    def __init__(self, links: set[str]):
        self.links = links
        self.problems: list[str] = []  # in document order
        self.counts: Counter = Counter()
        self.out: list[str] = []
        self.references: set[str] = set()
        self.hrefs: list[str] = []  # every link and image target
        self.compiled = False  # read by the compiled route: the body holds no "<", "](", "]:" or backtick

    def target(self, what: str, href: str) -> None:
        self.hrefs.append(href)
        if href not in self.links:
            self.problems.append(f"Markdown: {what} to {str(href)[:60]!r} is not in the source")

    # the plain route: markdown-it-py's token stream (inline children flat, an image's alt as its children)
    def tokens(self, tokens) -> None:
        for token in tokens:
            kind = _PLAIN_STRUCTURE.get(token.type)
            if kind:
                self.counts[kind] += 1
            if token.type == "inline":
                self.plain_inline(token.children or [])
                self.out.append("\n")
            elif token.type in _CODE:
                self.out.append(token.content + "\n")
            elif token.type == "html_block":
                self.problems.append(f"Markdown: raw HTML block {token.content[:40]!r}")

    def plain_inline(self, children) -> None:
        for child in children:
            kind = child.type
            if kind in ("text", "code_inline", "text_special"):
                self.out.append(child.content)
            elif kind in ("softbreak", "hardbreak"):
                self.out.append(" ")
            elif kind == "html_inline":
                self.problems.append(f"Markdown: raw HTML {child.content[:40]!r}")
            elif kind == "link_open":
                self.target("link", child.attrs.get("href"))
            elif kind == "image":
                self.target("image", child.attrs.get("src"))
                self.plain_inline(child.children or [])


def _compiled_body_py(body: str) -> str | None:
    """The body as the compiled parser reads it, or None where the plain route must read it: the reference of
    _mdroute.compiled_body, which decides the same in two passes (~2.7 -> ~0.6 M instructions an edition)."""
    # CommonMark replaces U+0000 for security (markdown-it-py too): the compiled parser reads U+FFFD, as a reader
    body = body.replace("\0", "\ufffd")
    return None if _read_plain(body) else body


def _compiled_body_c(body: str) -> str | None:
    return _mdroute.compiled_body(body, _disputed)


def _compiled(parse, body: str):
    try:
        return parse(body)
    except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException, a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        return None


def _read_html(body: str, reader: _Reader) -> bool:
    """Read the compiled parser's HTML of the body (pyromark gives no cheaper tree: a Python object per
    event); False where mdhtml is unsure, and the plain route reads it."""
    html = _compiled(_COMPILED.html, body) if mdhtml.may_read(body) else None
    read = mdhtml.read_html(html) if html is not None else None
    if read is None:
        return False
    reader.counts, reader.out = read
    return True


def _read_plain(body: str) -> bool:
    """Whether the body holds syntax the two parsers may read differently, or that is unsafe compiled."""
    if _links_or_html(body) or "`" in body or _too_many_delimiters(body) or _disputed_emphasis(body):
        return True
    if any(character in body for character in _CHARACTER_DISPUTES):
        return True
    if "\\" in body and _BACKSLASH_BREAK.search(body):
        return True
    pipe = "|" in body
    if pipe and "\\||" in body:
        return True
    return _line_disputed("\n" + body + "\n", pipe, pipe or ">" in body)


def _line_disputed(lines: str, table: bool, interrupt: bool) -> bool:
    """Whether a line (each between two line breaks of lines) nests too deep, or, where the body may have a
    table, has a one-sided trim character at an edge, is a lone pipe or starts a table otherwise than the
    renderer writes one, or, where it may have a table or quote, is a list item that may end one or is
    indented 4 spaces after a line that is not empty (interrupt)."""
    for candidate in _LINE_CANDIDATE.finditer(lines):
        at = candidate.start()
        if _DEEP_BLOCK.match(lines, at):
            return True
        if table and (_EDGE_SPACE.match(lines, at) or _LINE_END_SPACE.search(lines, _line_start(lines, at), at + 1)
                      or _LONE_PIPE.match(lines, at) or _table_start_disputed(lines, at)):
            return True
        if interrupt and ((_INDENTED.match(lines, at) and _line_start(lines, at) < at)
                          or _ordered_may_interrupt(lines, at)):
            return True
    return False


def _line_start(lines: str, at: int) -> int:
    return lines.rfind("\n", 0, at) + 1


def _links_or_html(body: str) -> bool:
    # `in` tests: a third of the cost of one regular expression; "]" first, as a one-character search
    # costs a tenth of a two-character one and most bodies have no "]"
    return "<" in body or ("]" in body and ("](" in body or "]:" in body))


def _read(body: str, links: set[str], compiled: bool = True) -> _Reader:
    reader = _Reader(links)
    safe = _compiled_body(body) if compiled else None
    if safe is not None and _read_html(safe, reader):
        reader.compiled = True
        return reader
    env: dict = {}
    reader.tokens(_PLAIN.parse(body, env))
    reader.references.update(env.get("references", ()))
    return reader


def _ordered_may_interrupt(lines: str, at: int) -> bool:
    item = _MAY_INTERRUPT.match(lines, at)
    if item is None:
        return False
    before = _line_start(lines, at)
    return before < at and not _LIST_ITEM_LINE.fullmatch(lines, before, at + 1)


def _table_start_disputed(lines: str, at: int) -> bool:
    """Whether the line after the line break at is a delimiter row (with a "-") that, with a pipe in it or in
    the header line before it, is not as the renderer writes a table: header and row each starting and ending
    with "|", as many cells (unescaped pipes) in both, after an empty line or at the start."""
    row = _DELIMITER_ROW.match(lines, at)
    if row is None or "-" not in row.group():
        return False
    start = _line_start(lines, at)
    header, delimiter = lines[start:at], row.group()[1:]
    if "|" not in delimiter and "|" not in header:
        return False  # a setext underline or thematic break: no table for either parser
    return not (delimiter[:1] == "|" == delimiter[-1:] and header[:1] == "|" == header[-1:]
                and (start == 1 or lines[start - 2] == "\n")
                and header.count("|") - header.count("\\|") == delimiter.count("|"))


def _disputed_emphasis(body: str) -> bool:
    """Whether a * or _ touches a character the two parsers classify differently. A run of * or _ opens
    or closes emphasis by the characters on either side: markdown-it-py reads a symbol (S*, CommonMark
    0.31) as punctuation and U+0085, U+2028, U+2029 as no whitespace; markdown-it-pyrs (the compiled
    parser before: markdown-it 13, a newer Unicode) the other way round, and some characters Python's
    Unicode leaves unassigned (Cn) as punctuation: "1**19¥**a" showed a reader no 119, the compiled route
    119 (kept for pyromark). Each * and _ is looked at
    (a run's inner ones touch only * or _): str.find, 0.05 ms per edition; a regular expression 1 ms."""
    if body.isascii():
        return False
    end = len(body) - 1
    for delimiter in ("*", "_"):
        at = body.find(delimiter)
        while at >= 0:
            if (at and _disputed(body[at - 1])) or (at < end and _disputed(body[at + 1])):
                return True
            at = body.find(delimiter, at + 1)
    return False


@lru_cache(maxsize=4096)
def _disputed(char: str) -> bool:
    if char < "\x80":
        return False
    category = unicodedata.category(char)
    return category[0] == "S" or category in ("Cn", "Zl", "Zp") or char == "\x85"


def _too_many_delimiters(body: str) -> bool:
    """Whether the body may nest emphasis or links deeper than is safe to parse compiled (the source never
    nests that deep); blocks: _DEEP_BLOCK, asked per line (_line_disputed).

    markdown-it-pyrs, the compiled parser before, had no nesting limit (markdown-it-py stops at 20 levels)
    and recursed on the C stack: ~100,000 nested emphases crashed the process (pyromark does not recurse;
    kept). A block opens one level deeper only after one more container marker or indent at the start of its
    line, an emphasis or link only after one more *, _ or [ in its paragraph (here: in its stretch between
    blank lines)."""
    if body.count("*") + body.count("_") + body.count("[") <= _MAX_DELIMITERS:
        return False
    return any(c.count("*") + c.count("_") + c.count("[") > _MAX_DELIMITERS for c in body.split("\n\n"))


def verify_markdown(markdown: str, structure: Counter, links: set[str], fail, compiled: bool = True) -> str:
    """Problems go to fail(); returns the visible text of the body. compiled=False: the plain route only."""
    body = body_of(markdown)
    reader = _read(body, links, compiled)
    if reader.references:
        fail(1, f"Markdown: link reference definition(s) {sorted(reader.references)[:3]}", "verify.markdown")
    # the pattern starts with "](", which a body the compiled route read does not hold (a search: 0.18 M an edition)
    if not reader.compiled and _SCRIPT_URL.search(body):
        fail(1, "Markdown: a script or data URL in link syntax", "verify.markdown")
    for problem in reader.problems:
        fail(1, problem, "verify.markdown")
    for kind in ("heading", "p", "li", "table", "tr", "cell"):
        if reader.counts[kind] != structure[kind]:
            fail(1, f"Markdown: edition has {reader.counts[kind]} {kind} elements, the source has {structure[kind]}",
                 "verify.structure")
    return "".join(reader.out)


def verify_json(json_text: str, markdown: str | None, registry, fail, names=None):
    """Valid JSON, its markdown the Markdown edition's, its emergency numbers the registry's, each labelled
    as its service (names: editions.services.Services of the edition's language). Returns what it read (its
    title and excerpt are the caller's: verify_front), None if it is no JSON."""
    try:
        data = json.loads(json_text)
    except ValueError as exc:
        fail(1, f"JSON: not valid JSON ({exc})", "verify.json")
        return None
    if markdown is not None and data.get("markdown") != markdown:
        fail(1, "JSON: its markdown is not the Markdown edition", "verify.json")
    numbers = [e.get("number") for e in data.get("emergency", [])]
    if numbers != [f.number for f in registry.emergency]:
        fail(1, f"JSON: emergency numbers {numbers} differ from the registry's", "verify.emergency")
    elif names is not None:
        for fact, entry in zip(registry.emergency, data.get("emergency", [])):
            problem = names.label_problem(fact.id, normalize(str(entry.get("label"))))
            if problem:
                fail(1, f"JSON: emergency label: {problem}", "verify.services")
    return data


try:
    from . import _mdroute
    _compiled_body, PRESCAN_ROUTE = _compiled_body_c, "compiled"
except ImportError:  # installed without a C compiler (setup.py: optional=True)
    _compiled_body, PRESCAN_ROUTE = _compiled_body_py, "python"
