"""Markdown guide -> Document: a block tree whose inline texts are translatable segments.

Uses markdown-it-py's CommonMark parser (tokens carry line maps); pure: takes text, returns values.
"""
from __future__ import annotations

import datetime
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import frontmatter
from .facts import Registry, only_values, protect
from ..config import GUIDE_KIB
from ..model import (Code, Document, Heading, ListBlock, ListItem, Paragraph, Quote, Rule, Segment,
                     Table, Text, WorkflowError)

TRANSLATABLE_META = ("title", "excerpt")


def parser() -> MarkdownIt:
    # html off: raw HTML in a guide or a translation is text, never markup.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


# Segmentation needs the block tree and each inline token's raw text, never the parsed inline
# children: skipping inline parsing saves ~20 % of a guide's parse.
_BLOCKS = parser().disable("inline")


class Node:
    """A block of the token stream: markdown-it's SyntaxTreeNode reduced to what segmentation reads (its
    opening or only token, whose type names it: "paragraph_open", "fence"; its nested blocks), made in one
    pass over the tokens: SyntaxTreeNode copies the token list at every level (5 % of extract's instructions)."""
    __slots__ = ("token", "children")

    def __init__(self, token: Token):
        self.token = token
        self.children: list[Node] = []


def block_tree(tokens: list[Token]) -> list[Node]:
    """The top-level blocks of a token stream; ValueError on unbalanced nesting, as SyntaxTreeNode's."""
    top: list[Node] = []
    open_lists = [top]
    for token in tokens:
        if token.nesting == -1:
            if len(open_lists) == 1:
                raise ValueError("Invalid token nesting")
            open_lists.pop()
            continue
        node = Node(token)
        open_lists[-1].append(node)
        if token.nesting == 1:
            open_lists.append(node.children)
        elif token.nesting:
            raise ValueError("Invalid token nesting")
    if len(open_lists) != 1:
        raise ValueError("unclosed tokens")
    return top


class _Segmenter:
    def __init__(self, path: str, registry: Registry, line_offset: int, lines: list[str]):
        self.lines = lines
        self.path = path
        self.registry = registry
        self.offset = line_offset
        self.segments: list[Segment] = []

    def line(self, node: Node) -> int:
        return (node.token.map[0] if node.token.map else 0) + self.offset

    def text(self, raw: str, line: int, kind: str, context: str = "") -> Text:
        raw = " ".join(raw.split())
        template, values = protect(raw, self.registry)
        if not raw or only_values(template):
            return Text(template=template, placeholders=values, segment=None)
        disclaimer = self.registry.disclaimer_for(raw)
        segment = Segment(msgid=template, line=line, kind=kind, placeholders=values, context=context,
                          legal=disclaimer.id if disclaimer else None)
        self.segments.append(segment)
        return Text(template=template, placeholders=values, segment=segment)

    def blocks(self, nodes, kind: str = "paragraph") -> list:
        out = []
        for node in nodes:
            block = self.block(node, kind)
            if block is not None:
                out.append(block)
        return out

    def block(self, node: Node, kind: str):
        line = self.line(node)
        token_type = node.token.type
        if token_type == "heading_open":
            return Heading(int(node.token.tag[1]), self.text(node.children[0].token.content, line, "heading"), line)
        if token_type == "paragraph_open":
            return Paragraph(self.text(node.children[0].token.content, line, kind), line)
        if token_type in ("bullet_list_open", "ordered_list_open"):
            start = int(node.token.attrs.get("start", 1)) if token_type == "ordered_list_open" else 1
            items = [ListItem(self.blocks(item.children, "item"), self.line(item)) for item in node.children]
            return ListBlock(token_type == "ordered_list_open", start, items, line)
        if token_type == "table_open":
            return self.table(node, line)
        if token_type == "blockquote_open":
            return Quote(self.blocks(node.children, "quote"), line)
        if token_type == "hr":
            return Rule(line)
        if token_type in ("fence", "code_block"):
            return Code(node.token.info or "", node.token.content, line)
        if token_type == "html_block":
            return Code("html", node.token.content, line)  # shown as text, never as markup
        raise WorkflowError.at(self.path, line, f"unsupported Markdown block {token_type.removesuffix('_open')!r}",
                               "source.markdown")

    def table(self, node: Node, line: int) -> Table:
        rows_nodes = [tr for section in node.children for tr in section.children]
        header_cells = rows_nodes[0].children
        columns = [" ".join(c.children[0].token.content.split()) if c.children else "" for c in header_cells]
        aligns = [_align(c) for c in header_cells]
        header = [self.text(c.children[0].token.content if c.children else "", line, "cell",
                            f"table at line {line}, header of column {i + 1}")
                  for i, c in enumerate(header_cells)]
        rows = []
        for tr in rows_nodes[1:]:
            row_line = self.line(tr)
            self.check_row_shape(tr, len(header_cells))
            cells = tr.children
            row_name = " ".join(cells[0].children[0].token.content.split()) if cells and cells[0].children else ""
            rows.append([self.text(c.children[0].token.content if c.children else "", row_line, "cell",
                                   f"table at line {line}, row '{row_name}', column '{columns[i] if i < len(columns) else i + 1}'")
                         for i, c in enumerate(cells)])
        return Table(aligns, header, rows, line)


    def check_row_shape(self, tr: Node, expected: int) -> None:
        """The parser pads short rows and drops extra cells silently: a ragged row is refused instead."""
        if not tr.token.map:
            return
        cells = _count_cells(self.lines[tr.token.map[0]])
        if cells != expected:
            raise WorkflowError.at(self.path, self.line(tr), f"table row has {cells} cells, the header has {expected}",
                                   "source.table")


def _align(cell: Node) -> str:
    style = cell.token.attrs.get("style", "") if cell.token.attrs else ""
    return style.replace("text-align:", "").strip() if style else ""


def _count_cells(row: str) -> int:
    """Cells of a raw pipe-table row, as GFM splits them (outer pipes optional, \\| escaped)."""
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    count, escaped = 1, False
    for ch in inner:
        if ch == "\\" and not escaped:
            escaped = True
            continue
        if ch == "|" and not escaped:
            count += 1
        escaped = False
    return count


def segment(text: str, path: str, guide: str, registry: Registry, max_chars: int = GUIDE_KIB * 1024) -> Document:
    if len(text) > max_chars:
        raise WorkflowError.at(path, 1, f"guide of {len(text)} characters, over the {max_chars} limit; not parsed "
                               "(split it into several guides, or raise limits.guide_kib in workflow.yaml)",
                               "source.size")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise WorkflowError.at(path, line, "NUL byte in guide", "source.encoding")
    meta, body, first_line = frontmatter.split(text, path)
    for key in ("title", "date"):
        if key not in meta:
            raise WorkflowError.at(path, 1, f"front matter has no {key!r}", frontmatter.CHECK)
    if not isinstance(meta["date"], datetime.date):
        try:
            datetime.date.fromisoformat(str(meta["date"]))
        except ValueError:
            raise WorkflowError.at(path, frontmatter.key_line(text, "date"), "front matter 'date' must be a date like "
                                   f"2026-01-15, not {meta['date']!r}", frontmatter.CHECK) from None
    seg = _Segmenter(path, registry, first_line, body.split("\n"))
    meta_texts = {}
    for key in TRANSLATABLE_META:
        if key in meta:
            if not isinstance(meta[key], str):
                raise WorkflowError.at(path, frontmatter.key_line(text, key), f"front matter {key!r} must be text",
                                       frontmatter.CHECK)
            meta_texts[key] = seg.text(meta[key], frontmatter.key_line(text, key), key, f"front matter: {key}")
    tokens = _BLOCKS.parse(body)
    check_coverage(tokens, body.split("\n"), path, first_line)
    blocks = seg.blocks(block_tree(tokens))
    return Document(guide=guide, path=path, meta=meta, meta_texts=meta_texts, blocks=blocks, segments=seg.segments)


# Leaf blocks: their maps cover their own lines; containers (lists, quotes) only hold leaves.
_LEAVES = {"paragraph_open", "heading_open", "fence", "code_block", "html_block", "hr", "table_open"}
_MARKERS_ONLY = re.compile(r"^[\s>]*+(?:[-+*]|\d{1,9}[.)])?\s*$")


def check_coverage(tokens, lines: list[str], path: str, line_offset: int) -> None:
    """Every line with content is in some block the parser made: the parser drops what it cannot
    nest (markdown-it stops at maxNesting and the rest of the guide vanishes) and link reference
    definitions (they render nothing). Either is an error at the first dropped line."""
    covered = bytearray(len(lines) + 1)
    for token in tokens:
        if token.map and token.type in _LEAVES:
            start, end = token.map
            covered[start:end] = b"\x01" * (end - start)
    for number, text in enumerate(lines):
        if not covered[number] and not _MARKERS_ONLY.match(text):
            depth = max((t.level for t in tokens), default=0)
            why = (f"nesting reaches the parser's limit ({depth} levels)" if depth >= _BLOCKS.options["maxNesting"] - 1
                   else "a link reference definition or content no edition would show")
            raise WorkflowError.at(path, number + line_offset, f"this line and what follows would vanish from every "
                                   f"edition: {why}; flatten the nesting or write links inline", "source.dropped")


def _list_texts(block):
    for item in block.items:
        yield from walk_texts(item.blocks)


def _table_texts(block):
    yield from block.header
    for row in block.rows:
        yield from row


# block type -> its Texts in document order (blocks without text, Rule and Code, have none)
TEXTS = {Heading: lambda block: (block.text,), Paragraph: lambda block: (block.text,), ListBlock: _list_texts,
         Quote: lambda block: walk_texts(block.blocks), Table: _table_texts}


def walk_texts(blocks):
    """Every Text of a block tree in document order."""
    for block in blocks:
        texts = TEXTS.get(type(block))
        if texts:
            yield from texts(block)
