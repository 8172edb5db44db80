"""Red team of the checks' round-6 shortcuts (entry bits, findings shared by a language's catalogs,
glossary substring test, bold-only markup shape): hostile msgstrs and catalog sets where a shortcut
could differ from the plain route (every check on every entry, no memo) or let a reader see a changed
number, amount, emergency number, disclaimer, link or script past both the checks and the verification.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import given, settings, strategies as st

from workflow.checks import runner
from workflow.editions.edition import Translations, build_edition
from workflow.model import BIDI_CONTROLS, ERROR, Entry, Price, Segment, TranslatedCatalog
from workflow.project import Project

from conftest import REPO

GUIDE = "korean-stem-cell-therapy-2026"
LANG = "es"


@pytest.fixture(scope="module")
def guide():
    project = Project(REPO)
    doc = project.document(GUIDE)
    sources = {s.msgid: s for s in doc.segments}
    return project, doc, sources


def _msgid(sources, start: str) -> str:
    return next(m for m in sources if m.startswith(start))


def _problems(catalog, sources, project, memo=None, lang=LANG, glossary=None):
    glossary = (project.glossary or {}).get("terms", []) if glossary is None else glossary
    return [p.as_dict() for p in runner.run(catalog, sources, lang, project.registry, glossary,
                                            project.config.disabled_checks, "refuse", memo)]


def _plain(catalog, sources, project, lang=LANG, glossary=None):
    """The plain route: every check on every entry (all bits), nothing shared."""
    with mock.patch.object(runner, "entry_bits", lambda view: -1):
        return _problems(catalog, sources, project, None, lang, glossary)


def _catalog(pairs, path="g.po", fuzzy=False, lang=LANG):
    return TranslatedCatalog(path, lang, [Entry(m, s, None, fuzzy, False, line, []) for line, (m, s) in enumerate(pairs, 2)])


def _routes(guide, msgid, msgstr, lang=LANG):
    """(the plain route's errors, the verification's errors), having asserted that the runner (entry
    bits, a memo warmed by another guide's catalog) reports what the plain route reports."""
    project, doc, sources = guide
    catalog = _catalog([(msgid, msgstr)], lang=lang)
    memo: dict = {}
    _problems(_catalog([(msgid, msgstr)], "other.po", lang=lang), sources, project, memo, lang)
    fast = _problems(catalog, sources, project, memo, lang)
    plain = _plain(catalog, sources, project, lang)
    assert fast == plain, (msgstr, fast, plain)
    errors = [p["message"] for p in plain if p["severity"] == ERROR]
    edition = build_edition(doc, lang, Translations(guide={msgid: msgstr}), project.registry, project.templates_dir,
                            ["en", lang])
    refused = [str(p) for p in edition.problems if p.severity == ERROR]
    return errors, refused


PRICE = "**Anti-Aging (Facial Rejuvenation/Hair Restoration):** {price} per session."
AMBULANCE = "**Ambulance/Fire/Emergency:** {ambulance}"
HEADING = "**Source**"

# (msgid, hostile msgstr): what a reader would see differs from the source (a number, an amount, an
# emergency number, a link or script), written with characters a bit test might miss
ATTACKS = [
    (PRICE, "**Antienvejecimiento:** {price}0 por sesión."),
    (PRICE, "**Antienvejecimiento:** {price}\u200b0 por sesión."),          # zero-width space
    (PRICE, "**Antienvejecimiento:** {price}\u2060\u00b2 por sesión."),     # word joiner, superscript 2
    (PRICE, "**Antienvejecimiento:** {price}\u2070 por sesión."),           # superscript 0
    (PRICE, "**Antienvejecimiento:** {price}\U0001d7ce por sesión."),       # mathematical bold 0
    (PRICE, "**Antienvejecimiento:** {price}\u24ea por sesión."),           # circled 0
    (PRICE, "**Antienvejecimiento:** {price}\u0660 por sesión."),           # Arabic-Indic 0
    (PRICE, "**Antienvejecimiento:** {price}&#48; por sesión."),            # an entity
    (PRICE, "**Antienvejecimiento:** {price}**0** por sesión."),            # bold digit touching
    (PRICE, "**Antienvejecimiento:** \uff04{price} por sesión."),           # full-width dollar
    (PRICE, "**Antienvejecimiento:** \ufe69{price} por sesión."),           # small dollar
    (PRICE, "**Antienvejecimiento:** \u20a9{price} por sesión."),           # won sign
    (PRICE, "**Antienvejecimiento:** {price} (\uff15\uff10\uff10 US$) por sesión."),
    (PRICE, "**Antienvejecimiento:** {price} por sesión, o 2\u00a0000\u00a0\u20ac."),
    (PRICE, "**Antienvejecimiento:** {price} por sesi\u00f3n \u3251."),       # circled 21
    (PRICE, "**Antienvejecimiento:** {price}\u0301\u0030 por sesión."),     # combining mark then 0
    (AMBULANCE, "**Ambulancia/Bomberos/Emergencias:** {ambulance}\u200b2"),
    (AMBULANCE, "**Ambulancia/Bomberos/Emergencias:** {ambulance}\u00b2"),
    (AMBULANCE, "**Ambulancia/Bomberos/Emergencias:** 1{ambulance}"),
    (AMBULANCE, "**Ambulancia/Bomberos/Emergencias:** {ambulance} (o \uff11\uff11\uff12)"),
    (AMBULANCE, "**Ambulancia/Bomberos/Emergencias:** {ambulance} (o \u2460\u2460\u2461)"),
    (AMBULANCE, "**Ambulancia/Bomberos/Emergencias:** {ambulance} (o \u4e00\u4e00\u4e8c)"),
    (AMBULANCE, "**Ambulancia/Bomberos/Emergencias:** {ambulance} (o &#49;&#49;2)"),
    (AMBULANCE, "**Ambulancia/Bomberos/Emergencias:** {ambulance} (o \U0001f102\u200b12)"),  # "1," compatibility
    (AMBULANCE, "**Ambulancia/Bomberos/Emergencias:** \u2474\u2474\u2475"),      # (1)(1)(2), no placeholder
    (HEADING, "**Fuente** WWW.evil.example"),
    (HEADING, "**Fuente** [aqu\u00ed](http://evil.example)"),
    (HEADING, "**Fuente** <img src=x onerror=alert(1)>"),
    (HEADING, "**Fuente** java\u017fcript:alert(1)"),
    (HEADING, "**Fuente** JAVA\u212aSCRIPT :alert(1)"),
    (HEADING, "**Fuente** {{ config }}"),
    (HEADING, "**Fuente** tel:+34600000000"),
    (HEADING, "**Fuente** \u017fms:+34600000000"),
    (HEADING, "**Fuente*\u200b*"),
    (HEADING, "**Fuente**\u0301**x**"),
    (HEADING, "**\u00a0Fuente**"),
    # block syntax the inline checks do not parse: the verification reads the edition's structure
    (HEADING, "1. **Fuente**"), (HEADING, "**Fuente** | 119 |"), (HEADING, "**Fuente**\n\n119"),
    (AMBULANCE, "**Emergencias:** {ambulance}\n\n| a |\n|---|\n| 112 |"),
]


@pytest.mark.parametrize("lang", ["es", "ja", "zh_CN", "ar"])
@pytest.mark.parametrize("msgid, msgstr", ATTACKS, ids=[repr(a[1][-24:]) for a in ATTACKS])
def test_a_hostile_translation_is_refused_by_the_checks_or_the_verification(guide, msgid, msgstr, lang):
    """The runner (bits, warm memo) reports what the plain route reports, and every hostile msgstr is an
    error of the checks (then the build drops it) or of the verification (then nothing is published)."""
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors or refused, msgstr


# after the amount: it changes the amount only where the currency sign comes first (ja, zh_CN: "US$15,000万");
# in es and ar the amount ends with "US$", and "15.000 US$ mil" touches no number
SIGN_FIRST = [
    (PRICE, "**Antienvejecimiento:** {price}\u3007 por sesión."),           # CJK zero
    (PRICE, "**Antienvejecimiento:** {price} \u4e07 por sesión."),         # CJK multiplier
    (PRICE, "**Antienvejecimiento:** {price} mil por sesión."),
    (PRICE, "**Antienvejecimiento:** {price}\u200b\u5343 por sesión."),
]


@pytest.mark.parametrize("lang", ["ja", "zh_CN"])
@pytest.mark.parametrize("msgid, msgstr", SIGN_FIRST, ids=[repr(a[1][-24:]) for a in SIGN_FIRST])
def test_a_numeral_after_an_amount_written_sign_first_is_refused(guide, msgid, msgstr, lang):
    errors, refused = _routes(guide, msgid, msgstr, lang)
    assert errors or refused, msgstr


def _other_guide(sources: dict[str, Segment]) -> dict[str, Segment]:
    """The same sentences in another guide: other prices, the disclaimer not legal there, the legal
    status on a heading instead, and the same placeholder names bound to other values."""
    other = {}
    for msgid, s in sources.items():
        values = {n: Price("USD", Decimal(7), source="$7") if isinstance(v, Price) else v for n, v in s.placeholders.items()}
        other[msgid] = Segment(msgid, s.line + 3, s.kind, values, legal=None if s.legal else
                               ("medical" if msgid == HEADING else None))
    return other


def _ui(sources: dict[str, Segment], registry) -> dict[str, Segment]:
    """ui.po's view of the same msgids: placeholders without values, legal status from the registry."""
    return {m: runner.source_for_ui(m, registry) for m in sources}


def test_findings_shared_by_a_languages_catalogs_are_each_catalogs_own(guide):
    """One memo over ui.po and guide catalogs whose entries hold the same msgids and msgstrs with other
    prices, legal status, fuzzy state, msgctxt, obsolete copies, other lines: in every order, each catalog
    gives what the plain route gives it alone."""
    project, doc, sources = guide
    disclaimer = next(m for m, s in sources.items() if s.legal)
    pairs = [(m, s) for m, s in ATTACKS] + [
        (PRICE, "**Antienvejecimiento:** {price} por sesión."), (AMBULANCE, "**Emergencias:** {ambulance}"),
        (HEADING, "**Fuente**"), (disclaimer, "Solo informativo."), (disclaimer, ""),
        (HEADING, "**Anti-Aging (Facial Rejuvenation/Hair Restoration):** {price} per session.")]
    entries = [Entry(m, s, None, False, False, line, []) for line, (m, s) in enumerate(pairs, 2)]
    shifted = [Entry(e.msgid, e.msgstr, None, False, False, e.line + 1, []) for e in entries]
    fuzzy = [Entry(e.msgid, e.msgstr, None, True, False, e.line, ["fuzzy"]) for e in entries]
    context = [Entry(e.msgid, e.msgstr, "ctx", False, False, e.line, []) for e in entries]
    obsolete = [Entry(e.msgid, e.msgstr, None, False, True, e.line, []) for e in entries]
    swapped = [Entry(a.msgid, b.msgstr, None, False, False, a.line, []) for a, b in zip(entries, reversed(entries))]
    other, ui = _other_guide(sources), _ui(sources, project.registry)
    runs = [(TranslatedCatalog("a.po", LANG, entries + obsolete), sources),
            (TranslatedCatalog("ui.po", LANG, entries), ui),
            (TranslatedCatalog("b.po", LANG, shifted + context), other),
            (TranslatedCatalog("c.po", LANG, fuzzy), sources),
            (TranslatedCatalog("d.po", LANG, swapped), other)]
    alone = [_plain(c, s, project) for c, s in runs]
    assert alone[0] != alone[2] and alone[0] != alone[1] and alone[0] != alone[3]   # the runs do differ
    for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 3, 1, 4], [1, 2, 0, 4, 3]):
        memo: dict = {}
        shared = {i: _problems(*runs[i], project, memo) for i in order}
        assert [shared[i] for i in range(len(runs))] == alone, order


def test_a_memo_kept_across_settings_gives_each_settings_own_findings(guide):
    """The same memo under other disabled checks, protection policy, language, glossary or registry."""
    project, doc, sources = guide
    disclaimer = next(m for m, s in sources.items() if s.legal)
    catalog = _catalog([(PRICE, "**Antienvejecimiento:** {price}0 por sesión."), (disclaimer, ""),
                        (HEADING, "**Fuente** sobre células madre"), (_msgid(sources, "**Adult Stem Cells"), "Células"),
                        (AMBULANCE, "**Emergencias:** {ambulance} o 119")])
    registry = project.registry
    glossaries = [[{"en": "stem cell", "es": ["célula madre"]}], [{"en": "stem cell", "es": ["células madre"]}]]

    def found(memo, disabled=(), policy="refuse", lang=LANG, glossary=glossaries[0], registry=registry):
        return [p.as_dict() for p in runner.run(TranslatedCatalog("g.po", lang, catalog.entries), sources, lang, registry,
                                                glossary, disabled, policy, memo)]

    settings_list = [{}, {"disabled": ("visible",)}, {"policy": "fallback"}, {"lang": "ja"},
                     {"glossary": glossaries[1]}, {"registry": dataclasses.replace(registry, emergency=[])}]
    alone = [found(None, **kw) for kw in settings_list]
    assert len({repr(a) for a in alone}) == len(alone)   # each setting changes what is found
    memo: dict = {}
    assert [found(memo, **kw) for kw in settings_list] == alone


# characters a bit test could miss: compatibility forms, other scripts' digits and numerals, full-width
# and small forms of % { } : = $, other currency signs, zero-width and combining characters, case-folding
# specials, entities, and the pieces of script URLs, addresses, handlers and placeholders
HOSTILE = ["\u32e0", "\u2461", "\u00b9", "\U0001d7ce", "\U0001f102", "\u2474", "\u2488", "\u2160", "\u2f06", "\u3280",
           "\u0663", "\u06f4", "\u0969", "\u0e53", "\u0f23", "\uff11", "\u3007", "\u4e8c", "\u8d30", "\u842c", "\u5343",
           "\ufe6a", "\uff05", "\u066a", "\uff5b", "\uff5d", "\ufe5b", "\uff1a", "\ufe55", "\uff1d", "\ufe66", "\uff04",
           "\ufe69", "\uffe5", "\uffe1", "\u20a9", "\u20b9", "\u00a2", "\ufdfc", "\u200b", "\u200c", "\u200d", "\u2060",
           "\ufeff", "\u00ad", "\u0301", "\u0338", "\u017f", "\u212a", "\u0130", "\u0131", "w", "W", "ww", "www.",
           "javascript", "java\u200bscript", ":", "=", "on", "click", "&#49;", "&#x39;", "&amp;", "&", "**", "*", "_",
           "{price}", "{ambulance}", "{", "}", "%", "USD", "US$", "$", "1", "9", "119", "5.000", " ", ".", "\n", "<",
           "a", "Fuente", "c\u00e9lulas madre", "stem cell", "tel:", "://"]
hostile_texts = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=2), max_size=10).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([PRICE, AMBULANCE, HEADING, "disclaimer", "**Source**"]), hostile_texts,
                          st.booleans()), min_size=1, max_size=6),
       st.sampled_from(["es", "ja", "ar"]))
def test_hostile_texts_give_the_plain_routes_problems(guide, rows, lang):
    """Drawn hostile msgstrs in three catalogs of a language (a guide, another guide's facts, ui.po)
    checked with bits and one memo: each catalog's problems are the plain route's alone."""
    project, doc, sources = guide
    disclaimer = next(m for m, s in sources.items() if s.legal)
    pairs = [(disclaimer if m == "disclaimer" else m, s, f) for m, s, f in rows]
    entries = [Entry(m, s, None, f, False, line, []) for line, (m, s, f) in enumerate(pairs, 2)]
    runs = [(TranslatedCatalog(path, lang, entries), srcs)
            for path, srcs in (("a.po", sources), ("b.po", _other_guide(sources)), ("ui.po", _ui(sources, project.registry)))]
    memo: dict = {}
    assert [_problems(c, s, project, memo, lang) for c, s in runs] == [_plain(c, s, project, lang) for c, s in runs]


@pytest.mark.parametrize("padding", ["\u200b" * 400, "\u00ad" * 400, "&#8203;" * 80, "\u3000" * 400, "\u00a0" * 400,
                                     "\u0301" * 400, "\u2060\ufeff" * 200])
@pytest.mark.parametrize("ends", [" .", "! ", "\u3002", " ?"])
def test_a_disclaimer_cut_and_padded_with_what_a_reader_does_not_see_is_refused(guide, padding, ends):
    """A disclaimer cut to one sentence, then padded with invisible characters (or entities of them, or
    runs of spaces) to the source's length and with empty "sentences": the verification cannot know what
    the translation should say, so the legal check must count what a reader sees."""
    project, doc, sources = guide
    disclaimer = next(m for m, s in sources.items() if s.legal)
    for msgstr in ("Solo informativo." + padding + ends * 4,
                   "Solo. Para. Informar. Nada." + padding):   # as many sentences, the text cut
        errors, refused = _routes(guide, disclaimer, msgstr)
        assert any("sentences were dropped" in e or "text was cut" in e for e in errors), (msgstr, errors, refused)


def test_a_disclaimer_translated_in_full_passes_the_legal_check(guide):
    project, doc, sources = guide
    disclaimer = next(m for m, s in sources.items() if s.legal)
    full = ("Esta publicación es solo informativa y no constituye consejo médico. La terapia con células madre es un "
            "procedimiento médico complejo y los resultados pueden variar. Se recomienda encarecidamente consultar a un "
            "profesional sanitario cualificado e investigar a fondo antes de decidir sobre su salud o tratamiento. El "
            "equipo de Korea Experience no respalda ninguna clínica, hospital ni tratamiento concretos.")
    for msgstr in (full, full.replace("médico", "me\u0301dico"), full.replace(" ", "\u00a0", 3)):
        assert _routes(guide, disclaimer, msgstr) == ([], []), msgstr


@pytest.mark.parametrize("msgstr, shown", [("# **Fuente**", "| \\# **Fuente** |"), ("> **Fuente**", "| \\> **Fuente** |"),
                                           ("- **Fuente**", "| \\- **Fuente** |"), ("**Fuente**\n---", "| **Fuente** --- |")])
def test_block_syntax_in_a_table_cell_is_published_as_its_text(guide, msgstr, shown):
    """Block syntax passes the checks (they read inline Markdown): the table cell's text shows it as
    written, and the edition keeps its structure (the verification passes)."""
    project, doc, sources = guide
    assert _routes(guide, HEADING, msgstr) == ([], [])
    edition = build_edition(doc, LANG, Translations(guide={HEADING: msgstr}), project.registry, project.templates_dir,
                            ["en", LANG])
    assert shown in edition.files[f"{GUIDE}.md"].decode()


def test_an_emergency_number_in_formal_chinese_numerals_is_refused(guide):
    errors, refused = _routes(guide, AMBULANCE, "**急救/消防:** {ambulance}（或拨打玖玖玖）", "zh_CN")
    assert errors or refused


@pytest.mark.parametrize("reference", ["&#8238;", "&#x202E;", "&#X202e;", "&#0008238;", "&#8294;", "&#x2067;"])
def test_a_bidi_control_written_as_a_character_reference_is_refused(guide, reference):
    """The PO reader refuses a bidi override as a character; written as a reference it passed the checks
    and the verification, and the page held U+202E before the ambulance number: a reader saw 911."""
    project, doc, sources = guide
    msgstr = f"**Emergencias:** {reference}{{ambulance}}&#8236;"
    errors, refused = _routes(guide, AMBULANCE, msgstr)
    assert any("bidi control" in e for e in errors), errors
    for lang in ("ar", "ja"):
        assert any("bidi control" in e for e in _routes(guide, AMBULANCE, msgstr, lang)[0])
    # a left-to-right mark reorders nothing: not a bidi control of the set
    assert not any("bidi" in e for e in _routes(guide, AMBULANCE, "**Emergencias:** &#8206;{ambulance}")[0])


def test_the_reader_refuses_the_bidi_controls_the_checks_refuse_as_references():
    from workflow.catalogs import reader
    from workflow.model import WorkflowError
    for ch in sorted(BIDI_CONTROLS):
        po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "' + ch + 'b"\n')
        with pytest.raises(WorkflowError):
            reader.read(po.encode(), "x.po")
