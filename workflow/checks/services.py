"""The name next to an emergency number (editions/services.py): a label must read as its service's vetted
name, and no translation may show a number under another service's name."""
from __future__ import annotations

from ..editions.services import Services, misplaced, named_numbers, services_for, shown_text, skeleton
from ..editions.visible import normalize
from ..model import WARNING
from .registry import SERVICE, UI, EntryView, check, source_events

@check("services", "error", "an emergency number under another service's name, or a label that is not its "
                            "service's vetted name", needs=UI | SERVICE)
def services(view: EntryView):
    source = view.source
    label = source.kind == "ui" and next((f.id for f in view.registry.emergency if f.label == view.entry.msgid), None)
    names = services_for(view.registry, view.lang)
    events = source_events(view)
    if not label and not events and source.kind != "ui":
        return   # no number and no service's name in the source: a text the verification reads in its page
    # (a ui text is read whole: an aria-label or heading of the templates that names a service)
    # a template prints a ui text as it is (escaped, no Markdown: &#35686; shows as written); the disclaimer is Markdown
    text = normalize(view.entry.msgstr) if source.kind == "ui" and not source.legal else \
        shown_text(view.entry.msgstr, source.placeholders)
    if label:
        yield from _label(names, label, text, view.lang)
        return
    found = names.events(text)
    yield from misplaced(found, events, names)
    if names.vetted:   # a table cell's name meets its number only on the page: what the source names, this names
        named = {e.fact for e in found if not e.number} | (named_numbers(events) - named_numbers(found))
        for fact in dict.fromkeys(e.fact for e in events if not e.number and e.fact not in named):
            yield f"does not name {names.describe(fact)} as the source does: write one of its vetted names " \
                  f"{', '.join(map(repr, names.vetted_names[fact]))} (source/facts.yaml)"


def _label(names: Services, fact: str, text: str, lang: str):
    if not skeleton(text):
        return   # no letter: the blank or facts check says what a reader sees instead
    problem = names.label_problem(fact, text)
    if problem:
        yield problem
    elif names.labels[fact] is None:
        yield WARNING, f"{lang} has no vetted names of the emergency services in source/facts.yaml " \
                       f"(names.{lang}): this label is unverified"
