"""The guide body's HTML written straight from the block tree (issue 17, round 6): the bytes blocks.html's
loop renders from render.view_blocks' stream, used while the project's blocks.html is the file this
writer follows (BODY_TEMPLATE_SHA256). tests/test_render_routes.py holds the two equal."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jinja2 import TemplateError, pass_context
from markupsafe import Markup, escape

from ..model import Code, Heading, ListBlock, Paragraph, Quote, Rule, Table, WorkflowError
from .pages import environment
from .render import _inline_html, anchor, inline_plain


class _BodyWriter:
    """The guide body's HTML written straight from the block tree: the bytes blocks.html's loop renders
    from view_blocks' stream (tests/test_render_routes.py holds them equal on every guide and on generated
    trees), without a dict per block and Jinja's escape and lookup per value (half of an edition's
    rendering). Used while the project's blocks.html is the one it was written for (BODY_TEMPLATE_SHA256)."""

    def __init__(self, text_of, used: dict[str, int], source_html: dict[str, str] | None = None):
        self.text_of, self.used, self.out = text_of, used, []
        self.slots: list[tuple[int, int]] = []   # (index in out, which template string): filled by fill()
        self.source_html = {} if source_html is None else source_html   # see html_of

    def html_of(self, text, md: str) -> str:
        """_inline_html(md) of a text resolved to md: a text shown as its source writes it (md is its template, no
        value filled in) renders alike in every language's edition, so once per guide (source_html, by template)."""
        if md is text.template:
            html = self.source_html.get(md)
            if html is None:
                html = self.source_html[md] = _inline_html(md)
            return html
        return _inline_html(md)

    def ui(self, which: int) -> None:
        """A template string (TABLE_SLOT, NOTICE_SLOT): its place is kept, the page's own _() gives its
        text (fill), so a project's guide.html defining another _ gets it here as in the template."""
        self.slots.append((len(self.out), which))
        self.out.append("")

    def fill(self, gettext) -> Markup:
        """The body with each template string's slot filled by gettext(msgid), asked once per slot in
        document order as blocks.html's loop asks, escaped as a template prints it."""
        out = list(self.out)
        for index, which in self.slots:
            out[index] = str(escape(gettext(TEMPLATE_STRINGS[which])))
        return Markup("".join(out))

    def blocks(self, blocks) -> None:
        for block in blocks:
            self.WRITERS[type(block)](self, block)

    def heading(self, block) -> None:
        md, fallback = self.text_of(block.text)
        level = min(6, block.level + (1 if block.level == 1 else 0))
        # an anchor is word characters and '-' (render.anchor): escape() would return it as it is
        self.out.append(f'<h{level} id="{anchor(inline_plain(md), self.used)}"{_LANG_EN if fallback else ""}>'
                        f'{self.html_of(block.text, md)}</h{level}>\n')

    def paragraph(self, block) -> None:
        md, fallback = self.text_of(block.text)
        legal = bool(block.text.segment and block.text.segment.legal)
        if legal and fallback:
            self.out.append(f'<p{_DISCLAIMER_CLASS}{_LANG_EN}>{self.html_of(block.text, md)}</p>\n<p class="notice">')
            self.ui(NOTICE_SLOT)
            self.out.append("</p>\n\n")
        else:  # one piece: most paragraphs
            self.out.append(f'<p{_DISCLAIMER_CLASS if legal else ""}{_LANG_EN if fallback else ""}>'
                            f'{self.html_of(block.text, md)}</p>\n\n')

    def list(self, block) -> None:
        tag = "ol" if block.ordered else "ul"
        self.out.append(f'<ol start="{block.start}">\n' if block.ordered and block.start != 1 else f"<{tag}>\n")
        for item in block.items:
            self.out.append("<li>")
            if len(item.blocks) == 1 and item.blocks[0].__class__ is Paragraph:   # most items: no loop for one block
                self.paragraph(item.blocks[0])
            else:
                self.blocks(item.blocks)
            self.out.append("</li>\n")
        self.out.append(f"</{tag}>\n")

    def table(self, block) -> None:
        aligns = [f' class="align-{escape(a)}"' if a else "" for a in block.aligns]

        def cells(texts, open_tag, close_tag):
            parts = []
            for i, text in enumerate(texts):
                md, fallback = self.text_of(text)
                parts.append(f'{open_tag}{aligns[i] if i < len(aligns) else ""}{_LANG_EN if fallback else ""}>'
                             f'{self.html_of(text, md)}{close_tag}')
            return "".join(parts)
        out = self.out
        out.append('<div class="table-scroll" role="region" tabindex="0" aria-label="')
        self.ui(TABLE_SLOT)
        out.append(f'">\n<table>\n<thead><tr>{cells(block.header, _TH, "</th>")}</tr></thead>\n<tbody>\n')
        for row in block.rows:
            out.append(f'<tr>{cells(row, "<td", "</td>")}</tr>\n')
        out.append("</tbody>\n</table>\n</div>\n")

    def quote(self, block) -> None:
        self.out.append("<blockquote>")
        self.blocks(block.blocks)
        self.out.append("</blockquote>\n")

    def rule(self, block) -> None:
        self.out.append("<hr>\n")

    def code(self, block) -> None:
        self.out.append(f"<pre><code>{escape(block.code)}</code></pre>\n")

    WRITERS = {Heading: heading, Paragraph: paragraph, ListBlock: list, Table: table, Quote: quote, Rule: rule,
               Code: code}


_LANG_EN = ' lang="en"'
_TH = '<th scope="col"'
_DISCLAIMER_CLASS = ' class="disclaimer-text"'
NOTICE = "This disclaimer is shown in English because its translation has not been approved yet."
# the template strings the body holds (blocks.html's _('Table') and _(NOTICE))
TABLE_SLOT, NOTICE_SLOT = 0, 1
TEMPLATE_STRINGS = ("Table", NOTICE)


# sha256 of the templates/blocks.html that _BodyWriter writes the body of
BODY_TEMPLATE_SHA256 = "94e0b291bb0f18692fb3857973f1028253dff63b7c4870b9d114942bcd1354ee"


def body_writer_fits(templates_dir: Path) -> bool:
    """Whether the project's blocks.html is the one body_html writes (as loaded now: Jinja reloads a file
    changed since). Any other, or one that does not load, takes the template route, which reports why."""
    env = environment(str(templates_dir))
    try:
        env.get_template("blocks.html")
    except (TemplateError, WorkflowError):
        return False
    return body_template_loaded(templates_dir)


def body_template_loaded(templates_dir: Path) -> bool:
    """Whether the blocks.html Jinja last loaded is the one body_html writes, without reloading: asked after a
    page is rendered, it says whether the page's render_blocks was that file (not one edited meanwhile)."""
    return environment(str(templates_dir)).loader.digests.get("blocks.html") == BODY_TEMPLATE_SHA256


class WrittenBody(Sequence):
    """edition.blocks while the body writer fits. The known blocks.html's render_blocks prints written(_):
    the written body with the template strings asked of the page's own _ through the sandbox, only where
    the body holds them, as its loop would ask them. Any other reading (a project's guide.html or base.html
    iterating edition.blocks, a slice, |length, printing it) gets the view stream the template route
    passes, made on first use. So a customized template never receives a string where it expects the
    block stream, nor a _() other than its own."""

    def __init__(self, writer: _BodyWriter, make_views):
        self._writer, self._make_views, self._views = writer, make_views, None
        self.read = False   # read as a sequence: the page is rendered again with the stream itself (edition.py)

    @pass_context   # the template's context: its _ is called as the template calls it (sandboxed)
    def written(self, context, gettext) -> Markup:
        return self._writer.fill(lambda msgid: context.environment.call(context, gettext, msgid))

    def written_with(self, gettext) -> Markup:
        """The written body with gettext(msgid) (a Markup, as render_page's _ gives) for its template strings:
        the page writer's (page.py), where no template calls written(_)."""
        return self._writer.fill(gettext)

    def _stream(self) -> list[dict]:
        self.read = True
        if self._views is None:
            self._views = self._make_views()
        return self._views

    def __getitem__(self, index):
        return self._stream()[index]

    def __len__(self) -> int:
        return len(self._stream())

    def __iter__(self):
        return iter(self._stream())

    def __str__(self) -> str:
        return str(self._stream())

    __repr__ = __str__

    def __eq__(self, other) -> bool:
        return self._stream() == other

    __hash__ = None   # unhashable like the list it stands for


def written_body(blocks, text_of, make_views, used_anchors: dict[str, int] | None = None,
                 source_html: dict[str, str] | None = None) -> WrittenBody:
    """The body blocks.html renders from view_blocks(blocks, text_of), written directly (_BodyWriter); every
    text is resolved (text_of) here, before the page is rendered. source_html: the guide's, kept for its other
    editions (_BodyWriter.html_of)."""
    writer = _BodyWriter(text_of, used_anchors if used_anchors is not None else {}, source_html)
    writer.blocks(blocks)
    return WrittenBody(writer, make_views)


def body_html(blocks, text_of, translate, used_anchors: dict[str, int] | None = None) -> Markup:
    """The written body with translate() for its template strings, escaped as the templates' _() does."""
    writer = _BodyWriter(text_of, used_anchors if used_anchors is not None else {})
    writer.blocks(blocks)
    return writer.fill(lambda msgid: escape(translate(msgid)))
