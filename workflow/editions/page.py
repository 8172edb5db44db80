"""A guide's page written straight from its values (issue 17, round 15): the bytes guide.html, base.html and
emergency.html render, while the project's three are the files this writer follows (PAGE_TEMPLATES_SHA256)
and blocks.html is the body writer's (body.py). Jinja's page (its context, the sandbox's checks and
Markup per printed value, the `with context` import of blocks.html) cost ~2.2 M instructions an edition.
tests/test_render_routes.py holds the two routes equal on every edition of the project and on generated ones."""
from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateError
from markupsafe import _escape_inner, escape   # escape's own C routine

from ..model import WorkflowError
from .body import BODY_TEMPLATE_SHA256, NOTICE, WrittenBody
from .pages import environment

# sha256 of the templates the writer writes the page of (edit a template: its route is Jinja's until both agree)
PAGE_TEMPLATES_SHA256 = {
    "guide.html": "3384b42c3b851baa69531d36c24feb825d0fb037269e8a8bf9bac2ecf1d352a9",
    "base.html": "1089a918c259e81207ff1bd176ab10d227b803d378f5417a379272f9bad92d9a",
    "emergency.html": "1d133aaea4b1c3ac7f786f781799e390a862dc38133de8b11587049c73d0f6c6",
}


def page_writer_fits(templates_dir: Path) -> bool:
    """Whether the project's guide.html, base.html and emergency.html (as loaded now: Jinja reloads a file
    changed since) are the ones write_guide_page follows, and blocks.html the body writer's."""
    env = environment(str(templates_dir))
    try:
        for name in (*PAGE_TEMPLATES_SHA256, "blocks.html"):
            env.get_template(name)
    except (TemplateError, WorkflowError):
        return False
    digests = env.loader.digests
    return all(digests.get(name) == digest for name, digest in PAGE_TEMPLATES_SHA256.items()) \
        and digests.get("blocks.html") == BODY_TEMPLATE_SHA256


def write_guide_page(ui, edition: dict) -> str:
    """guide.html as Jinja renders it with render_page's _ (each string escaped), every value escaped as the
    templates print it; edition["blocks"] is the written body (blocks.html's written(_))."""
    def _(msgid: str) -> str:   # render_page's gettext, printed (a Markup prints as it is)
        return _text(ui(msgid))

    alternates = edition["alternates"]
    links = "".join(f'<link rel="alternate" hreflang="{_text(a["hreflang"])}" href="{_text(a["href"])}">\n'
                    for a in alternates)
    items = "".join(f'\n      <li><a href="{_text(a["href"])}" hreflang="{_text(a["hreflang"])}" '
                    f'lang="{_text(a["hreflang"])}"{_CURRENT if a["current"] else ""}>{_text(a["name"])}</a></li>'
                    for a in alternates)
    return (f'<!DOCTYPE html>\n<html lang="{_text(edition["lang_tag"])}" dir="{_text(edition["dir"])}">\n<head>\n'
            '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<link rel="icon" href="data:,">\n<title>{_text(edition["title"])}</title>\n{links}'
            f'<link rel="stylesheet" href="{_text(edition["root"])}style.css">\n</head>\n<body>\n'
            f'<a class="skip" href="#main">{_("Skip to content")}</a>\n<header class="site">\n'
            f'  <nav class="languages" aria-label="{_("Languages")}">\n    <ul>{items}\n    </ul>\n  </nav>\n'
            f'</header>\n<main id="main">\n{_main(edition, _, ui)}\n</main>\n</body>\n</html>\n')


def _text(value) -> str:
    """A value as a template prints it (autoescaped): markupsafe.escape's text, without a Markup for a str."""
    return _escape_inner(value) if type(value) is str else str(escape(value))


_CURRENT = ' aria-current="page"'
_LANG_EN = ' lang="en"'


def _main(edition: dict, _, ui) -> str:
    blocks: WrittenBody = edition["blocks"]
    disclaimer = edition["disclaimer"]
    out = [f'\n<article>\n  <header class="guide">\n    <p class="category">{_text(edition["category"])}</p>\n'
           f'    <h1{_LANG_EN if edition["title_fallback"] else ""}>{_text(edition["title"])}</h1>\n'
           f'    <p class="meta"><time datetime="{_text(edition["date_iso"])}">{_text(edition["date"])}</time>'
           f'{" · " + _text(edition["author"]) if edition["author"] else ""}</p>\n  </header>\n  ',
           _emergency(edition, _), "\n  "]
    if edition["fallback_count"]:
        out.append(f'\n  <p class="fallback-notice" role="note">'
                   f'{_("Parts of this guide are not yet translated and are shown in English.")}</p>\n  ')
    out.append(f'\n  <div class="body">\n  {blocks.written_with(lambda msgid: escape(ui(msgid)))}\n  </div>\n  ')
    if disclaimer:
        fallback = _LANG_EN if disclaimer["fallback"] else ""
        notice = f'<p class="notice">{_(NOTICE)}</p>' if disclaimer["fallback"] else ""
        out.append(f'\n  <section class="disclaimer" aria-labelledby="disclaimer-title">\n'
                   f'    <h2 id="disclaimer-title"{fallback}>{_text(disclaimer["heading"])}</h2>\n'
                   f'    <p{fallback}>{_text(disclaimer["text"])}</p>\n    {notice}\n  </section>\n  ')
    out.append(f'\n</article>\n<footer class="site"><a href="index.html">{_("All guides")}</a></footer>\n')
    return "".join(out)


def _emergency(edition: dict, _) -> str:
    items = "".join(f'\n    <li><a class="number" href="tel:{_text(f["number"])}" data-fact="{_text(f["id"])}">'
                    f'{_text(f["number"])}</a> <span class="label"{_LANG_EN if f["fallback"] else ""}>'
                    f'{"/<wbr>".join(map(_text, f["label"].split("/")))}</span></li>' for f in edition["emergency"])
    return (f'<aside class="emergency" aria-labelledby="emergency-title">\n  <h2 id="emergency-title">'
            f'{_("Emergency numbers in Korea")}</h2>\n  <ul>{items}\n  </ul>\n</aside>\n')
