"""The checks' findings kept per language (runner.run's memo): what it costs as a project's catalogs grow.

A new language starts with every entry untranslated (`workflow init`, `update`): one msgstr, "", for every
entry of every catalog, each checked (the legal check reads untranslated entries). Kept by msgstr, each new
segment walked the chain of all those before it: quadratic in the language's entries (16,000 took 7 s,
a 300-guide project's ~60,000 minutes). Kept by segment, each walks the msgstrs met for its own sentence.
"""
from __future__ import annotations

import yaml

from workflow.checks import runner
from workflow.editions.facts import Registry
from workflow.model import Entry, Segment, TranslatedCatalog

from conftest import REPO

REGISTRY = Registry.from_dict(yaml.safe_load((REPO / "source" / "facts.yaml").read_text(encoding="utf-8")))


def _longest_walk(count: int) -> int:
    """The longest chain a memo look-up may walk after checking `count` distinct untranslated entries, in
    catalogs of 200 sharing one memo. A look-up walks the kept entries of its key one after the other
    (runner._found): a chain's length is what one entry's look-up costs, counted rather than timed (a timed
    test fails on a loaded machine)."""
    segments = [Segment(msgid=f"Sentence {i} of the guide.", line=i, kind="text", placeholders={}, legal=None)
                for i in range(count)]
    guides = [{s.msgid: s for s in segments[n:n + 200]} for n in range(0, count, 200)]
    catalogs = [TranslatedCatalog(f"g{n}.po", "de", [Entry(m, "", None, False, False, i, ())
                                                    for i, m in enumerate(guide)])
                for n, guide in enumerate(guides)]
    glossary: list = []   # one for the project, as check_language passes it (the memo keys by its identity)
    memo: dict = {}
    for catalog, sources in zip(catalogs, guides):
        assert runner.run(catalog, sources, "de", REGISTRY, glossary, (), "fallback", memo) == []
    longest = 0
    for settings in runner.memo_settings(memo):
        for met in memo[settings][0].values():   # each key's newest kept entry, linked to the one before it
            walk = 0
            while met:
                walk, met = walk + 1, met[runner._STATE + 1]
            longest = max(longest, walk)
    return longest


def test_a_new_languages_untranslated_entries_cost_linear_time():
    """An entry's look-up walks only what was kept for its own sentence, however many entries came before it
    (kept by msgstr, every untranslated entry walked all those before it: quadratic in the language)."""
    assert _longest_walk(4_000) == 1


def test_the_memo_still_serves_a_sentence_met_again(monkeypatch):
    """The same untranslated sentence in another catalog of the language is not checked again (a guard of the
    memo's keys: it passes on main too)."""
    memo: dict = {}
    glossary: list = []
    sources = {"A sentence.": Segment(msgid="A sentence.", line=1, kind="text", placeholders={}, legal=None)}
    catalog = TranslatedCatalog("a.po", "de", [Entry("A sentence.", "", None, False, False, 5, ())])
    runner.run(catalog, sources, "de", REGISTRY, glossary, (), "fallback", memo)
    checked = []
    original = runner._check
    monkeypatch.setattr(runner, "_check", lambda todo, view: checked.append(view) or original(todo, view))
    runner.run(TranslatedCatalog("b.po", "de", catalog.entries), sources, "de", REGISTRY, glossary, (), "fallback", memo)
    assert checked == []
    runner.run(TranslatedCatalog("c.po", "de", [Entry("A sentence.", "Ein Satz.", None, False, False, 5, ())]),
               sources, "de", REGISTRY, glossary, (), "fallback", memo)
    assert len(checked) == 1   # another msgstr of the same segment is checked
