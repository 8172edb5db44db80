"""Verify the Markdown and JSON editions as a Markdown consumer would read them.

The .md edition is parsed back with markdown-it-py, raw HTML switched on (as a permissive consumer
would have it): it must hold no raw HTML, no link reference definitions, no link or image the source
does not have, no script URL written anywhere, and the source's structure exactly. Its visible text
is returned for the number accounting the HTML gets too. The JSON edition must carry that Markdown.
"""
from __future__ import annotations

import json
import re
from collections import Counter

from markdown_it import MarkdownIt

from .render import _STRONG, _strong_spans

_CONSUMER = MarkdownIt("commonmark", {"html": True}).enable("table")
# blocks first; an inline text is parsed only when it holds a character that can start inline syntax,
# an entity or raw HTML (else it reads as written): most texts have none, and parsing is the cost
_BLOCKS = MarkdownIt("commonmark", {"html": True}).enable("table").disable("inline")
_INLINE_SYNTAX = re.compile(r"[*_\[\]!`\\<&]")
_STRUCTURE = {"heading_open": "heading", "paragraph_open": "p", "list_item_open": "li", "table_open": "table",
              "tr_open": "tr", "th_open": "cell", "td_open": "cell"}
_SCRIPT_URL = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data)\s*:", re.I)
_TEXT = {"text", "code_inline", "text_special"}


def body_of(markdown: str) -> str:
    """The Markdown after the edition's front matter (a --- block of `key: json` lines)."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end >= 0:
            return markdown[end + 5:]
    return markdown


def source_links(texts) -> set[str]:
    """The link and image targets of the source texts, as markdown-it normalizes them."""
    links = set()
    for text in texts:
        if "](" not in text.template:
            continue
        for token in _CONSUMER.parseInline(text.template)[0].children or []:
            href = token.attrs.get("href") if token.type == "link_open" else \
                token.attrs.get("src") if token.type == "image" else None
            if href is not None:
                links.add(href)
    return links


def _inline(token, links: set[str], fail, out: list[str]) -> None:
    if not token.children:  # from the block parse (an empty list: inline parsing is off)
        content = token.content
        if not _INLINE_SYNTAX.search(content):
            out.append(content.replace("\n", " "))
            return
        spans = _strong_spans(content)  # **bold** only (property-tested against markdown-it): no parse
        if spans is not None and "\n" not in content:
            out.append(_STRONG.sub(r"\1", content))
            return
        token = _CONSUMER.parseInline(content)[0]
    for child in token.children or []:
        kind = child.type
        if kind in _TEXT:
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind == "html_inline":
            fail(1, f"Markdown: raw HTML {child.content[:40]!r}", "verify.markdown")
        elif kind in ("link_open", "image"):
            href = child.attrs.get("href" if kind == "link_open" else "src")
            if href not in links:
                fail(1, f"Markdown: {'link' if kind == 'link_open' else 'image'} to {str(href)[:60]!r} is not "
                     f"in the source", "verify.markdown")
            if kind == "image":
                _inline(child, links, fail, out)  # its alt text is what a text reader sees


def verify_markdown(markdown: str, structure: Counter, links: set[str], fail) -> str | None:
    """Problems go to fail(); returns the visible text of the body (None when it cannot be read)."""
    body = body_of(markdown)
    env: dict = {}
    tokens = _BLOCKS.parse(body, env)
    if env.get("references"):
        fail(1, f"Markdown: link reference definition(s) {sorted(env['references'])[:3]}", "verify.markdown")
    if _SCRIPT_URL.search(body):
        fail(1, "Markdown: a script or data URL in link syntax", "verify.markdown")
    counts: Counter = Counter()
    out: list[str] = []
    for token in tokens:
        kind = _STRUCTURE.get(token.type)
        if kind:
            counts[kind] += 1
        if token.type == "inline":
            _inline(token, links, fail, out)
            out.append("\n")
        elif token.type in ("fence", "code_block"):
            out.append(token.content + "\n")
        elif token.type == "html_block":
            fail(1, f"Markdown: raw HTML block {token.content[:40]!r}", "verify.markdown")
    for kind in ("heading", "p", "li", "table", "tr", "cell"):
        if counts[kind] != structure[kind]:
            fail(1, f"Markdown: edition has {counts[kind]} {kind} elements, the source has {structure[kind]}",
                 "verify.structure")
    return "".join(out)


def verify_json(json_text: str, markdown: str | None, registry, fail) -> None:
    try:
        data = json.loads(json_text)
    except ValueError as exc:
        fail(1, f"JSON: not valid JSON ({exc})", "verify.json")
        return
    if markdown is not None and data.get("markdown") != markdown:
        fail(1, "JSON: its markdown is not the Markdown edition", "verify.json")
    numbers = [e.get("number") for e in data.get("emergency", [])]
    if numbers != [f.number for f in registry.emergency]:
        fail(1, f"JSON: emergency numbers {numbers} differ from the registry's", "verify.emergency")
