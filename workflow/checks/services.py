"""The name next to an emergency number (editions/services.py): a label must read as its service's vetted
name, and no translation may show a number under another service's name."""
from __future__ import annotations

from ..editions.facts import fill
from ..editions.services import Services, misplaced, services_for
from ..editions.visible import markdown_text
from ..model import WARNING, Fact
from .registry import EntryView, check, per_source

_SOURCE = "en"


def shown(msgstr: str, placeholders: dict) -> str:
    """The text as a reader sees it, an emergency number's placeholder as its digits (prices as a space)."""
    values = {name: value.number if isinstance(value, Fact) else " " for name, value in placeholders.items()}
    return markdown_text(fill(msgstr, values, brace_format=bool(placeholders)))


@per_source
def _source_events(msgid: str) -> dict:
    """The source text's events per the registry's names (Services.key): filled in as first met."""
    return {}


@check("services", "error", "an emergency number under another service's name, or a label that is not its "
                            "service's vetted name")
def services(view: EntryView):
    source = view.source
    facts = {n for n, v in source.placeholders.items() if isinstance(v, Fact)} if source.placeholders else set()
    label = source.kind == "ui" and next((f.id for f in view.registry.emergency if f.label == view.entry.msgid), None)
    names = services_for(view.registry, view.lang)
    kept = _source_events(view)
    if names.key not in kept:   # every language's names are read alike: one reading of the source serves all
        kept[names.key] = names.events(shown(view.entry.msgid, source.placeholders))
    events = kept[names.key]
    if not facts and not label and not events and source.kind != "ui":
        return   # no number and no service's name in the source: a text the verification reads in its page
    # (a ui text is read whole: an aria-label or heading of the templates that names a service)
    text = shown(view.entry.msgstr, source.placeholders)
    if label:
        yield from _label(names, label, text, view.lang)
        return
    found = names.events(text)
    yield from misplaced(found, events, names)
    if names.vetted:   # a table cell's name meets its number only on the page: what the source names, this names
        named = {e.fact for e in found if not e.number}
        for fact in dict.fromkeys(e.fact for e in events if not e.number and e.fact not in named):
            yield f"does not name {names.describe(fact)} as the source does: write one of its vetted names " \
                  f"{', '.join(map(repr, names.vetted_names[fact]))} (source/facts.yaml)"


def _label(names: Services, fact: str, text: str, lang: str):
    problem = names.label_problem(fact, text)
    if problem:
        yield problem
    elif names.labels[fact] is None:
        yield WARNING, f"{lang} has no vetted names of the emergency services in source/facts.yaml " \
                       f"(names.{lang}): this label is unverified"
