"""The maintainers' files (glossary.yaml, facts.yaml) are checked against their shape, every problem at its
line; a source price no shipped language can show exactly is an error at extract, at its source line."""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from workflow.catalogs import parser
from workflow.checks.policy import has_term, renderings
from workflow.editions.facts import Registry
from workflow.editions.services import Services
from workflow.maintainer import check_facts, check_glossary, compose
from workflow.model import BIDI_CONTROLS, WorkflowError

KOREAN = "korean-stem-cell-therapy-2026"


def _problems(check, text: str) -> list[tuple[int, str]]:
    data, lines = compose(text, "f.yaml", "x")
    with pytest.raises(WorkflowError) as caught:
        check(data, lines, "f.yaml")
    return [(p.line, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("text, line, words", [
    ("terms:\n  - ja: [x]\n", 2, "has no 'en'"),
    ("terms:\n  - en: 5\n", 2, "non-empty text"),
    ("terms:\n  - en: ''\n", 2, "non-empty text"),
    ("terms:\n  - en: stem cell\n    es: 7\n", 3, "terms[0].es"),
    ("terms:\n  - en: stem cell\n    es: []\n", 3, "at least one"),
    ("terms:\n  - en: stem cell\n  - en: Stem Cell\n", 3, "duplicate glossary term"),
    ("terms:\n  - en: stem cell\n    zh-CN: [x]\n", 3, "invalid language code"),
    ("terms:\n  - just text\n", 2, "must be a mapping"),
    ("terms: {en: x}\n", 1, "must be a list"),
    ("terms: []\nother: 1\n", 2, "unknown key 'other'"),
])
def test_a_malformed_glossary_is_an_error_at_its_line(text, line, words):
    found = _problems(check_glossary, text)
    assert any(n == line and words in message for n, message in found), found


@pytest.mark.parametrize("text, line, words", [
    ("emergency:\n  - id: ambulance\n    number: '119'\n", 2, "has no 'label'"),
    ("emergency:\n  - id: Amb\n    number: '119'\n    label: A\n", 2, "must be a name"),
    ("emergency:\n  - id: a\n    number: 11a\n    label: A\n", 3, "must be digits"),
    ("emergency:\n  - {id: a, number: '1', label: A}\n  - {id: a, number: '2', label: B}\n", 3, "duplicate id"),
    ("emergency:\n  - {id: a, number: '1', label: A}\n  - {id: b, number: '1', label: B}\n", 3, "duplicate emergency"),
    ("emergency:\n  - {id: a, number: '1', label: A, extra: 1}\n", 2, "unknown key"),
    ("disclaimers: {a: 1}\n", 1, "disclaimers must be a list"),
    ("disclaimers:\n  - id: medical\n    heading: H\n", 2, "has no 'text'"),
    ("currency:\n  codes: [usd]\n", 2, "currency.codes"),
    ("currency:\n  symbols: {'$': 5}\n", 2, "currency.symbols"),
    ("emergncy: []\n", 1, "unknown key 'emergncy'"),
    # digits to str.isdigit() that every edition would print as they are (red team, round 7)
    *((f"emergency:\n  - id: a\n    number: '{n}'\n    label: A\n", 3, "must be digits")
      for n in ("\u00b9\u00b9\u2079", "\u2460\u2460\u2468", "\u0661\u0661\u0669", "\U0001d7cf\U0001d7cf\U0001d7d7")),
])
def test_a_malformed_facts_registry_is_an_error_at_its_line(text, line, words):
    found = _problems(check_facts, text)
    assert any(n == line and words in message for n, message in found), found


def test_duplicate_keys_and_the_repo_files(project_dir):
    with pytest.raises(WorkflowError, match="f.yaml:3: error: duplicate key 'terms'"):
        compose("terms: []\n\nterms: []\n", "f.yaml", "glossary")
    for name, check in (("glossary.yaml", check_glossary), ("facts.yaml", check_facts)):
        text = (project_dir / "source" / name).read_text(encoding="utf-8")
        assert check(*compose(text, name, "x"), name)   # the real files pass


def test_check_names_the_glossary_line_instead_of_a_traceback(project_dir, run_cli):
    glossary = project_dir / "source/glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "  - ja: [幹細胞]\n", encoding="utf-8")
    line = glossary.read_text(encoding="utf-8").count("\n")
    code, out, err = run_cli(project_dir, "check")
    assert code == 2 and f"source/glossary.yaml:{line}: error: terms[" in err and "Traceback" not in out + err


def test_a_wrong_type_in_facts_is_named_at_its_line(project_dir, run_cli):
    facts = project_dir / "source/facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace('number: "1339"', "number: [1339]"), encoding="utf-8")
    line = text[:text.index('number: "1339"')].count("\n") + 1
    code, _, err = run_cli(project_dir, "check")
    assert code == 2 and f"source/facts.yaml:{line}: error: emergency[1].number must be digits" in err


def test_extract_tells_the_author_of_a_price_no_language_shows_exactly(project_dir, run_cli):
    source = project_dir / "source" / f"{KOREAN}.md"
    text = source.read_text(encoding="utf-8")
    assert run_cli(project_dir, "extract")[0] == 0
    at = re.search(r"\$5,000", text).start()
    source.write_text(text[:at] + "$1.5" + text[at + len("$5,000"):], encoding="utf-8")
    code, out, _ = run_cli(project_dir, "extract")
    line = text[:at].count("\n") + 1
    assert code == 1
    assert re.search(rf"source/{KOREAN}.md:{line}: error: .*\$1\.5.* cannot be shown exactly in .*ja.*"
                     r"\[source\.price\]", out), out


def test_the_refused_characters_take_the_bidi_controls_from_the_model():
    refused = re.compile(f"[{parser.REFUSED_CHARS}]")
    bidi_like = {chr(c) for c in range(0x2000, 0x2100) if refused.match(chr(c))} - {"\u200b", "\u2060"}
    assert bidi_like == set(BIDI_CONTROLS)
    assert "".join(sorted(BIDI_CONTROLS)) in parser.REFUSED_CHARS   # written once, in model.py


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 200), st.sampled_from(
    ["", "en", "ja", "es", "zh_CN", "zh-CN", "119", "stem cell", "USD", "$", "usd", "medical", "a b"]))
_keys = st.sampled_from(["terms", "en", "ja", "es", "emergency", "disclaimers", "currency", "id", "number",
                         "label", "note", "heading", "text", "symbols", "codes", "default", "other", "names"])
_trees = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(_keys, inner, max_size=5)), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_keys, _trees, max_size=4))
def test_any_shape_is_read_or_refused_at_a_line_never_a_traceback(data):
    """Whatever a maintainer's file holds, the schema check accepts it (and the readers then take it) or
    raises WorkflowError whose every problem names the file and a line of it."""
    text = yaml.safe_dump(data, allow_unicode=True)
    lines = text.count("\n") + 1
    for check, use in ((check_glossary, lambda d: [renderings(t, "ja") + [has_term(t["en"], "a stem cell")] for t in d.get("terms", [])]),
                       (check_facts, lambda d: [Services(Registry.from_dict(d), lang) for lang in ("ja", "en_XA", "fr")])):
        try:
            use(check(*compose(text, "f.yaml", "x"), "f.yaml"))
        except WorkflowError as exc:
            assert exc.problems and all(p.path == "f.yaml" and 1 <= p.line <= lines for p in exc.problems)
