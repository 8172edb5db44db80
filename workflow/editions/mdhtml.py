"""Read markdown-it-pyrs's HTML of a link-free, HTML-free body as verify_markdown._Reader reads its node tree.

Building the node tree costs pyo3 thousands of Python objects per edition (~3.5 ms); the same Rust parse
writing HTML costs ~1.2 ms and one split over its tags reads it. Only for a body the compiled route reads
(verify_markdown._read_plain: no "<", "](", "]:" or backtick), so no raw HTML, link, image, autolink,
definition or code span can be in it: the HTML holds only the tags below. Anything else - another tag or
attribute, an entity the renderer does not write, a tag closed out of order, text where a block must be -
is not guessed: read_html returns None and the caller walks the tree (the reference). The results must be
exactly the tree walk's (tests/test_verify_mdhtml.py).
"""
from __future__ import annotations

import re
from collections import Counter

_SPLIT = re.compile(r"<(/?)([a-z][a-z0-9]*)([^<>]*)>")  # text in the HTML has < and > escaped
_TEXT_BLOCKS = {"p": "p", "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
                "h6": "heading", "th": "cell", "td": "cell"}
_CONTAINERS = {"ul": None, "ol": None, "li": "li", "blockquote": None, "table": "table", "thead": None,
               "tbody": None, "tr": "tr"}
_EMPHASIS = {"em", "strong"}
# the attributes this renderer writes on a link-free body: a list's start, a cell's alignment, a fence's
# language (the info string's first word, escaped: any text without a quote), the void tags' slash
_ATTRIBUTES = {"ol": re.compile(r'(?: start="\d{1,10}")?'),
               "th": re.compile(r'(?: style="text-align:(?:left|center|right)")?'),
               "td": re.compile(r'(?: style="text-align:(?:left|center|right)")?'),
               "code": re.compile(r'(?: class="language-[^"<>]*")?'), "br": re.compile(" /"),
               "hr": re.compile(" /")}
_NO_ATTRIBUTES = re.compile("")
_BLOCK_PARENTS = (None, "li", "blockquote")
_PARENTS = {"li": ("ul", "ol"), "thead": ("table",), "tbody": ("table",), "tr": ("thead", "tbody"), "th": ("tr",),
            "td": ("tr",), "code": ("pre",)}
_BAD_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot);)")
# a character reference can decode to a line break, which the HTML shows as a soft break: the tree reads
# "\n" (&#10;, &NewLine;), the HTML " "; such a body is walked (no source writes one)
_LINE_BREAK_REFERENCE = re.compile(r"&(?:#|NewLine;)")


class _Unexpected(Exception):
    """The HTML holds something the reading does not expect: the tree walk reads the body."""


def may_read(body: str) -> bool:
    """Whether the body's HTML can be read here (no character reference that may be a line break)."""
    return "&" not in body or not _LINE_BREAK_REFERENCE.search(body)


def read_html(html: str) -> tuple[Counter, list[str]] | None:
    """(structure counts, visible text pieces) as _Reader.blocks gives them, or None where unsure."""
    try:
        return _Html(html).read()
    except _Unexpected:
        return None


def _unescape(text: str) -> str:
    if "&" not in text:
        return text
    if _BAD_ENTITY.search(text):
        raise _Unexpected
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


class _Html:
    def __init__(self, html: str):
        self.parts = _SPLIT.split(html)  # text, slash, name, attributes, text, ...
        self.counts: Counter = Counter()
        self.out: list[str] = []
        self.stack: list[str] = []
        self.text = 0  # > 0: inside a text block (p, heading, cell) or a tight item's hidden paragraph
        self.run = False  # inside a tight list item's hidden paragraph
        self.code: list[str] | None = None  # inside <pre><code>: its escaped content

    def read(self) -> tuple[Counter, list[str]]:
        parts = self.parts
        self.between(parts[0], None)
        for at in range(1, len(parts), 4):
            slash, name, attributes = parts[at], parts[at + 1], parts[at + 2]
            (_ATTRIBUTES.get(name, _NO_ATTRIBUTES) if not slash else _NO_ATTRIBUTES).fullmatch(attributes) \
                or _fail()
            if slash:
                self.close(name)
            else:
                self.open(name)
            self.between(parts[at + 3], parts[at + 5] if at + 5 < len(parts) else None, name == "br")
        if self.stack or self.run:
            raise _Unexpected
        return self.counts, self.out

    def open(self, name: str) -> None:
        if self.code is not None:
            raise _Unexpected
        if name in _EMPHASIS or name == "br":
            if not self.text:
                self.start_run()
            if name == "em" or name == "strong":
                self.stack.append(name)
            else:
                self.out.append(" ")
            return
        self.end_run()
        if self.text or (self.stack[-1] if self.stack else None) not in _PARENTS.get(name, _BLOCK_PARENTS):
            raise _Unexpected  # a block inside text, a table's or list's part outside its parent
        if name in _TEXT_BLOCKS:
            self.counts[_TEXT_BLOCKS[name]] += 1
            self.text = 1
        elif name in _CONTAINERS:
            kind = _CONTAINERS[name]
            if kind:
                self.counts[kind] += 1
        elif name == "code":
            self.code = []
        elif name == "hr":
            return
        elif name != "pre":
            raise _Unexpected
        self.stack.append(name)

    def close(self, name: str) -> None:
        if not self.stack or self.stack[-1] != name:
            raise _Unexpected
        self.stack.pop()
        if name in _EMPHASIS:
            return
        self.end_run()
        if name in _TEXT_BLOCKS:
            self.out.append("\n")
            self.text = 0
        elif name == "code":
            self.out.append("".join(self.code) + "\n")
            self.code = None

    def between(self, text: str, next_name: str | None, after_break: bool = False) -> None:
        """The text between two tags: a text block's (soft breaks are line breaks in the HTML), code, or
        the renderer's line breaks between blocks, around which a tight item's text may stand."""
        if not text:
            return
        if self.code is not None:
            self.code.append(_unescape(text))
            return
        if after_break and text[0] == "\n":
            text = text[1:]  # "<br />\n"
            if not text:
                return
        if self.run or not self.text:  # between blocks, or a tight item's text, which starts and ends none
            if not self.run and text[0] == "\n":
                text = text[1:]
            if text and text[-1] == "\n" and next_name not in _EMPHASIS and next_name != "br":
                text = text[:-1]  # the line break before a block tag (or the end of the item)
            if not text:
                return
            if not self.run:
                if text[0] == "\n" or (self.stack[-1] if self.stack else None) != "li":
                    raise _Unexpected
                self.start_run()
        self.out.append(_unescape(text).replace("\n", " "))

    def start_run(self) -> None:
        if self.text:
            return
        if not self.stack or self.stack[-1] != "li":
            raise _Unexpected
        self.counts["p"] += 1  # a tight list item's paragraph: hidden, as _Reader.blocks counts it
        self.run = True
        self.text = 1

    def end_run(self) -> None:
        if self.run:
            self.out.append("\n")
            self.run = False
            self.text = 0


def _fail() -> None:
    raise _Unexpected
