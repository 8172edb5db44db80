"""Pseudo-localization (like Android's en-XA): accented, ~35% longer text, placeholders and markup kept."""
from __future__ import annotations

import re

from ..editions.localeformat import locale_for
from ..model import Problem, WorkflowError
from ..names import check_lang
from ..project import Project, source_date_epoch
from . import commands
from .sources import sources
from .writer import dump

_ACCENTS = str.maketrans("AaCcEeIiNnOoSsUuYyZz", "ÅåÇçÉéÎîÑñÖöŠšÛûÝýŽž")
# Keep what must not change: placeholders, link URLs ("](" to the next ")", found by kept()), Markdown
# markers, digits.
_KEEP = re.compile(r"\{\{|\}\}|\{[A-Za-z_][A-Za-z0-9_]*\}|\*\*|\*|`[^`]*`|\d[\d,.]*")


def kept(text: str) -> list[tuple[int, int]]:
    r"""The spans of re.finditer(r"\{\{|\}\}|\{[A-Za-z_][A-Za-z0-9_]*\}|\]\([^)]*\)|\*\*|\*|`[^`]*`|\d[\d,.]*", text)
    (tests/test_linear_text.py holds them equal), in linear time: there, each "](" with no ")" after it read
    the rest of the text ("](" * n: quadratic). A link is "](" to the next ")", when there is one; no other
    form starts with "]", and whether a form matches at a position depends on the text from there only, so
    the next link and the next other match, each found once, are merged in order."""
    spans, pos, other, link, last = [], 0, None, None, text.rfind(")")
    while True:
        if other is None or (other and other.start() < pos):   # False: none left
            other = _KEEP.search(text, pos) or False
        if link is None or (link and link[0] < pos):
            at = text.find("](", pos)
            link = (at, text.find(")", at + 2) + 1) if 0 <= at and at + 2 <= last else False
        if not other and not link:
            return spans
        span = link if not other or (link and link[0] < other.start()) else other.span()
        spans.append(span)
        pos = span[1]


def pseudo_text(text: str) -> str:
    out, pos = [], 0
    for start, end in kept(text):
        out.append(_word(text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(_word(text[pos:]))
    padding = "·" * max(1, len(text) // 3)
    # ⟦ ⟧ mark where a string starts and ends (truncation shows); square brackets could form Markdown links
    return "⟦" + "".join(out) + " " + padding + "⟧"


def _word(chunk: str) -> str:
    return chunk.translate(_ACCENTS)


def pseudo_localize(project: Project, lang: str = "en_XA") -> tuple[list[str], list[Problem]]:
    """Write the pseudo-locale's catalogs; returns those written and the problems of the guides that do not
    parse (their catalogs are left as they are)."""
    check_lang(lang)
    if lang not in project.config.pseudo_languages:
        # en_GB, pt_BR...: pseudo text would overwrite (and then publish over) a real translation
        raise WorkflowError(f"{lang} is not a pseudo-locale: pseudo-localize only the codes listed under "
                            f"pseudo_languages in workflow.yaml ({', '.join(project.config.pseudo_languages)}); "
                            "nothing written")
    index = sources(project)
    written, guides = [], index.readable(project.guides)
    for domain, template in commands.each_template(project, source_date_epoch(), guides=guides):
        for message in template:
            if message.id:
                message.string = pseudo_text(message.id)
        template.locale = locale_for(lang)
        template._locale_identifier = lang
        path = project.po_path(lang, domain)
        if commands.write_catalog(path, dump(template), project):
            written.append(project.rel(path))
    return written, index.problems
