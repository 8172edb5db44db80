"""The catalog checks' shortcuts must give exactly what the plain regex/slow path gives.

Each shortcut skips work when a text lacks some character; these properties hold on any text, so the
checks report the same problems with or without them. Per-source caching must not change a result either.
"""
import dataclasses
import re
import sys
import unicodedata

from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import assume, example, given, settings, strategies as st

from workflow.checks import markup, runner, text
from workflow.checks.registry import REGISTRY as REGISTRY_CHECKS, _ANY_DIGIT, _NON_ASCII_DIGIT, ALWAYS, UI, BRACE, COLON, \
    EQUALS, MONEY, NUMBER, PERCENT, SYNTAX, UNDRAWN, WWW, EntryView, RunContext, ascii_digits, entry_bits, text_bits
from workflow.editions.facts import Disclaimer, Registry, placeholder_names
from workflow.editions.render import has_syntax
from workflow.editions import screen, visible
from workflow.editions.visible import MAY_HAVE_NUMBER, may_have_number
from workflow.model import Entry, Fact, Price, Segment, TranslatedCatalog

# text made of the pieces the checks look for, glued with arbitrary characters
PIECES = ["1", "7", "119", "5,000", "1.5", "3-7", "٣", "３", "۴", "١١٩", "%", "٪", "％", "%s", "{", "}", "{{", "}}",
          "{price}", "{x٣}", "](", ")", "[a](http://x)", "**", "__", "`c`", "<b>", "< /", "javascript:", "DATA : text/html",
          "onClick =", "{%", "{#", "JavaScrİpt :", "vbſcript:", "data:\ttext/html", "www.", "WwW.", "mailto:",
          "CALLTO:", "ſms:", "smſ:", "Tel:", "ftp://", "t:", "T\u00a0:", "ſ", "ı", "$", "€", "£", "¥", "US$", "USD", "\u202f", "'", " ", "\n", "stem cell", "ſ"]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=12).map("".join)


def slow_ascii_digits(value: str) -> str:
    return _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(), m.group())), value)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_text_shortcuts_match_the_regexes(value):
    assert ascii_digits(value) == slow_ascii_digits(value)
    assert text._strip(value) == text._URL.sub("]", text._TOKEN.sub(" ", value))
    assert text._has_money(value) == bool(text._MONEY_IN_MSGSTR.search(value))
    for pattern, _, may_match in markup._INJECTION:  # a pattern is searched only where its test passes
        assert not pattern.search(value) or may_match(value)
    assert not markup._ADDRESS.search(value) or markup.may_have_address(value)
    # one MAY_HAVE_NUMBER search stands for the \\d search too
    assert not _ANY_DIGIT.search(value) or MAY_HAVE_NUMBER.search(value)


@settings(max_examples=400, deadline=None)
@given(texts, st.sampled_from(["tT", "oOlLs", "x"]), st.booleans())
def test_colon_follows_is_the_lookbehind_regex(value, letters, spaces):
    pattern = re.compile(f"[{letters}]" + (r"\s*" if spaces else "") + ":")
    assert markup.colon_follows(value, letters, spaces) == bool(pattern.search(value))


def test_case_insensitive_regex_letters_are_known():
    """The markup hints test letters by their two cases: re.I adds only CASE_EXTRAS (all of Unicode)."""
    letters = re.compile("[a-z]", re.I)
    extras = {}
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if letters.fullmatch(ch) and not ch.isascii():
            extras.setdefault(next(c for c in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(c, ch, re.I)), []).append(ch)
    assert {k: "".join(v) for k, v in extras.items()} == {**markup.CASE_EXTRAS, "k": "\u212a"}  # Kelvin: lower() is k


@settings(max_examples=400, deadline=None)
@given(texts)
def test_digit_runs_of_stripped_text_occur_in_its_ascii_digits(value):
    """`facts` looks for emergency numbers only when one occurs in the msgstr's ASCII-digit form."""
    digits = ascii_digits(value)
    assert all(run in digits for run in text._DIGIT_RUN.findall(ascii_digits(text._strip(value))))


REGISTRY = Registry(emergency=[Fact("ambulance", "119", "Ambulance")], disclaimers=[])
GLOSSARY = [{"en": "stem cell", "fr": ["cellule souche"]}]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(texts, texts), min_size=1, max_size=6), st.booleans())
def test_per_source_cache_does_not_change_results(pairs, alias):
    """Source facts cached per segment give what a cold run gives, in another language, and when a
    caller's index maps a msgid to another msgid's segment."""
    sources = {msgid: runner.source_for_ui(msgid, REGISTRY) for msgid, _ in pairs}
    if alias and len(sources) > 1:
        first, *rest = sources
        sources[rest[0]] = sources[first]
    entries = [Entry(msgid, msgstr, None, False, False, line, []) for line, (msgid, msgstr) in enumerate(pairs, 2)]
    catalog = TranslatedCatalog("x.po", "fr", entries)

    def problems(lang):
        return [p.as_dict() for p in runner.run(catalog, sources, lang, REGISTRY, GLOSSARY)]

    cold = problems("fr")   # the segments are new: nothing derived from them yet
    problems("de")
    assert problems("fr") == cold


# plain text: letters of several scripts, spaces and the punctuation no check looks for
plain_texts = st.lists(st.sampled_from(["word", "Élan", "ſ", "ı", "İ", "K", "中文", "مرحبا", " ", "\u00a0", ".", ",", "-",
                                        "(", ")", "'", '"', "/", "?", ";", "\n", "Stem Cell", "US", "ww.", "Wwx", "on",
                                        "javascript", "mailto", "text/html", "~", "#", "+", "\u00ad", "\u200b"])
                       | st.text(max_size=3), max_size=12).map("".join).filter(lambda t: not text_bits(t))

DISCLAIMER = "Not medical advice. Ask a doctor."
REGISTRY_LEGAL = Registry(emergency=[Fact("ambulance", "119", "Ambulance")],
                          disclaimers=[Disclaimer(id="d", heading="Disclaimer", text=DISCLAIMER)])
PRICES = {"price": Price("USD", Decimal(5000), Decimal(15000)), "price2": Price("USD", Decimal(40000), open_ended=True),
          "ambulance": Fact("ambulance", "119", "Ambulance"), "x": None}


def _segment(msgid: str, legal: bool) -> Segment:
    """A guide's segment (placeholders with values: prices, a fact) or a UI one (no values)."""
    names = placeholder_names(msgid)
    if not names or "x" in names:
        return runner.source_for_ui(msgid, REGISTRY_LEGAL)
    return Segment(msgid, 1, "paragraph", {n: PRICES.get(n) for n in names}, legal="d" if legal else None)


def _view(msgid, msgstr, lang, legal=False, fuzzy=False):
    return EntryView(Entry(msgid, msgstr, None, fuzzy, False, 2, []), _segment(msgid, legal),
                     RunContext(lang, REGISTRY_LEGAL, GLOSSARY, "refuse"))


@settings(max_examples=300, deadline=None)
@given(texts | plain_texts)
@example("USD").via("the one word")
@example("Go to wWw.x").via("www. in any case")
def test_text_bits_are_what_the_checks_look_for(value):
    """Each bit of text_bits stands for the first test of the checks that declare it."""
    bits = text_bits(value)
    assert bool(bits & NUMBER) == may_have_number(value)
    assert bool(bits & BRACE) == bool({"{", "}"} & set(value))
    assert bool(bits & PERCENT) == bool({"%", "\u066a", "\uff05"} & set(value))
    assert bool(bits & MONEY) == text._has_money(value)
    assert bool(bits & SYNTAX) == has_syntax(value)
    assert bool(bits & COLON) == (":" in value) and bool(bits & EQUALS) == ("=" in value)
    if not bits & (COLON | SYNTAX):   # www. is looked at only where markup would not run anyway
        assert bool(bits & WWW) == ("www." in value.lower())
    if not markup.may_have_address(value):
        assert not bits & WWW
    assert bool(bits & UNDRAWN) == (not any(ch.isalnum() and ch not in screen.FILLERS for ch in value))


# placeholders with values, and what may touch them, drawn more often
ENTRY_PIECES = PIECES + ["{price}", "{price2}", "{ambulance}", "{x}"] * 4 + ["万", "円", " million", "dollars", "€"]


def _without(needs: int):
    """Texts made of the pieces that have none of the bits `needs`."""
    pieces = [p for p in ENTRY_PIECES if not text_bits(p) & needs]
    return st.lists(st.sampled_from(pieces) | st.text(max_size=3), max_size=10).map("".join)


# every segment drawn here is a ui one or has placeholders: a check that needs either is always called
# (services: tests/test_service_names.py draws guide segments without them)
@pytest.mark.parametrize("check", [c for c in REGISTRY_CHECKS if c.needs != ALWAYS and not c.needs & UI],
                         ids=lambda c: c.id)
@settings(max_examples=500, deadline=None)
@given(data=st.data(), lang=st.sampled_from(["fr", "ja", "ar", "de_CH"]), legal=st.booleans(), fuzzy=st.booleans())
def test_a_check_reports_nothing_on_an_entry_without_its_bits(check, data, lang, legal, fuzzy):
    """The runner calls a check only on entries with one of the bits it declares: without them, called
    anyway, it reports nothing (each text drawn without the check's characters, checked after joining)."""
    msgid = data.draw(_without(check.needs) | texts, "msgid")
    msgstr = data.draw(_without(check.needs), "msgstr")
    view = _view(msgid, msgstr, lang, legal, fuzzy)
    assume(not check.needs & entry_bits(view))
    assert list(check.func(_view(msgid, msgstr, lang, legal, fuzzy))) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(texts | plain_texts, texts | plain_texts, st.booleans(), st.booleans()), min_size=1, max_size=8),
       st.sampled_from(["fr", "ja", "ar", "es"]))
def test_the_runner_reports_what_every_check_run_on_every_entry_reports(rows, lang):
    """The plain route (every check on every entry) against the runner's: the same problems, in order."""
    sources, entries = {}, []
    for line, (msgid, msgstr, legal, fuzzy) in enumerate(rows, 2):
        msgid = DISCLAIMER if legal and line % 2 else msgid
        sources.setdefault(msgid, _segment(msgid, legal))
        entries.append(Entry(msgid, msgstr, None, fuzzy, False, line, []))
    catalog = TranslatedCatalog("x.po", lang, entries)

    def problems():
        return [p.as_dict() for p in runner.run(catalog, sources, lang, REGISTRY_LEGAL, GLOSSARY, (), "refuse")]

    gated = problems()
    with mock.patch.object(runner, "entry_bits", lambda view: -1):   # every bit: every check
        assert problems() == gated


def test_the_runner_calls_only_glossary_on_every_entry():
    # blank: UNDRAWN | SYNTAX; visible's currency marks (protected.visible_currency): a money word needs no digit
    assert {c.id for c in REGISTRY_CHECKS if c.needs == ALWAYS} == {"glossary", "visible"}


TERMS = ["stem cell", "mesenchymal stem cell", "PRP", "knee", "is", "k-2", "osteo arthritis", "Ärzte", "幹細胞"]


@st.composite
def _term_and_text(draw):
    term = draw(st.sampled_from(TERMS) | st.text(alphabet="iksIKS -2ä", min_size=1, max_size=4))
    mangled = "".join(draw(st.sampled_from([ch, ch.upper(), ch.lower(), *markup.CASE_EXTRAS.get(ch.lower(), ""),
                                            "\u212a" if ch.lower() == "k" else ch])) for ch in term)
    pieces = st.sampled_from([term, mangled, " ", "-", "x", "İ", "ı", "ſ", "\u212a", "é", "Stem", "CELL"]) | st.text(max_size=2)
    return term, "".join(draw(st.lists(pieces, max_size=8)))


@settings(max_examples=1000, deadline=None)
@given(_term_and_text())
@example(("is", "Thİs ıs")).via("İ and ı are i under re.I")
@example(("stem cell", "ſtem \u212aell x STEM CELL")).via("ſ and the Kelvin sign")
def test_glossary_term_test_is_the_pattern_search(case):
    from workflow.checks import policy
    term, value = case
    assert policy.has_term(term, value) == bool(policy._term_pattern(term).search(value))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(texts | plain_texts, texts | plain_texts, st.booleans(), st.integers(0, 2)), min_size=1,
                max_size=8), st.sampled_from(["fr", "ja"]))
def test_findings_shared_by_the_catalogs_of_a_language_change_no_problem(rows, lang):
    """Three guides' catalogs holding the same msgids (a guide's price values, legal status and fuzzy
    state differ): checked one after the other with one memo, each gives what it gives alone."""
    catalogs = []
    for guide in range(3):
        sources, entries = {}, []
        for line, (msgid, msgstr, fuzzy, which) in enumerate(rows, 2):
            segment = _segment(msgid, legal=which == guide)
            if segment.placeholders and which == guide:   # this guide's prices differ
                segment.placeholders = {n: (Price("EUR", Decimal(7)) if isinstance(v, Price) else v)
                                        for n, v in segment.placeholders.items()}
            sources.setdefault(msgid, segment)
            entries.append(Entry(msgid, msgstr, None, fuzzy and which == guide, False, line + guide, []))
        catalogs.append((TranslatedCatalog(f"g{guide}.po", lang, entries), sources))

    def problems(catalog, sources, memo=None):
        return [p.as_dict() for p in runner.run(catalog, sources, lang, REGISTRY_LEGAL, GLOSSARY, (), "refuse", memo)]

    memo: dict = {}
    assert [problems(c, s, memo) for c, s in catalogs] == [problems(c, s) for c, s in catalogs]


def test_an_entry_met_again_in_another_guide_is_not_checked_again():
    calls = []
    entry = Entry("The stem cell", "La cellule", None, False, False, 2, [])
    memo: dict = {}
    counted = [dataclasses.replace(c, func=lambda view, c=c: calls.append(c.id) or c.func(view)) for c in REGISTRY_CHECKS]
    with mock.patch.object(runner, "REGISTRY", counted):
        for path in ("a.po", "b.po"):
            runner.run(TranslatedCatalog(path, "fr", [entry]), {entry.msgid: _segment(entry.msgid, False)}, "fr",
                       REGISTRY_LEGAL, GLOSSARY, (), "fallback", memo)
    # plain text: glossary and visible's currency marks only, and services (_segment makes it a ui.po text, read
    # whole), once each
    assert calls == ["glossary", "visible", "services"]


def test_the_same_sentence_with_other_facts_in_another_guide_is_checked_again():
    """Same msgid and msgstr in two guides whose prices or legal status differ: their problems differ,
    and a shared memo keeps them apart."""
    price = "It costs {price}."
    cases = [(price, "Es kostet 5.000 US$ – 15.000 US$.", {"price": PRICES["price"]}, {"price": Price("EUR", Decimal(7))},
              None, None),
             (DISCLAIMER, "", {}, {}, "d", None)]
    for msgid, msgstr, values_a, values_b, legal_a, legal_b in cases:
        runs = []
        for values, legal in ((values_a, legal_a), (values_b, legal_b)):
            segment = Segment(msgid, 1, "paragraph", values, legal=legal)
            runs.append((TranslatedCatalog("g.po", "de", [Entry(msgid, msgstr, None, False, False, 2, [])]), {msgid: segment}))

        def problems(catalog, sources, memo=None):
            return [p.as_dict() for p in runner.run(catalog, sources, "de", REGISTRY_LEGAL, [], (), "refuse", memo)]

        alone = [problems(*r) for r in runs]
        assert alone[0] != alone[1], msgid
        memo: dict = {}
        assert [problems(*r, memo) for r in runs] == alone


def test_placeholder_values_are_read_once_per_language_not_per_catalog():
    """The checks' run memo (formatted values) is kept per language settings, the numbers they read as per
    process (verify.value_reading, which the editions' verification shares): a price met in a second
    catalog is not read again; another language reads it for itself."""
    from workflow.checks import protected
    from workflow.editions import verify
    msgid = "It costs {price}."
    sources = {msgid: Segment(msgid, 1, "paragraph", {"price": PRICES["price"]})}
    read = []
    real = protected.markdown_text

    def counted(text):
        read.append(text)
        return real(text)

    memo: dict = {}
    glossary: list = []   # one object, as check_language passes it: the settings key it by identity
    verify.value_reading.cache_clear()
    with mock.patch.object(protected, "markdown_text", counted), mock.patch.object(verify, "markdown_text", counted):
        for path, lang, msgstr in (("a.po", "de", "Es kostet {price}."), ("b.po", "de", "Kostet {price}."),
                                   ("a.po", "fr", "Il coûte {price}.")):   # other msgstrs: no finding shared
            runner.run(TranslatedCatalog(path, lang, [Entry(msgid, msgstr, None, False, False, 2, [])]), sources,
                       lang, REGISTRY_LEGAL, glossary, (), "refuse", memo)
    values = [t for t in read if t[:1].isdigit()]   # the price as formatted; the others are sentences
    assert len(values) == 2, read   # once for de (a.po and b.po), once for fr


bold_texts = st.lists(st.sampled_from(["**", "*", "a", " ", ".", "(", ")", "é", "中", "\n", "**a**", "** a**", "**a **",
                                       "_", "[", "`", "!", "~", "-", "1"]) | st.text(max_size=2), max_size=12).map("".join)


@settings(max_examples=1000, deadline=None)
@given(bold_texts)
@example("**a** and **b**").via("two spans")
@example("**a**b**c**").via("spans touching")
def test_markup_shape_of_bold_only_text_is_what_the_parse_counts(value):
    """markup's shape of a text whose only syntax is **bold** is taken from editions.render's span test,
    not from markdown-it: the same kinds, links and leftover delimiters."""
    if markup.has_syntax(value):
        assert markup._shape.__wrapped__(value) == markup._parsed_shape(value)


@pytest.mark.parametrize("lang, expected", [
    ("es", ["células madre", "célula madre"]),
    ("es_MX", ["células madre", "célula madre"]),     # the base language's renderings
    ("en_XA", []), ("en_GB", []), ("en", []),          # under "en" stands the term, not renderings
    ("ja", ["幹細胞"]),                                 # one rendering written without a list
    ("fr", []),
])
def test_glossary_renderings_of_a_language(lang, expected):
    from workflow.checks import policy
    term = {"en": "stem cell", "es": ["células madre", "célula madre"], "ja": "幹細胞"}
    assert policy.renderings(term, lang) == expected


def test_glossary_warns_for_a_language_variant_and_not_letter_by_letter():
    """en_XA took the English term itself as its renderings and tested its letters one by one: a pseudo
    translation without the term passed because it held an 's'."""
    from workflow.checks import policy
    registry = Registry(emergency=[], disclaimers=[])
    glossary = [{"en": "stem cell", "es": ["células madre"]}]
    segment = Segment(msgid="A stem cell therapy.", line=3, kind="paragraph", placeholders={}, legal=None)

    def found(lang, msgstr):
        catalog = TranslatedCatalog(path="x.po", lang=lang, entries=[Entry(segment.msgid, msgstr, None, False, False, 3, [])])
        return [p.message for p in runner.run(catalog, {segment.msgid: segment}, lang, registry, glossary)
                if p.check == "glossary"]

    assert found("en_XA", "Â šţéɱ çéļļ ţĥéŕàƥý.") == []
    assert found("es_MX", "Una terapia con citoblastos.") == ["'stem cell' should be rendered as células madre"]
    assert found("es_MX", "Una terapia con células madre.") == []
