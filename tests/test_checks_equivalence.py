"""The catalog checks' shortcuts must give exactly what the plain regex/slow path gives.

Each shortcut skips work when a text lacks some character; these properties hold on any text, so the
checks report the same problems with or without them. Per-source caching must not change a result either.
"""
import re
import sys
import unicodedata

from hypothesis import example, given, settings, strategies as st

from workflow.checks import markup, runner, text
from workflow.checks.registry import REGISTRY as REGISTRY_CHECKS, _ANY_DIGIT, _NON_ASCII_DIGIT, EntryView, RunContext, \
    ascii_digits, plain, plain_pair
from workflow.editions.facts import Registry
from workflow.editions.render import has_syntax
from workflow.editions.visible import MAY_HAVE_NUMBER
from workflow.model import Entry, Fact, TranslatedCatalog

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
                       | st.text(max_size=3), max_size=12).map("".join).filter(plain)


@settings(max_examples=600, deadline=None)
@given(plain_texts, plain_texts, st.sampled_from(["fr", "ja", "ar", "de_CH"]))
def test_silent_on_plain_checks_report_nothing_on_plain_pairs(msgid, msgstr, lang):
    """The runner skips the silent_on_plain checks on plain pairs: each of them, run, reports nothing."""
    view = EntryView(Entry(msgid, msgstr, None, False, False, 2, []), runner.source_for_ui(msgid, REGISTRY),
                     RunContext(lang, REGISTRY, GLOSSARY, "fallback"))
    assert plain_pair(view)
    for c in REGISTRY_CHECKS:
        if c.silent_on_plain:
            assert list(c.func(view)) == [], c.id


@settings(max_examples=300, deadline=None)
@given(texts | plain_texts)
@example("USD").via("the one word")
@example("Go to wWw.x").via("www. in any case")
def test_plain_text_is_what_the_checks_look_for(value):
    """plain() fails wherever a silent_on_plain check's own first test would look further."""
    if plain(value):
        assert not MAY_HAVE_NUMBER.search(value) and not has_syntax(value) and not markup.may_have_address(value)
        assert not any(may_match(value) for _, _, may_match in markup._INJECTION) and not text._has_money(value)
        assert not {"{", "}", "%", "\u066a", "\uff05"} & set(value)


def test_the_runner_still_runs_legal_and_glossary_on_plain_pairs():
    assert {c.id for c in REGISTRY_CHECKS if not c.silent_on_plain} == {"legal", "glossary"}
