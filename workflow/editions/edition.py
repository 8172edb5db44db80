"""Build one edition (guide x language): merge, fill, render, verify. Pure apart from template loading."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale
from json.encoder import encode_basestring   # json's own C writer of a string (ensure_ascii=False)

from .facts import fill
from .localeformat import direction, format_meta_date, format_value, html_lang, locale_for
from ..model import ERROR, Document, Entry, Heading, Paragraph, Problem, Text
from .body import body_template_loaded, body_writer_fits, written_body
from .page import page_writer_fits, write_guide_page
from .sandbox import MAX_PAGE
from .render import markdown_document, render_page, view_blocks
from .verify import structure, verify_edition

LANGUAGE_NAMES_LOCALE = "en"


@dataclass
class Translations:
    """Approved translations for one edition: msgid -> msgstr, already filtered by check results."""
    guide: dict[str, str] = field(default_factory=dict)
    ui: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_entries(cls, guide: dict[str, Entry], ui: dict[str, Entry]) -> "Translations":
        keep = lambda entries: {m: e.msgstr for m, e in entries.items() if e.translated}  # noqa: E731
        return cls(keep(guide), keep(ui))

    def ui_text(self, msgid: str) -> str:
        """A template or registry string in the edition's language, or the source text."""
        return self.ui.get(msgid, msgid)


@dataclass
class Edition:
    guide: str
    lang: str
    files: dict[str, bytes]
    summary: dict
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


@lru_cache(maxsize=256)
def language_name(lang: str) -> str:
    locale = locale_for(lang)
    # language and script, without the territory: "中文 (简体)", not "中文 (简体, 中国)"
    name = Locale(locale.language, script=locale.script).get_display_name(locale) or lang
    return name[:1].upper() + name[1:] if lang != "en_XA" else "Pseudo (en-XA)"


def emergency_box(registry, translations: Translations, lang: str, source_language: str) -> list[dict]:
    """The registry's emergency numbers with labels in the edition's language (English marked)."""
    return [{"id": f.id, "number": f.number, "label": translations.ui_text(f.label),
             "fallback": lang != source_language and f.label not in translations.ui} for f in registry.emergency]


def alternates(guide_file: str, lang: str, languages: list[str], root: str = "../../") -> list[dict]:
    # <lang>/<page>: the language's stable link page (publishing/site.py), never straight into a release
    # the page may be missing from (pinned, rolled back, a guide added since)
    return [{"hreflang": html_lang(other), "href": f"{root}{other}/{guide_file}",
             "name": language_name(other), "current": other == lang} for other in languages]


def build_edition(doc: Document, lang: str, translations: Translations, registry, templates_dir: Path,
                  languages: list[str], source_language: str = "en") -> Edition:
    locale: Locale = locale_for(lang)
    resolved: dict[int, tuple[str, bool]] = {}
    translating = lang != source_language
    translated = translations.guide if translating else {}
    fallbacks = 0   # passages resolved so far that show the source language

    def text_of(text: Text) -> tuple[str, bool]:
        """(filled Markdown, shown in the source language), resolved once per Text: the HTML and the
        Markdown editions both ask, and the fallback count must not see a passage twice."""
        nonlocal fallbacks
        key = id(text)
        done = resolved.get(key)
        if done is None:
            segment = text.segment
            found = translated.get(segment.msgid) if segment else None
            filled = found or text.template
            if text.placeholders:
                filled = fill(filled, {name: format_value(v, locale) for name, v in text.placeholders.items()}, True)
            done = resolved[key] = filled, segment is not None and translating and not found
            fallbacks += done[1]
        return done

    ui = translations.ui_text
    title, title_fallback = text_of(doc.meta_texts["title"]) if "title" in doc.meta_texts else (doc.guide, False)
    excerpt, excerpt_fallback = text_of(doc.meta_texts["excerpt"]) if "excerpt" in doc.meta_texts else ("", False)
    date_iso, date_local = format_meta_date(doc.meta["date"], locale)
    writing, blocks = _body(doc, text_of, templates_dir)
    fallback_count = fallbacks   # the title, the excerpt and the body's (the .md's appendix comes after)

    disclaimer, disclaimer_texts = _disclaimer(doc, registry, translations, lang, source_language)
    # the .md and .json editions carry the disclaimer too: as a section after the body, like the page
    appendix = [Heading(2, Text(disclaimer["heading"], {}, None), 0), Paragraph(Text(disclaimer["text"], {}, None), 0)] \
        if disclaimer else []
    md_body = markdown_document(_md_meta(doc, title, excerpt, lang), doc.blocks + appendix, text_of)
    edition = {
        "lang_tag": html_lang(lang), "dir": direction(lang), "root": "",
        "title": title, "title_fallback": title_fallback,
        "category": str(doc.meta.get("category", "")), "author": str(doc.meta.get("author", "")),
        "date_iso": date_iso, "date": date_local,
        "alternates": alternates(f"{doc.guide}.html", lang, languages),
        "emergency": emergency_box(registry, translations, lang, source_language),
        "blocks": blocks, "fallback_count": fallback_count, "disclaimer": disclaimer,
    }
    html = _render_guide(templates_dir, ui, edition, writing, lambda: _body(doc, text_of)[1])
    total = len(_msgids(doc))
    translated_count = sum(map(translations.guide.__contains__, _msgids(doc))) if translating else total
    summary = {"guide": doc.guide, "lang": lang, "title": title, "title_fallback": title_fallback,
               "excerpt": excerpt, "excerpt_fallback": excerpt_fallback, "date": date_local, "date_iso": date_iso,
               "coverage": round(translated_count / total, 4) if total else 1.0, "fallback_passages": fallback_count}
    data = {**summary, "dir": direction(lang), "emergency": [{"number": f.number, "label": ui(f.label)}
                                                             for f in registry.emergency],
            "markdown": md_body}
    json_text = edition_json(data, "\n")
    problems = verify_edition(html, doc, lang, locale, registry, disclaimer_texts, doc.path, md_body, json_text,
                              md_extra=structure(appendix))
    files = {f"{doc.guide}.html": html.encode("utf-8"), f"{doc.guide}.md": md_body.encode("utf-8"),
             f"{doc.guide}.json": json_text.encode("utf-8")}
    return Edition(doc.guide, lang, files, summary, problems)


def edition_json(data, end: str = "") -> str:
    """json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + end, the same text (tests/test_render.py
    holds them equal on generated values), without json's Python encoder: any indent takes it (the C one writes
    none), and it cost more than the markdown's escaping itself. Strings are json's own C writer's; a value of
    another kind than JSON's own (a tuple, a subclass, a key not a string, NaN) goes to json.dumps whole. end is
    joined with the rest (added after, it copied the whole text again)."""
    out: list[str] = []
    if not _json_into(data, out, "\n"):
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + end
    out.append(end)
    return "".join(out)


_JSON_CONSTANTS = {True: "true", False: "false", None: "null"}


def _json_into(value, out: list[str], newline: str) -> bool:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is bool or value is None:
        out.append(_JSON_CONSTANTS[value])
    elif kind is int or (kind is float and math.isfinite(value)):
        out.append(repr(value))
    elif (kind is dict or kind is list) and not value:
        out.append("{}" if kind is dict else "[]")
    elif kind is dict or kind is list:
        inner, keyed = newline + " ", kind is dict
        if keyed and any(type(key) is not str for key in value):
            return False
        out.append("{" if keyed else "[")
        for i, key in enumerate(sorted(value) if keyed else value):
            out.append(("," if i else "") + inner + (encode_basestring(key) + ": " if keyed else ""))
            if not _json_into(value[key] if keyed else key, out, inner):
                return False
        out.append(newline + ("}" if keyed else "]"))
    else:
        return False
    return True


def _render_guide(templates_dir: Path, ui, edition: dict, writing: bool, views) -> str:
    """guide.html with the written body where the page only printed it (blocks.html's written(_)). A page
    that read edition.blocks any other way (iterated, compared, |tojson, + a list), or failed with it, or
    whose blocks.html was edited since the gate, is rendered again with the view stream itself: what the
    template route gives it, whatever a customized template does with the blocks."""
    if writing and page_writer_fits(templates_dir):   # the stock page: written, not rendered (page.py)
        html = write_guide_page(ui, edition)
        if len(html) <= MAX_PAGE:   # a longer one is the sandbox's to refuse, as it was before the writer
            return html
    if writing:
        try:
            html = render_page(templates_dir, "guide.html", ui, edition=edition)
            if not edition["blocks"].read and body_template_loaded(templates_dir):
                return html
        except Exception:  # noqa: BLE001 - the template route below says what is wrong, if anything is
            pass
    return render_page(templates_dir, "guide.html", ui, edition={**edition, "blocks": views()})


def _body(doc: Document, text_of, templates_dir: Path | None = None) -> tuple[bool, object]:
    """(written?, the body as blocks.html renders it): written directly while blocks.html is the one the
    writer follows (read as a sequence, by a project's own guide.html say, it is the view stream all the
    same), else (or without templates_dir) the view stream."""
    views = lambda: view_blocks(doc.blocks, text_of)  # noqa: E731
    if templates_dir is not None and body_writer_fits(templates_dir):
        return True, written_body(doc.blocks, text_of, views, source_html=_source_html(doc))
    return False, views()


def _source_html(doc: Document) -> dict[str, str]:
    """The inline HTML of the guide's texts shown as their source writes them, by template: the same in every
    language's edition (body._BodyWriter.html_of), rendered once per guide (see DERIVED)."""
    return doc.derived.setdefault(f"{__name__}.source_html", {})


def _msgids(doc: Document) -> frozenset[str]:
    """The guide's distinct msgids, the same for all its languages: read once per guide (see DERIVED)."""
    key = f"{__name__}.msgids"
    if key not in doc.derived:
        doc.derived[key] = frozenset(s.msgid for s in doc.segments)
    return doc.derived[key]


def _disclaimer(doc: Document, registry, translations: Translations, lang: str, source_language: str):
    """(the disclaimer section the page adds, or None when the body has it; the disclaimer texts every
    format must show in full)."""
    disclaimer, texts = None, []
    for d in registry.disclaimers[:1]:
        translated = translations.ui.get(d.text) if lang != source_language else d.text
        legal = next((s for s in doc.segments if s.legal), None)
        if legal:
            texts.append(translations.guide.get(legal.msgid) or legal.msgid if lang != source_language else legal.msgid)
        else:
            disclaimer = {"heading": translations.ui_text(d.heading), "text": translated or d.text,
                          "fallback": not translated}
            texts.append(translated or d.text)
    return disclaimer, texts


def _md_meta(doc: Document, title: str, excerpt: str, lang: str) -> dict:
    meta = {}
    for key, value in doc.meta.items():
        if key == "title":
            meta[key] = title
        elif key == "excerpt":
            meta[key] = excerpt
        else:
            meta[key] = value.isoformat() if hasattr(value, "isoformat") else value
    meta["lang"] = lang
    return meta


def build_index(summaries: list[dict], lang: str, translations: Translations, registry, templates_dir: Path,
                languages: list[str], source_language: str = "en") -> bytes:
    edition = {"lang_tag": html_lang(lang), "dir": direction(lang), "root": "",
               "alternates": alternates("index.html", lang, languages),
               "emergency": emergency_box(registry, translations, lang, source_language),
               "guides": [{**s, "href": f"{s['guide']}.html"} for s in sorted(summaries, key=lambda s: s["guide"])]}
    return render_page(templates_dir, "index.html", translations.ui_text, edition=edition).encode("utf-8")
