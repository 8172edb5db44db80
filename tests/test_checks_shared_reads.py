"""What the checks and the verification share of a source text: one reading of its emergency numbers and
service names (editions.services.segment_events) whatever the guide, the language or who asks first, and
one interned state per segment in the runner's memo. Nothing shared may change a result."""
from __future__ import annotations

from decimal import Decimal
from unittest import mock

from hypothesis import given, settings, strategies as st

from workflow.checks import runner
from workflow.editions import services
from workflow.editions.facts import Registry
from workflow.editions.segment import walk_texts
from workflow.model import Entry, Fact, Price, Segment, TranslatedCatalog
from workflow.project import Project

from conftest import REPO

GUIDES = ("soft-tissue-injury-stem-cells", "knee-osteoarthritis-stem-cells")
PIECES = ["Police", "pol", "ice", "Ambulance", "amb", "ulance", "警察", "救急", "11", "9", "1", "119", "110", "{n}",
          "{m}", "{p}", "*", "**", "_", " ", "\n", "&#49;", "\\", "[a](b)", "`", "<", ".", ",", "x"]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=2), max_size=12).map("".join)
NUMBERS = ["110", "119", "7119", "1"]


def _plain(names, text: str, placeholders: dict) -> list:
    """The reading with nothing kept: a text as shown with its placeholders, read."""
    return names.events(services.shown_text(text, placeholders))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(texts, st.lists(st.sampled_from(NUMBERS + [None]), min_size=3, max_size=3)),
                min_size=1, max_size=6), st.sampled_from(["ja", "de", "en_XA"]))
def test_a_kept_reading_is_the_plain_one_for_every_text_and_placeholder_values(rows, lang):
    """The same text with other facts (another emergency number, a price) is read for itself: a reading is
    kept per text and placeholder values, shared by the languages."""
    registry = Project(REPO).registry
    names = services.services_for(registry, lang)
    other = services.services_for(registry, "fr")   # another language's Services: the same readings
    for text, numbers in rows:
        values = {name: (Fact(name, number, name) if number else Price("USD", Decimal(5)))
                  for name, number in zip("nmp", numbers) if "{" + name + "}" in text}
        for asker in (names, other, names):
            assert services.segment_events(text, values, asker) == _plain(names, text, values), (text, values)


def _counted_reads():
    calls = []
    real = services.Services.events

    def events(self, text, near=None):
        calls.append(text)
        return real(self, text, near)
    return calls, mock.patch.object(services.Services, "events", events)


def test_a_sentence_met_in_another_guide_is_read_once_for_the_checks_and_the_verification():
    """The checks read a guide's segments; the verification of that guide, and of another guide holding the
    same sentences, reads none of them again, and finds what the plain reading finds."""
    project = Project(REPO)
    names = services.services_for(project.registry, "ja")
    first, second = (project.document(g) for g in GUIDES)
    calls, counting = _counted_reads()
    with counting:
        for segment in first.segments:
            services.segment_events(segment.msgid, segment.placeholders, names)
        read = len(calls)
        body = services.source_body_events(first, names)
        assert len(calls) == read   # the verification of the checked guide: nothing read again
        shared = {(t.template, tuple(t.placeholders.items())) for t in walk_texts(first.blocks)}
        again = [t for t in walk_texts(second.blocks) if (t.template, tuple(t.placeholders.items())) in shared]
        assert again   # the two guides share sentences with their facts
        services.source_body_events(second, names)
        reread = calls[read:]
    assert not [t for t in again if services.shown_text(t.template, t.placeholders) in reread]
    assert body == [e for t in walk_texts(first.blocks) for e in _plain(names, t.template, t.placeholders)]
    assert services.source_body_events(second, names) == \
        [e for t in walk_texts(second.blocks) for e in _plain(names, t.template, t.placeholders)]


def test_an_unhashable_placeholder_value_is_read_and_not_kept():
    registry = Registry.from_dict({})
    names = services.Services(registry, "ja")
    values = {"n": [1]}   # no value of a guide is a list: a caller's that is must not break the reading
    assert services.segment_events("Call {n}", values, names) == _plain(names, "Call {n}", values)
    assert not names.segment_reads


def test_equal_facts_of_two_guides_are_one_state_and_other_facts_another():
    """Segments of two guides with equal placeholder values (two objects) share one interned state: the
    second guide's entry is a memo hit in every language, its state compared by identity, not value by
    value per language; a guide with another price has a state of its own."""
    msgid, msgstr = "It costs {price}.", "Es kostet {price}0."
    guides = [Segment(msgid, 1, "paragraph", {"price": Price("USD", Decimal(d))}) for d in (5000, 5000, 7)]
    memo: dict = {}
    registry, glossary = Registry.from_dict({}), []   # one object each: the memo keys the run's settings by them
    found, compared, checked = [], [], []
    real_eq, real_check = Price.__eq__, runner._check
    with mock.patch.object(Price, "__eq__", lambda a, b: compared.append(1) or real_eq(a, b)), \
            mock.patch.object(runner, "_check", lambda todo, view: checked.append(view) or real_check(todo, view)):
        for lang in ("de", "fr", "ja"):
            for n, segment in enumerate(guides[:2]):
                catalog = TranslatedCatalog(f"g{n}.po", lang, [Entry(msgid, msgstr, None, False, False, 2, [])])
                found.append([p.message for p in runner.run(catalog, {msgid: segment}, lang, registry, glossary, (),
                                                           "refuse", memo)])
    assert found[0] == found[1] and found[0] and len(checked) == 3   # once per language
    assert len(compared) <= 1   # when interning the second guide's state, not once per language
    runner.run(TranslatedCatalog("g2.po", "de", [Entry(msgid, msgstr, None, False, False, 2, [])]),
               {msgid: guides[2]}, "de", registry, glossary, (), "refuse", memo)
    states = [g.derived[runner._SOURCE_STATE] for g in guides]
    assert states[0] is states[1] and states[2] != states[0]


def _plain_source(doc):
    """verify._Source's numbers and months as read with nothing kept, text by text."""
    from workflow.editions.accounting import month_numbers
    from workflow.editions.currencies import units
    from workflow.editions.facts import fill
    from workflow.editions.visible import markdown_text, numbers
    found, months = [], []
    for text in walk_texts(doc.blocks):
        shown = markdown_text(fill(text.template, {n: " " for n in text.placeholders}, bool(text.placeholders)))
        found += numbers(shown, units("en"))
        months += month_numbers(shown)
    return found, months


def test_a_source_sentence_met_in_another_guide_or_by_the_checks_is_read_once():
    """The verification's source numbers of a guide are the plain reading's; a second guide holding the
    same sentences, and the checks' reading of a segment, read none of them again."""
    from workflow.checks import protected
    from workflow.editions import verify
    project = Project(REPO)
    first, second = (project.document(g) for g in GUIDES)
    verify.source_reading.cache_clear()
    read = []
    real = verify.markdown_text
    with mock.patch.object(verify, "markdown_text", lambda text: read.append(text) or real(text)):
        for doc in (first, second):
            source = verify._Source(doc)
            found, months = _plain_source(doc)
            assert source.numbers[:len(found)] == found and source.months == months
        texts = [fill_blank(t) for doc in (first, second) for t in walk_texts(doc.blocks)]
        assert len(read) == len(set(texts)) < len(texts)   # each distinct sentence once
        segment = next(s for s in first.segments if not s.placeholders and any(c.isdigit() for c in s.msgid))
        view = mock.Mock(own_source=True, source=segment, entry=mock.Mock(msgid=segment.msgid))
        before = len(read)
        assert protected._source_numbers(view)[0] and len(read) == before   # the checks' reading: kept


def fill_blank(text) -> str:
    from workflow.editions.facts import fill
    return fill(text.template, {n: " " for n in text.placeholders}, bool(text.placeholders))


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=8), st.sampled_from(["ja", "de", "en_XA"]))
def test_a_kept_surely_unnamed_answer_is_the_reading_of_its_text_under_its_registry_names(rows, lang):
    """source_body_events keeps surely_unnamed's answer per text (Services.unnamed_reads): the answer is that
    of the exact text, shared by the languages of one registry's names only (their key), never another's."""
    registry = Project(REPO).registry
    names = services.services_for(registry, lang)
    # another registry whose names differ: "Police" names nothing, a number of its own
    bare = Registry.from_dict({"emergency": [{"id": "other", "number": "999", "label": "Fire"}]})
    other = services.Services(bare, lang)
    assert other.key != names.key and other.unnamed_reads is not names.unnamed_reads
    for text in rows + rows:
        for asker in (names, other):
            assert services._surely_unnamed(text, asker) == asker.surely_unnamed(text), text
    assert services.services_for(registry, "fr").unnamed_reads is names.unnamed_reads
    assert all(names.surely_unnamed(text) == answer for text, answer in names.unnamed_reads.items())
