"""The checks' findings kept per language (runner.run's memo): what it costs as a project's catalogs grow.

A new language starts with every entry untranslated (`workflow init`, `update`): one msgstr, "", for every
entry of every catalog, each checked (the legal check reads untranslated entries). Kept by msgstr, each new
segment walked the chain of all those before it: quadratic in the language's entries (16,000 took 7 s,
a 300-guide project's ~60,000 minutes). Kept by segment, each walks the msgstrs met for its own sentence.
"""
from __future__ import annotations

import time

import yaml

from workflow.checks import runner
from workflow.editions.facts import Registry
from workflow.model import Entry, Segment, TranslatedCatalog

from conftest import REPO

REGISTRY = Registry.from_dict(yaml.safe_load((REPO / "source" / "facts.yaml").read_text(encoding="utf-8")))


def _untranslated(count: int, memo: dict) -> float:
    """CPU seconds of checking `count` distinct untranslated entries, in catalogs of 200 sharing `memo`."""
    segments = [Segment(msgid=f"Sentence {i} of the guide.", line=i, kind="text", placeholders={}, legal=None)
                for i in range(count)]
    guides = [{s.msgid: s for s in segments[n:n + 200]} for n in range(0, count, 200)]
    catalogs = [TranslatedCatalog(f"g{n}.po", "de", [Entry(m, "", None, False, False, i, ())
                                                    for i, m in enumerate(guide)])
                for n, guide in enumerate(guides)]
    glossary: list = []   # one for the project, as check_language passes it (the memo keys by its identity)
    start = time.process_time()
    for catalog, sources in zip(catalogs, guides):
        assert runner.run(catalog, sources, "de", REGISTRY, glossary, (), "fallback", memo) == []
    return time.process_time() - start


def test_a_new_languages_untranslated_entries_cost_linear_time():
    """4 times the entries cost about 4 times the time (quadratic: 16 times); a fixed slack for noise."""
    _untranslated(200, {})   # the first run's set-up (regexes compiled, registries read) out of the measure
    small, large = _untranslated(4_000, {}), _untranslated(16_000, {})
    assert large < 8 * small + 0.3, (small, large)


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
