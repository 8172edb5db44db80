"""Checks on legal text (disclaimers) and on the project glossary."""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import ERROR, WARNING
from . import EntryView, check

_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|[。！？؟۔]")
_WIDE = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text.strip() + " "))


def weighted_length(text: str) -> float:
    """Character count where one CJK character weighs like 2.5 Latin ones (typical expansion)."""
    wide = len(_WIDE.findall(text))
    return len(text) - wide + 2.5 * wide


@check("legal", "error", "disclaimer translation fuzzy, empty or shortened", on_untranslated=True)
def legal(view: EntryView):
    if not view.source.legal:
        return
    entry = view.entry
    severity = ERROR if view.protected_policy == "refuse" else WARNING
    if not entry.msgstr:
        yield severity, "disclaimer is not translated; the edition shows it in English with a notice"
        return
    if entry.fuzzy:
        yield severity, "disclaimer translation is fuzzy; the edition shows it in English with a notice"
        return
    want, got = sentences(entry.msgid), sentences(entry.msgstr)
    if got < want:
        yield f"disclaimer translation has {got} sentences, the source has {want}: sentences were dropped"
    ratio = weighted_length(entry.msgstr) / max(1.0, weighted_length(entry.msgid))
    if ratio < 0.5:
        yield f"disclaimer translation is {ratio:.0%} of the source's length: text was cut"


@lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(term), re.I)


@check("glossary", "warning", "a glossary term translated without its required rendering")
def glossary(view: EntryView):
    for term in view.glossary:
        renderings = term.get(view.lang) or term.get(view.lang.split("_")[0])
        if not renderings:
            continue
        if _term_pattern(term["en"]).search(view.entry.msgid):
            if not any(r.lower() in view.entry.msgstr.lower() for r in renderings):
                yield f"'{term['en']}' should be rendered as {' / '.join(renderings)}"
