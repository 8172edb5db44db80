"""Rendering: inline Markdown to safe HTML, Jinja2 pages, and Markdown/JSON editions. Pure functions.

Translated text never reaches a template as markup of its own: inline Markdown goes through
markdown-it-py with raw HTML off (escaped) and its link validation (no javascript: URLs), and
template strings from catalogs are escaped by the gettext callables render_page installs (pages.py).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from json.encoder import encode_basestring

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markupsafe import Markup

from ..model import Code, Heading, ListBlock, Paragraph, Quote, Rule, Table
from .code_spans import BACKTICKS, code_spans
from .pages import ProjectTemplateLoader, environment, render_page  # noqa: F401 - the pages' templates (pages.py)
from .segment import parser

_MD = parser()


# Characters that can start inline Markdown syntax, an entity or raw HTML in CommonMark (tables on,
# linkify and typographer off): has_syntax, the checks' gate.
_SYNTAX = re.compile(r"[*_\[\]!`\\<&]")


# What makes markdown-it's inline output other than the text escaped: those characters but a lone '!'
# (only "![" opens an image) and a lone '&' (only "&#...;" or "&name;" is an entity), a line break
# (markdown-it trims the spaces around it, "  \n" is a <br />) and NUL (read as U+FFFD). Text without any
# renders as itself, escaped (property-tested against markdown-it in tests/test_render.py).
_INLINE_SYNTAX = re.compile(r"[*_\[\]`\\<\n\r\x00]|!\[|&(?:#|[A-Za-z][A-Za-z0-9]*;)")


def _inline_characters(text: str) -> bool:
    """Its characters, asked first (most texts have none): a memchr each, 1.6x quicker than a class's search."""
    return ("*" in text or "_" in text or "[" in text or "]" in text or "`" in text or "\\" in text or "<" in text
            or "\n" in text or "\r" in text or "\x00" in text or "!" in text or "&" in text)


# Guides emphasise with **bold** and little else: texts whose only syntax is well-formed
# `**word ... word**` pairs take a fast path too (property-tested against markdown-it).
_NOT_STRONG_ONLY = re.compile(r"[_\[\]`\\<\n\r\x00]|!\[|&(?:#|[A-Za-z][A-Za-z0-9]*;)")
_NOT_STRONG_CHARACTERS = re.compile(r"[_\[\]`\\<\n\r\x00!&]")   # its characters (a test holds the two)
_ENTITY = re.compile(r"&(?:#|[A-Za-z][A-Za-z0-9]*;)")
# greedy: the text cannot hold a '*', so it ends at the first '*' either way (sre steps a lazy one per character)
_STRONG = re.compile(r"\*\*([^*]+)\*\*")
_STARRED = re.compile(r"(\*\*?)([^*]+)\1")
_TAGS = {"**": ("<strong>", "</strong>"), "*": ("<em>", "</em>")}


def _escape(text: str) -> str:  # markdown-it's escapeHtml for text without '<'
    if "&" in text:
        text = text.replace("&", "&amp;")
    return text.replace(">", "&gt;").replace('"', "&quot;")


@lru_cache(maxsize=4096)   # a pure function of one character, asked four times per span
def _kind(ch: str) -> str:
    """How CommonMark's delimiter rules see a neighbour of '**' (markdown-it's own predicates)."""
    if isWhiteSpace(ord(ch)):
        return "space"
    return "punct" if isMdAsciiPunct(ord(ch)) or isPunctChar(ch) else "other"


def _strong_spans(markdown: str) -> list[re.Match] | None:
    """The `**...**` spans when each one is CommonMark strong emphasis as written, else None (group 1: the
    text). Sufficient conditions: the only '*' are the spans' delimiters, no '*' touches another span,
    each opener is left-flanking and each closer right-flanking (then every closer pairs with its own
    opener: runs of 2 and 2 pass the rule of 3, and nothing else can open).
    """
    return _starred(markdown, _STRONG)


def _emphasis_spans(markdown: str) -> list[re.Match] | None:
    """`**strong**` and `*emphasis*` spans (group 1: the stars, 2: the text) on _strong_spans' conditions (1 + 1
    is no multiple of 3 either): guides write "*Note: ...*", each a markdown-it parse (~0.1 ms) without this."""
    return _starred(markdown, _STARRED)


def _not_strong_only(text: str) -> bool:
    """_NOT_STRONG_ONLY.search(text) is not None by substring tests (sre's class: ~3 ns a character of a text
    past Latin-1, 2.5 us of a starred text): its characters ("![" holds a '['), an entity only after a '&'."""
    return ("_" in text or "[" in text or "]" in text or "`" in text or "\\" in text or "<" in text or "\n" in text
            or "\r" in text or "\x00" in text or ("&" in text and _ENTITY.search(text) is not None))


def _starred(markdown: str, pattern: re.Pattern) -> list[re.Match] | None:
    if _not_strong_only(markdown):
        return None
    spans = list(pattern.finditer(markdown))
    text = pattern.groups   # the text is the last group
    delimiters = 0
    for m in spans:   # (a neighbour outside the span matters only when the text's own edge is punctuation)
        (start, end), inner = m.span(), m.group(text)
        delimiters += end - start - len(inner)
        if markdown[end:end + 1] == "*" or markdown[start - 1:start] == "*":
            return None  # '****' is one delimiter run, not two
        first = _kind(inner[0])
        if first == "space" or (first == "punct" and _kind(markdown[start - 1] if start else " ") == "other"):
            return None  # opener not left-flanking
        last = _kind(inner[-1])
        if last == "space" or (last == "punct" and _kind(markdown[end] if end < len(markdown) else " ") == "other"):
            return None  # closer not right-flanking
    return spans if markdown.count("*") == delimiters else None   # else a '*' outside the spans


def inline_html(markdown: str) -> Markup:
    return Markup(_inline_html(markdown))


def _inline_html(markdown: str) -> str:
    """inline_html as a plain string, for the body writer (which needs no Markup object per text)."""
    if not _inline_characters(markdown) or not _INLINE_SYNTAX.search(markdown):  # plain text
        if "&" in markdown:  # _escape: markdown-it's escapeHtml (inlined: this runs for every text of an edition)
            markdown = markdown.replace("&", "&amp;")
        return markdown.replace(">", "&gt;").replace('"', "&quot;")
    spans = _emphasis_spans(markdown)
    if spans is None:
        return _MD.renderInline(markdown)
    out, pos = [], 0
    for m in spans:
        opening, closing = _TAGS[m.group(1)]
        out += [_escape(markdown[pos:m.start()]), opening, _escape(m.group(2)), closing]
        pos = m.end()
    out.append(_escape(markdown[pos:]))
    return "".join(out)


def has_syntax(markdown: str) -> bool:
    return _SYNTAX.search(markdown) is not None


def inline_plain(markdown: str) -> str:
    if not _inline_characters(markdown) or not _INLINE_SYNTAX.search(markdown):
        return markdown
    spans = _emphasis_spans(markdown)
    if spans is not None:
        return _STARRED.sub(r"\2", markdown)
    tokens = _MD.parseInline(markdown)[0].children or []
    return "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


_WORD = re.compile(r"\w+")  # compiled once: re.findall looks a pattern string up per call


def anchor(text: str, used: dict[str, int]) -> str:
    """The first of base, base-2, base-3... not used yet. `used` maps each name given to the suffix its
    next repeat tries first: k equal headings cost k probes, not k * k / 2 (names only ever get added,
    so every suffix below it is taken)."""
    # its words joined by '-' (no '-' is a word character): each run of others as one '-', none at either end
    base = "-".join(_WORD.findall(text.lower()))[:60] or "section"
    name, n = base, used.get(base, 2)
    if name in used:
        name = f"{base}-{n}"
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used[base] = n + 1
    used.setdefault(name, 2)
    return name


def _view_heading(block, text_of, used, out):
    md, fallback = text_of(block.text)
    out.append(dict(type="heading", level=min(6, block.level + (1 if block.level == 1 else 0)),
                    html=inline_html(md), fallback=fallback, anchor=anchor(inline_plain(md), used)))


def _view_paragraph(block, text_of, used, out):
    md, fallback = text_of(block.text)
    out.append(dict(type="paragraph", html=inline_html(md), fallback=fallback,
                    legal=bool(block.text.segment and block.text.segment.legal)))


def _view_list(block, text_of, used, out):
    out.append(dict(type="list_open", ordered=block.ordered, start=block.start))
    for item in block.items:
        out.append(dict(type="item_open"))
        _view_into(item.blocks, text_of, used, out)
        out.append(dict(type="item_close"))
    out.append(dict(type="list_close", ordered=block.ordered))


def _view_table(block, text_of, used, out):
    def cell(text, i):
        md, fallback = text_of(text)
        return dict(html=inline_html(md), fallback=fallback, align=block.aligns[i] if i < len(block.aligns) else "")
    out.append(dict(type="table", header=[cell(t, i) for i, t in enumerate(block.header)],
                    rows=[[cell(t, i) for i, t in enumerate(row)] for row in block.rows]))


def _view_quote(block, text_of, used, out):
    out.append(dict(type="quote_open"))
    _view_into(block.blocks, text_of, used, out)
    out.append(dict(type="quote_close"))


# block type -> its views: a new block type is one entry here and one in MARKDOWN_WRITERS
VIEWS = {
    Heading: _view_heading,
    Paragraph: _view_paragraph,
    ListBlock: _view_list,
    Table: _view_table,
    Quote: _view_quote,
    Rule: lambda block, text_of, used, out: out.append(dict(type="rule")),
    Code: lambda block, text_of, used, out: out.append(dict(type="code", code=block.code)),
}


def _view_into(blocks, text_of, used, out) -> None:
    for block in blocks:
        VIEWS[type(block)](block, text_of, used, out)


def view_blocks(blocks, text_of, used_anchors: dict[str, int] | None = None) -> list[dict]:
    """Block tree -> the body for the templates as one flat stream of plain dicts in document order;
    text_of(Text) -> (markdown, is_fallback). A list or a quote is an opening view, its content and a
    closing view (list_open, item_open ... item_close, list_close; quote_open ... quote_close), like
    markdown-it's tokens: blocks.html renders the body in one plain loop, where a recursive loop cost a
    call per list item and a loop context per block (a third of the body's rendering)."""
    out: list[dict] = []
    _view_into(blocks, text_of, used_anchors if used_anchors is not None else {}, out)
    return out


_BLOCK_START = re.compile(r"^\s*(?:[#>+*=_~`|\[:-]|\d+[.)]|$)")
_MD_BLOCKS = parser().disable("inline")
# possessive spaces: \s*<?\s* split a run of spaces between its two \s* every way (quadratic)
_SCRIPT_LINK = re.compile(r"\]\((?=\s*+(?:<\s*+)?(?:javascript|vbscript|data)\s*+:)", re.I)
_CLOSING_HASHES = re.compile(r"(\s)(#+\s*)$")


def _html_as_text(markdown: str) -> str:
    """Raw HTML from any source becomes text (&lt;); code spans stay as written."""
    if "<" not in markdown:
        return markdown
    out, pos = [], 0
    for start, end in code_spans(markdown):
        out.append(markdown[pos:start].replace("<", "&lt;"))
        out.append(markdown[start:end])
        pos = end
    out.append(markdown[pos:].replace("<", "&lt;"))
    return "".join(out)


# One line that starts with a backslash, '**' then neither '*' nor a space, '~' then not '~', or a number's
# '.'/')' then neither a space nor a tab is a paragraph: no block rule of markdown-it (CommonMark, tables, raw
# HTML off) can open there (list markers need a space after them, a rule or fence three of the same
# character, a table a second line). Most of the texts md_text parses start so (`**Note:**`, `~$500`, `1.5`).
_PARAGRAPH_START = re.compile(r"\\|\*\*[^*\s]|~[^~]|[0-9]+[.)][^ \t]")


def _one_paragraph(markdown: str) -> bool:
    if _PARAGRAPH_START.match(markdown) and "\n" not in markdown and "\r" not in markdown:
        return True
    return _parsed_one_paragraph(markdown)


def _parsed_one_paragraph(markdown: str) -> bool:
    env: dict = {}
    tokens = _MD_BLOCKS.parse(markdown, env)
    return not env.get("references") and [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]


def md_text(markdown: str, heading: bool = False) -> str:
    """The one escaping of inline text for the .md edition: it reads as the same inline text in any
    block (heading, paragraph, list item, cell), whatever it holds. Line breaks become spaces (a
    newline could start a list, a quote or a setext heading); raw HTML and script links become text; a start that a
    Markdown parser would read as block syntax (# - + * > 1. ``` --- | [ref]: ...) is escaped, found
    by parsing the text on its own; a heading's closing #s are escaped."""
    if "\n" in markdown or "\r" in markdown:
        markdown = " ".join(markdown.split())
    if "<" in markdown:
        markdown = _html_as_text(markdown)
    if "](" in markdown:  # a script URL is text in the HTML (markdown-it refuses it): text here too
        markdown = _SCRIPT_LINK.sub("]\\(", markdown)
    if heading and "#" in markdown:
        markdown = _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), markdown)
    if _BLOCK_START.match(markdown):
        markdown = markdown.strip()
        for _ in range(3 if markdown else 0):  # each pass escapes one more leading character (e.g. "1. " then "- ")
            if _one_paragraph(markdown):
                break
            markdown = _escape_start(markdown)
    return markdown


def _escape_start(markdown: str) -> str:
    digits = re.match(r"\d+", markdown)
    if digits:  # "1. x" / "1) x": escape the delimiter, the number stays a number
        end = digits.end()
        return markdown[:end] + "\\" + markdown[end:]
    i = len(markdown) - len(markdown.lstrip("\\"))  # already escaped characters are kept
    return markdown[:i] + "\\" + markdown[i:] if i < len(markdown) else markdown


def _md_heading(block, text_of, indent):
    return f"{indent}{'#' * block.level} {md_text(text_of(block.text)[0], heading=True)}"


def _md_paragraph(block, text_of, indent):
    return indent + md_text(text_of(block.text)[0])


def _md_list(block, text_of, indent):
    lines = []
    for n, item in enumerate(block.items, start=block.start):
        marker = f"{n}. " if block.ordered else "- "
        only = item.blocks[0] if len(item.blocks) == 1 else None
        if only.__class__ is Paragraph:   # most items: _md_paragraph's line, its indent taken by lstrip below
            lines.append(indent + marker + md_text(text_of(only.text)[0]).lstrip())
            continue
        inner = markdown_blocks(item.blocks, text_of, indent + " " * len(marker))
        body = ("\n\n" if len(item.blocks) > 1 and not _tight(item) else "\n").join(inner).lstrip()
        lines.append(indent + marker + body)
    return "\n".join(lines)


def _md_table(block, text_of, indent):
    def row(texts):  # a cell is inline text whose pipes are escaped
        return indent + "| " + " | ".join(md_text(text_of(t)[0]).replace("|", "\\|") for t in texts) + " |"
    delim = indent + "|" + "|".join(_delimiter(a) for a in block.aligns) + "|"
    return "\n".join([row(block.header), delim] + [row(r) for r in block.rows])


def _md_quote(block, text_of, indent):
    inner = "\n\n".join(markdown_blocks(block.blocks, text_of))
    return "\n".join(indent + "> " + line if line else indent + ">" for line in inner.split("\n"))


def _md_code(block, text_of, indent):
    # the shortest fence of 3 or more backticks that the code does not hold: one longer than its longest
    # run (growing a fence until it was not found searched the code once per backtick of that run)
    fence = "`" * max(3, 1 + max(map(len, BACKTICKS.findall(block.code)), default=0))
    code = "".join(indent + line if line.strip() else line for line in block.code.splitlines(keepends=True))
    return f"{indent}{fence}{block.info}\n{code}{indent}{fence}"


# block type -> Markdown writer: a new block type is one entry here (and one in view_blocks' table)
MARKDOWN_WRITERS = {Heading: _md_heading, Paragraph: _md_paragraph, ListBlock: _md_list, Table: _md_table,
                    Quote: _md_quote, Rule: lambda block, text_of, indent: indent + "---", Code: _md_code}


def markdown_blocks(blocks, text_of, indent: str = "") -> list[str]:
    """Block tree -> Markdown chunks (normalized syntax, same structure as the source); every
    translated text goes through md_text."""
    return [MARKDOWN_WRITERS[type(block)](block, text_of, indent) for block in blocks]


def _tight(item) -> bool:
    return all(not isinstance(b, Paragraph) for b in item.blocks[1:])


def _delimiter(align: str) -> str:
    return {"left": ":---", "right": "---:", "center": ":---:"}.get(align, "---")


def _front_value(value) -> str:
    """json.dumps(value, ensure_ascii=False); a string by the C writer that call ends in (an encoder per call)."""
    return encode_basestring(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


def markdown_document(meta: dict, blocks, text_of) -> str:
    front = "\n".join(f"{key}: {_front_value(value)}" for key, value in meta.items())
    return f"---\n{front}\n---\n\n" + "\n\n".join(markdown_blocks(blocks, text_of)) + "\n"
