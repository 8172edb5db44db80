"""Verify the Markdown and JSON editions as a Markdown consumer would read them.

The .md edition is parsed back with markdown-it-pyrs (markdown-it compiled from Rust), raw HTML
switched on (as a permissive consumer would have it): it must hold no raw HTML, no link reference
definitions, no link or image the source does not have, no script URL written anywhere, and the
source's structure exactly. Its visible text is returned for the number accounting the HTML gets
too. The JSON edition must carry that Markdown.

Why a second parser next to markdown-it-py (which segments and renders): parsing an edition back took
~5 ms of CPU with markdown-it-py's block parse plus its inline parse where needed, ~1 ms with the
compiled tree, node walk included (~35 kB editions; tests/test_verify_parser.py holds the two readings equal).
"""
from __future__ import annotations

import json
import re
from collections import Counter

from markdown_it.common.utils import normalizeReference
from markdown_it_pyrs import MarkdownIt

from .render import md_text

_CONSUMER = MarkdownIt("commonmark").enable("table")  # its commonmark preset reads raw HTML
_SCRIPT_URL = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data)\s*:", re.I)
_STRUCTURE = {"heading": "heading", "lheading": "heading", "paragraph": "p", "list_item": "li", "table": "table",
              "trow": "tr", "tcell": "cell"}
# nodes that are (part of) the inline text of a block; a tight list item holds them without a paragraph node
_INLINE = {"text", "text_special", "code_inline", "softbreak", "hardbreak", "em", "strong", "link", "image",
           "autolink", "html_inline"}
_TEXT_BLOCKS = {"paragraph", "heading", "lheading", "tcell"}  # each ends its text with a line break
_CODE = {"fence", "code_block"}


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
        if "](" in text.template:
            links.update(node.meta["url"] for node in _CONSUMER.tree(md_text(text.template)).walk()
                         if node.name in ("link", "image", "autolink"))
    return links


class _Reader:
    """One walk of the edition's node tree: structure counts, visible text, problems."""

    def __init__(self, links: set[str]):
        self.links = links
        self.problems: list[str] = []  # in document order
        self.counts: Counter = Counter()
        self.out: list[str] = []
        self.references: set[str] = set()

    def blocks(self, nodes) -> None:
        run = False  # inside the text of a tight list item's (hidden) paragraph
        for node in nodes:
            name = node.name
            if name in _INLINE:
                if not run:
                    self.counts["p"] += 1  # markdown-it keeps a paragraph there, only hidden
                    run = True
                self.inline(node)
                continue
            if run:
                self.out.append("\n")
                run = False
            kind = _STRUCTURE.get(name)
            if kind:
                self.counts[kind] += 1
            if name in _TEXT_BLOCKS:
                self.inlines(node.children)
                self.out.append("\n")
            elif name in _CODE:
                self.out.append(node.meta["content"] + "\n")
            elif name == "html_block":
                self.problems.append(f"Markdown: raw HTML block {node.meta['content'][:40]!r}")
            elif name == "definition":
                self.references.add(normalizeReference(node.meta["label"]))
            else:
                self.blocks(node.children)
        if run:
            self.out.append("\n")

    def inlines(self, nodes) -> None:
        for node in nodes:
            self.inline(node)

    def inline(self, node) -> None:
        name = node.name
        if name in ("text", "text_special"):
            self.out.append(node.meta["content"])
        elif name in ("softbreak", "hardbreak"):
            self.out.append(" ")
        elif name == "html_inline":
            self.problems.append(f"Markdown: raw HTML {node.meta['content'][:40]!r}")
        else:
            if name in ("link", "image", "autolink"):
                href = node.meta["url"]
                if href not in self.links:
                    what = "image" if name == "image" else "link"
                    self.problems.append(f"Markdown: {what} to {href[:60]!r} is not in the source")
            self.inlines(node.children)  # an image's alt text is what a text reader sees


def verify_markdown(markdown: str, structure: Counter, links: set[str], fail) -> str | None:
    """Problems go to fail(); returns the visible text of the body (None when it cannot be read)."""
    body = body_of(markdown)
    reader = _Reader(links)
    reader.blocks(_CONSUMER.tree(body).children)
    if reader.references:
        fail(1, f"Markdown: link reference definition(s) {sorted(reader.references)[:3]}", "verify.markdown")
    if _SCRIPT_URL.search(body):
        fail(1, "Markdown: a script or data URL in link syntax", "verify.markdown")
    for problem in reader.problems:
        fail(1, problem, "verify.markdown")
    for kind in ("heading", "p", "li", "table", "tr", "cell"):
        if reader.counts[kind] != structure[kind]:
            fail(1, f"Markdown: edition has {reader.counts[kind]} {kind} elements, the source has {structure[kind]}",
                 "verify.structure")
    return "".join(reader.out)


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
