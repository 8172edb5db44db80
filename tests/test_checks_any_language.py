"""Findings shared by a project's languages (runner: Check.reads_run): a check that reads no setting of the run
(language, registry, glossary, policy) finds the same on a msgstr and state in every language, so one memo kept
across languages (the Builder's) runs it once. Nothing shared may change a language's problems or their order."""
from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings, strategies as st

from workflow.catalogs import review
from workflow.checks import runner
from workflow.checks.registry import REGISTRY, EntryView
from workflow.model import Entry, TranslatedCatalog
from workflow.project import Project

from conftest import REPO
from test_checks_equivalence import DISCLAIMER, GLOSSARY, REGISTRY_LEGAL, _segment, _view, plain_texts, texts

ANY_LANGUAGE = [c for c in REGISTRY if not c.reads_run]
LANGS = ["fr", "ja", "ar", "es", "de_CH"]


class _NoRun:
    """A RunContext that any read refuses: a check that claims to read no setting must not touch it."""

    def __getattr__(self, name):
        raise AssertionError(f"read the run's {name}")


def test_the_checks_that_read_no_setting_are_the_text_checks():
    assert {c.id for c in ANY_LANGUAGE} == {"markup", "injection", "blank", "placeholders", "braces", "percent",
                                            "numbers"}


@pytest.mark.parametrize("check", ANY_LANGUAGE, ids=lambda c: c.id)
@settings(max_examples=300, deadline=None)
@given(msgid=texts | plain_texts, msgstr=texts | plain_texts, legal=st.booleans(), fuzzy=st.booleans())
def test_a_check_that_reads_no_setting_reads_nothing_of_the_run(check, msgid, msgstr, legal, fuzzy):
    view = _view(msgid, msgstr, "fr", legal, fuzzy)
    blind = EntryView(view.entry, view.source, _NoRun())
    assert list(check.func(blind)) == list(check.func(view))


def _catalog(rows, lang):
    entries, sources = [], {}
    for line, (msgid, msgstr, legal, fuzzy) in enumerate(rows, 2):
        msgid = DISCLAIMER if legal and line % 2 else msgid
        sources.setdefault(msgid, _segment(msgid, legal))
        entries.append(Entry(msgid, msgstr, None, fuzzy, False, line, []))
    return TranslatedCatalog("x.po", lang, entries), sources


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(texts | plain_texts, texts | plain_texts, st.booleans(), st.booleans()), min_size=1,
                max_size=8),
       st.lists(st.tuples(st.sampled_from(LANGS), st.sampled_from([(), ("markup",), ("numbers", "visible")])),
                min_size=2, max_size=5))
def test_one_memo_over_languages_reports_what_each_language_alone_reports(rows, runs):
    """The same catalog (the same msgstrs: pseudo languages) checked in several languages and disabled checks
    with one memo: each run's problems, in order, are the plain route's (every check on every entry, no memo)."""
    catalog, sources = _catalog(rows, "fr")
    memo: dict = {}
    for lang, disabled in runs:
        def problems(memo):
            return [p.as_dict() for p in runner.run(catalog, sources, lang, REGISTRY_LEGAL, GLOSSARY, disabled,
                                                    "refuse", memo)]
        shared = problems(memo)
        with mock.patch.object(runner, "entry_bits", lambda view, own=None: -1):
            assert shared == problems(None), (lang, disabled)


def test_a_check_that_reads_no_setting_runs_once_for_all_languages():
    """Another language with the same msgstrs and sources calls none of them again; the others it calls."""
    rows = [("Costs {price} or **{price2}**.", "Cuesta {price}0 o *{price2}*.", False, False),
            ("Call {ambulance} <b>now</b>: 50%", "Llame 1{ambulance} <b>ya</b>: %", False, False)]
    catalog, sources = _catalog(rows, "fr")
    called = []
    real = runner._check

    def spy(todo, view):
        called.append((view.run.lang, {c.id for c in todo}))
        return real(todo, view)
    memo: dict = {}
    with mock.patch.object(runner, "_check", spy):
        for lang in ("fr", "ja"):
            runner.run(catalog, sources, lang, REGISTRY_LEGAL, GLOSSARY, (), "refuse", memo)
    ran = {lang: set().union(*(ids for asked, ids in called if asked == lang)) for lang in ("fr", "ja")}
    assert {"markup", "injection", "placeholders", "percent"} <= ran["fr"]
    assert not ran["ja"] & {c.id for c in ANY_LANGUAGE}
    assert {"visible", "glossary"} <= ran["ja"]


def test_the_real_translations_checked_with_one_memo_are_each_languages_own(tmp_path):
    """Every real catalog of the project (ar, es, ja, zh_CN, en_XA), its languages checked one after another
    with one memo as a Builder does: the problems of each language checked alone."""
    project = Project(REPO)
    langs = [lang for lang in project.languages if lang != project.config.source_language]
    memo: dict = {}
    with mock.patch.object(review.CheckCache, "get", lambda self, key: None), \
            mock.patch.object(review.CheckCache, "put", lambda self, key, problems: None):
        shared = {lang: review.check_language(project, lang, memo=memo).problems for lang in langs}
        alone = {lang: review.check_language(project, lang).problems for lang in langs}
    assert shared == alone
    assert len(langs) >= 4 and any(shared.values())
