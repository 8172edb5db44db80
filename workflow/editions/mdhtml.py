"""Read pyromark's (pulldown-cmark's) HTML of a link-free, HTML-free body as verify_markdown._Reader reads
markdown-it-py's tokens of it.

A tree of Python objects (pyromark's events, a dict each) costs more than the Rust parse writing HTML
(callgrind, 30-guide corpus: 2.2 M instructions an edition) and one pass over its tags: read_html_py is the
reference of the compiled route (_mdhtml.c, ~1 M; ROUTE picks it where it was built). Only for a body the
compiled route reads (verify_markdown._read_plain: no "<", "](", "]:" or backtick), so no raw HTML, link,
image, autolink, definition or code span can be in it: the HTML holds only the tags of _TAGS and code blocks.
Anything else - another tag or attribute, an entity the renderer does not write, a raw < or >, a tag closed out
of order, a block where it cannot stand, text where a block must be - is not guessed: read_html returns None and
the caller reads the body with markdown-it-py (the plain route, the reference). The results must be exactly the
plain route's (tests/test_verify_mdhtml.py, tests/test_verify_pyromark.py).
"""
from __future__ import annotations

import re
from collections import Counter

# a tag, or a whole code block (its content has "<" escaped); text in the HTML has < and > escaped
_SPLIT = re.compile(r'(<pre><code(?: class="language-[^"<>]*")?>[^<]*</code></pre>\n|<[^<>]*>)')
_CODE_BLOCK = re.compile(r'<pre><code(?: class="language-[^"<>]*")?>([^<]*)</code></pre>\n')
_ORDERED = re.compile(r'<ol start="[0-9]{1,10}">')  # the one attribute with a value in the table below
_BAD_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot);)")
# a character reference can decode to a line break, which the HTML shows as a soft break: the tokens read
# "\n" (&#10;, &NewLine;), the HTML " "; such a body is read plain (no source writes one)
_LINE_BREAK_REFERENCE = re.compile(r"&(?:#|NewLine;)")

_EMPHASIS, _CLOSE, _BREAK, _TEXT, _BLOCK, _CODE, _RULE = range(7)
_ANYWHERE = (None, "</li>", "</blockquote>")  # where a block may stand: the expected close tag of its parent


def _table() -> dict:
    """Every tag pulldown-cmark writes on a link-free, HTML-free body: (kind, counted as, its close tag, the
    close tags of the parents it may stand in)"""
    tags = {"<em>": (_EMPHASIS, None, "</em>", ()), "<strong>": (_EMPHASIS, None, "</strong>", ()),
            "<br />": (_BREAK, None, None, ()), "<hr />": (_RULE, None, None, _ANYWHERE)}
    cells = [f' style="text-align: {a}"' for a in ("left", "center", "right")] + [""]
    texts = [(f"h{n}", "heading", _ANYWHERE, [""]) for n in range(1, 7)] + \
        [("p", "p", _ANYWHERE, [""]), ("th", "cell", ("</tr>",), cells), ("td", "cell", ("</tr>",), cells)]
    blocks = [("ul", None, _ANYWHERE), ("ol", None, _ANYWHERE), ("li", "li", ("</ul>", "</ol>")),
              ("blockquote", None, _ANYWHERE), ("table", "table", _ANYWHERE), ("thead", None, ("</table>",)),
              ("tbody", None, ("</table>",)), ("tr", "tr", ("</thead>", "</tbody>"))]
    for name, kind, parents, attributes in texts:
        tags.update({f"<{name}{a}>": (_TEXT, kind, f"</{name}>", parents) for a in attributes})
    for name, kind, parents in blocks:
        tags[f"<{name}>"] = (_BLOCK, kind, f"</{name}>", parents)
    tags.update({f"</{name}>": (_CLOSE, None, None, ()) for name in ("em", "strong")})
    tags.update({f"</{name}>": (_CLOSE, "\n", None, ()) for name, _, _, _ in texts})
    tags.update({f"</{name}>": (_CLOSE, "", None, ()) for name, _, _ in blocks})
    return tags


_TAGS = _table()
_INLINE = {"<em>", "</em>", "<strong>", "</strong>", "<br />"}


class _Unexpected(Exception):
    """The HTML holds something the reading does not expect: the plain route reads the body."""


def may_read(body: str) -> bool:
    """Whether the body's HTML can be read here (no character reference that may be a line break)."""
    return "&" not in body or not _LINE_BREAK_REFERENCE.search(body)


def read_html_py(html: str) -> tuple[Counter, list[str]] | None:
    """(structure counts, visible text pieces) as _Reader.tokens gives them, or None where unsure."""
    if "&" in html and _BAD_ENTITY.search(html):
        return None
    parts = _SPLIT.split(html)
    texts = "".join(parts[0::2])
    if "<" in texts or ">" in texts:  # the renderer escapes both in text: a malformed tag
        return None
    try:
        counts, out = _read(parts)
    except (_Unexpected, IndexError):  # IndexError: a close tag with none open
        return None
    text = "".join(out)
    if "&" in text:
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    return Counter(counts), [text]


def read_html_compiled(html: str) -> tuple[Counter, list[str]] | None:
    read = _mdhtml.read(html)
    if read is None:
        return None
    return Counter(dict(zip(_COUNTED, read[0]))), [read[1]]


_COUNTED = ("heading", "p", "li", "table", "tr", "cell")  # _mdhtml.read's counts, in this order
try:
    from . import _mdhtml
    read_html, ROUTE = read_html_compiled, "compiled"
except ImportError:  # installed without a C compiler (setup.py: optional=True)
    read_html, ROUTE = read_html_py, "python"


def _entry(tag: str) -> tuple:
    code = _CODE_BLOCK.fullmatch(tag)
    if code:
        return (_CODE, code.group(1) + "\n", None, _ANYWHERE)
    if _ORDERED.fullmatch(tag):
        return _TAGS["<ol>"]
    raise _Unexpected


def _read(parts: list[str]) -> tuple[dict, list[str]]:
    """One pass over tags and the text between them (parts: text, tag, text, ...)."""
    counts = dict.fromkeys(("heading", "p", "li", "table", "tr", "cell"), 0)
    out: list[str] = []
    stack: list[str | None] = []  # the close tags expected
    text = run = False  # in a text block (p, heading, cell) / in a tight list item's hidden paragraph
    if parts[0].strip("\n"):
        raise _Unexpected
    for at in range(1, len(parts), 2):
        tag = parts[at]
        kind, what, close, parents = _TAGS.get(tag) or _entry(tag)
        if kind == _CLOSE:
            if stack.pop() != tag:
                raise _Unexpected
            if what:  # a text block's end
                out.append(what)
                text = False
            elif what is not None and run:  # a block's end (</li>) ends its item's hidden paragraph
                out.append("\n")
                run = text = False
        elif kind == _EMPHASIS or kind == _BREAK:
            if not text:
                run = text = _start_run(stack, counts)
            if close:
                stack.append(close)
            else:
                out.append(" ")
        else:
            if run:
                out.append("\n")
                run = text = False
            if text or (stack[-1] if stack else None) not in parents:
                raise _Unexpected  # a block inside text, a table's or list's part outside its parent
            if kind == _CODE:
                out.append(what)
            elif what:
                counts[what] += 1
            if close:
                stack.append(close)
                text = kind == _TEXT
        following = parts[at + 1]
        if following:
            if kind == _BREAK and following[0] == "\n":
                following = following[1:]  # "<br />\n"
            if text and not run:
                out.append(following.replace("\n", " "))  # a soft break is a line break in the HTML
            elif following and (following != "\n" or run):  # run: "\n" before an inline tag is a soft break
                following = _between(following, run, parts[at + 2] if at + 2 < len(parts) else None)
                if following:
                    if not run:
                        run = text = _start_run(stack, counts)
                    out.append(following.replace("\n", " "))
    if stack or run:
        raise _Unexpected
    return counts, out


def _between(following: str, run: bool, next_tag: str | None) -> str:
    """The text outside a text block: the renderer's line breaks around block tags, and a tight item's
    text standing between them."""
    if not run and following[0] == "\n":
        following = following[1:]
    if following and following[-1] == "\n" and next_tag not in _INLINE:
        following = following[:-1]  # the line break before a block tag (or the end of the item)
    if following and not run and following[0] == "\n":
        raise _Unexpected
    return following


def _start_run(stack: list, counts: dict) -> bool:
    if not stack or stack[-1] != "</li>":
        raise _Unexpected
    counts["p"] += 1  # a tight list item's paragraph: hidden, as _Reader.blocks counts it
    return True
