"""What a reader sees (issue 13, faults 31-33): one normalization at check and at verification.

- tests/data/visible/numbers.tsv: text, language, and the numbers a reader reads in it (values; a
  trailing $ marks an amount of money). The normalization and number reader against red-team forms.
- tests/data/po/render.*.po: msgstrs that pass `check` but would change the Markdown edition's
  structure if written as they are: the built .md edition must show each as text in its own block.
- a property test: translations made from real msgids with digits, numerals, multipliers, currency
  signs and words, entities, hidden characters and markup inserted next to and inside placeholders:
  either `check` refuses, or the numbers read in the rendered HTML and Markdown are the source's.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from markdown_it import MarkdownIt

from workflow.catalogs import review
from workflow.checks import runner
from workflow.editions.facts import fill
from workflow.editions.localeformat import format_value, locale_for
from workflow.editions.render import inline_html, md_text
from workflow.editions.verify import _text
from workflow.editions.accounting import month_numbers
from workflow.editions.currencies import units
from workflow.editions.visible import markdown_text, normalize, numbers
from workflow.model import ERROR, Entry, TranslatedCatalog
from workflow.project import Project
from workflow.publishing.builder import Builder

from conftest import REPO
from test_checks_data import install, source_index
from route_fixture import numbers_route  # noqa: F401 - the fixture: both routes of numbers()

pytestmark = pytest.mark.usefixtures("numbers_route")

DATA = Path(__file__).parent / "data"


def _rows():
    for number, line in enumerate((DATA / "visible" / "numbers.tsv").read_text(encoding="utf-8").split("\n"), 1):
        if line and not line.startswith("#"):
            text, lang, want = line.split("\t")
            yield pytest.param(text.encode().decode("unicode_escape"), lang, want.split(), id=f"line{number}")


def _read(numbers_found) -> list[str]:
    """Each number as its plainest value (grouping reading first), '$' after an amount of money."""
    return [min(n.values, key=len) + ("$" if n.money else "") for n in numbers_found]


@pytest.mark.parametrize("text,lang,want", list(_rows()))
def test_numbers_a_reader_sees(text, lang, want):
    assert _read(numbers(markdown_text(text), units(lang))) == want


# --- the Markdown edition: structure kept whatever a msgstr starts with -----------------------------

RENDER = sorted((DATA / "po").glob("render.*.po"))
_CONSUMER = MarkdownIt("commonmark", {"html": True}).enable("table")


def _msgstrs(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = re.findall(r'^msgstr "(.*)"$', text, re.M)[1:]  # after the header
    return [s.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") for s in found]


@pytest.mark.parametrize("path", RENDER, ids=lambda p: p.name)
def test_markdown_edition_shows_block_syntax_as_text(tmp_path, path):
    project, lang, rel, _ = install(tmp_path, path)
    config = project.root / "workflow.yaml"
    # `blank` refuses a list item made "- - -" (a reader sees no letter of it): here the renderer is tested
    config.write_text(config.read_text().replace("min_coverage: 0.8", "min_coverage: 0.0")
                      .replace("disable: []", "disable: [blank]"))
    project = Project(project.root)
    checked = review.check_language(project, lang, source_index(project))
    assert not [p for p in checked.problems if p.path == rel and p.severity == ERROR], \
        "these msgstrs are text: check accepts them, the renderer must keep them text"
    guide = re.search(r"^# guide: (\S+)$", path.read_text(encoding="utf-8"), re.M).group(1)
    result = Builder(project).build_language(lang, [guide])
    assert result.ok, [str(p) for p in result.all_problems()]  # verification: same structure as the source
    md = Builder(project).edition_bytes(result.editions[0].key)[f"{guide}.md"].decode("utf-8")
    env: dict = {}
    tokens = _CONSUMER.parse(md.split("\n---\n", 1)[1], env)
    assert not env.get("references")
    source = (project.source_dir / f"{guide}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    blocks = ("html_block", "fence", "code_block", "hr", "heading_open", "list_item_open", "paragraph_open", "td_open")
    kinds = lambda toks: Counter(t.type for t in toks if t.type in blocks)  # noqa: E731
    legal_in_body = any(s.legal for s in project.document(guide).segments)  # else the .md closes with it
    extra = Counter() if legal_in_body else Counter({"heading_open": 1, "paragraph_open": 1})
    assert kinds(tokens) == kinds(_CONSUMER.parse(source)) + extra
    inline_texts = ["".join(c.content for c in t.children or [] if c.type in ("text", "text_special"))
                    for t in tokens if t.type == "inline"]
    for msgstr in _msgstrs(path):
        plain = " ".join(msgstr.split())
        assert plain in inline_texts, f"{msgstr!r} is not one block's text in the .md edition"


# --- property: check refuses, or every output reads the source's numbers -----------------------------

_PROJECT = Project(REPO)
_SEGMENTS = [s for guide in _PROJECT.guides for s in _PROJECT.document(guide).segments if s.placeholders]
_JUNK = ["9", "0", "１", "٩", "९", "九", "一一九", "万", "千", "億", " lakh", " million", "²", "½", ".5", ",000",
         "&#57;", "&#x39;", "\u00ad9", "\u200c", "\u2063", "\u200f", "\u0301", "\u00a09", " 000", "$", "US$", "€",
         "円", "元", "₩", " dollars", " USD", "**9**", "*", "`9`", "\\9", "[9](#x)", "(9)", "~", "-", "+", " "]


def _seen(text: str, lang: str) -> Counter:
    return Counter(v for n in numbers(normalize(text), units(lang)) for v in [min(n.values, key=len)])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_check_refuses_or_outputs_read_the_source_numbers(data):
    segment = data.draw(st.sampled_from(_SEGMENTS))
    lang = data.draw(st.sampled_from(["ja", "de", "ar", "hi", "zh_CN", "fr"]))
    msgstr = segment.msgid
    for _ in range(data.draw(st.integers(1, 3))):
        slots = [m.start() for m in re.finditer(r"\{[a-z_0-9]+\}", msgstr)] + \
                [m.end() for m in re.finditer(r"\{[a-z_0-9]+\}", msgstr)] + [0, len(msgstr)]
        at = data.draw(st.sampled_from(slots))
        msgstr = msgstr[:at] + data.draw(st.sampled_from(_JUNK)) + msgstr[at:]
    entry = Entry(segment.msgid, msgstr, None, False, False, 10, ["python-brace-format"])
    catalog = TranslatedCatalog("x.po", lang, [entry])
    problems = runner.run(catalog, {segment.msgid: segment}, lang, _PROJECT.registry)
    if any(p.severity == ERROR for p in problems):
        return  # refused: never published
    locale = locale_for(lang)
    rendered = {name: format_value(value, locale) for name, value in segment.placeholders.items()}
    filled = fill(msgstr, rendered, True)
    source = markdown_text(fill(segment.msgid, {n: " " for n in rendered}, True))
    want = _seen(" ".join(rendered.values()), lang) + \
        Counter(min(n.values, key=len) for n in numbers(source, units("en")))
    months = Counter(min(n.values) for n in month_numbers(source))
    for output in (_text(inline_html(filled)), markdown_text(md_text(filled))):
        got = _seen(output, lang)
        assert not (got - want) - months and not (want - got), (msgstr, output, got, want)


def test_a_hostile_run_of_cjk_numerals_is_a_number_not_a_crash():
    """"一" * 5000 was an int of 5,000 digits (built in quadratic time) that str() refused (ValueError at
    check and verification); it is one number, equal only to the same text."""
    found = numbers(markdown_text("見積もり" + "一" * 5000 + "円"), units("ja"))
    assert len(found) == 1 and found[0].values == frozenset({"cjk:" + "一" * 5000}) and found[0].money
    assert _read(numbers(markdown_text("一千二百三十四万五千六百七十八"), units("ja"))) == ["12345678"]
