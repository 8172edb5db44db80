"""The .md edition's parse-back (pyromark, compiled) reads what markdown-it-py reads: the same
problems, structure counts and visible text, on every .md edition of the project and of a bench corpus
and on generated hostile Markdown; what it reads differently is pinned down below with the reason."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from workflow.editions import verify_markdown as vm
from workflow.editions.edition import Translations, build_edition
from workflow.editions.render import md_text
from workflow.editions.verify import _Source
from workflow.model import Text
from workflow.project import Project
from workflow.publishing.builder import Builder

from conftest import REPO, copy_project

# --- the plain route (markdown-it-py, as the verification read the .md edition before) is the reference --

_PY = MarkdownIt("commonmark", {"html": True}).enable("table")


def _readings(markdown: str, structure: Counter = Counter(), links: frozenset = frozenset()):
    """(problems, visible text) of both readings."""
    results = []
    for compiled in (False, True):
        problems: list = []
        visible = vm.verify_markdown(markdown, structure, set(links), lambda *problem: problems.append(problem),
                                     compiled)
        results.append((problems, visible))
    return results


def _lines(visible: str) -> list[str]:
    return [line.strip() for line in visible.split("\n") if line.strip()]


def assert_same_reading(markdown: str, structure: Counter = Counter(), links: frozenset = frozenset()) -> None:
    """The same problems; the same visible text but for whitespace at a block's edges: markdown-it-py
    strips a paragraph or heading with str.strip() (NBSP, U+3000 too), CommonMark only spaces and tabs,
    as pulldown-cmark does; and an indented code block at the very end of the input ends with a line break
    in markdown-it-py, not in pulldown-cmark. Blocks end with a line break either way, so neither can join
    or split a number."""
    (plain, plain_text), (compiled, compiled_text) = _readings(markdown, structure, links)
    assert [p[:1] + (p[1].replace("\\n'", "'"),) + p[2:] for p in compiled] == \
        [p[:1] + (p[1].replace("\\n'", "'"),) + p[2:] for p in plain]
    assert _lines(compiled_text) == _lines(plain_text)


# --- (a) every .md edition of the project and of a bench corpus -----------------------------------------

def _editions(root) -> list[tuple[str, Counter, set]]:
    project = Project(root)
    builder = Builder(project)
    found = []
    for lang in project.languages:
        result = builder.build_language(lang, project.guides)
        for edition in result.editions:
            md = builder.edition_bytes(edition.key)[f"{edition.guide}.md"].decode("utf-8")
            found.append((md, edition.guide, project))
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), str(out / "c"), "--guides", "4",
                    "--langs", "ja,ar,de", "--jobs", "1"], check=True, capture_output=True)
    return out / "c"


def test_every_markdown_edition_reads_the_same(tmp_path, corpus):
    editions = _editions(copy_project(tmp_path / "repo")) + _editions(corpus)
    assert len(editions) >= 5 * 3 + 3 * 4  # 5 languages x 3 guides, 3 x 4
    for md, guide, project in editions:
        source = _Source(project.document(guide))
        # against the guide's own structure and links (no problem expected), and against none (every count
        # and every link is then a problem: both readings must report the same ones)
        plain, compiled = _readings(md, source.structure, frozenset(source.links))
        assert compiled == plain  # exactly the same; the .md edition may add the disclaimer after the body:
        assert {p[2] for p in plain[0]} <= {"verify.structure"}
        assert_same_reading(md)


# --- (b) generated hostile Markdown --------------------------------------------------------------------

_PIECES = [
    "# ", "## ", "Setext\n===\n", "Under\n---\n", "- ", "* ", "+ ", "1. ", "2) ", "  ", "    ", "\t", "> ", "\n", "\n\n",
    "```\n", "~~~\n", "    code 119\n", "`119`", "``1`9``", "`", "<div>", "</div>", "<b>", "</b>", "<!-- x -->",
    "<script>alert(1)</script>", "<http://a.example/1>", "<a@b.example>", "[x](http://a.example/5)",
    "[y](/rel?q=1 \"t\")", "![alt 5](i.png)", "![a **1**](<p q.png>)", "[s](javascript:alert(1))",
    "[d](data:image/png;base64,AA)", "[v](VBSCRIPT:x)", "[r]: /u\n", "[R]", "[r]", "[ref]: <http://t.example>\n",
    "&amp;", "&#49;", "&#x31;9", "&nbsp;", "&bogus;", "\\", "\\*", "\\[", "*", "**", "_", "__", "***bold***", "**119**",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "| x |\n|:-:|\n", " | ", "\\|", "lazy", "119", "1,339", "5 000", "USD 5,000",
    "\u00a0", "\u3000", "一一九", "価格は", "日本", "x", "a b", "  \n", "\\\n", "---\n", "***\n", "=", "\r\n", "é",
]
hostile = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


def _attacks(problems) -> list:
    return [p for p in problems if p[2] != "verify.structure"]


@settings(max_examples=1500, deadline=None)
@given(hostile)
def test_hostile_markdown_hides_no_attack(markdown):
    """Raw HTML, links, images and definitions: exactly the same problems on any Markdown (where the body
    holds such syntax the plain route reads it: verify_markdown._links_or_html)."""
    (plain, _), (compiled, _) = _readings(markdown)
    assert _attacks(compiled) == _attacks(plain)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_reads_the_same(markdown):
    assert_same_reading(markdown)


_GUIDE = Project(REPO).document("korean-stem-cell-therapy-2026")
_MSGIDS = sorted({s.msgid for s in _GUIDE.segments if not s.placeholders})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_MSGIDS), hostile), max_size=12))
def test_hostile_translations_read_the_same(translated):
    """What a translator controls, the texts of an edition (the renderer writes the blocks): the
    same problems and visible text, whatever the texts hold."""
    project = Project(REPO)
    edition = build_edition(_GUIDE, "ja", Translations(guide=dict(translated)), project.registry,
                            project.templates_dir, ["en", "ja"])
    md = edition.files["korean-stem-cell-therapy-2026.md"].decode()
    assert_same_reading(md, _Source(_GUIDE).structure)


def test_where_the_parsers_disagree_on_malformed_markdown():
    """On Markdown the renderer never writes (a block starting on the line right after a quote or a
    table), the two parsers read differently; no attack hides there (test above), only the structure
    and text differ, and the source's structure then fails one reading or both. Pinned examples:
    - "> x\n2) y": a list starting at 2 cannot interrupt a paragraph, so by CommonMark the line is
      a lazy continuation of the quote's paragraph: markdown-it-pyrs read that, markdown-it-py (and
      pulldown-cmark) a list;
    - a table followed directly by "2) x": GFM ends a table at the start of another block (a list):
      markdown-it-py does, markdown-it-pyrs (markdown-it 13's table rule) read one more row.
    The red team made an edition pass the compiled reading with the source's structure that way, so such
    a body now goes the plain route (verify_markdown._MAY_INTERRUPT; tests/test_verify_redteam.py)."""
    assert "ordered_list_open" in [t.type for t in _PY.parse("> x\n2) y")]
    for body in ("> x\n2) y", "| a |\n|---|\n2) x"):
        assert vm._compiled_body(body) is None
        assert_same_reading(body)


def _problems(markdown: str, structure: Counter = Counter(), links: set | None = None) -> list:
    problems: list = []
    vm.verify_markdown(markdown, structure, links or set(), lambda *problem: problems.append(problem))
    return problems


def test_what_the_compiled_parser_cannot_read_safely_is_read_plain():
    """markdown-it-pyrs, the compiled parser before, had no nesting limit and overflowed the C stack at
    ~100,000 levels, and panicked on some input: the plain route reads those (markdown-it-py stops nesting at
    20 levels; pyromark does not recurse). In a child process: a crash must fail this test, not the suite."""
    code = r"""
from collections import Counter
from workflow.editions import verify_markdown as vm
for body in ("> " * 300000 + "x", "- " * 100000 + "x", "*" * 100000 + "x" + "*" * 100000, "[" * 200000 + "x",
             "a\n" + "".join(" " * (2 * i) + "- x\n" for i in range(3000)), "see [`"):
    assert vm._compiled_body(body) is None, body[:20]
    readings = []
    for compiled in (False, True):
        problems = []
        visible = vm.verify_markdown(body, Counter(), set(), lambda *p: problems.append(p), compiled)
        readings.append((problems, visible))
    assert readings[0] == readings[1], body[:20]
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_what_a_source_may_nest_is_read():
    nested = "".join("  " * depth + "- item 1\n" for depth in range(9))  # markdown-it-py's limit
    assert vm._read(nested, set()).compiled
    assert_same_reading(nested)
    assert vm._read("**" * 2000 + "x" + "**" * 2000, set()).compiled


def test_reference_links_are_resolved():
    """Both readings resolve [r] through a definition (the old block-then-inline reading lost them)."""
    problems = _problems("[r]: http://t.example/p\n\nsee [r]\n", Counter({"p": 1}))
    assert [p[1] for p in problems] == ["Markdown: link reference definition(s) ['R']",
                                        "Markdown: link to 'http://t.example/p' is not in the source"]
    assert_same_reading("[r]: http://t.example/p\n\nsee [r]\n")


def test_links_and_html_are_read_by_the_plain_route():
    """a compiled parser may write a host name percent-encoded, markdown-it-py writes it in punycode
    (CommonMark leaves it to the renderer); links are read by markdown-it-py on both sides, source and edition."""
    for body in ("see [a](b)", "![a](b)", "[r]: /u", "<b>", "<http://a.example>", "x\n\n<div>\n"):
        assert vm._compiled_body(body) is None
    text = Text(template="See [the clinic](http://münchen.example/x) today.", placeholders={}, segment=None)
    links = vm.source_links([text])
    assert links == {"http://xn--mnchen-3ya.example/x"}
    assert _problems("See [the clinic](http://münchen.example/x) today.\n", Counter({"p": 1}), links) == []
    other = _problems("See [the clinic](http://münchen.example/y) today.\n", Counter({"p": 1}), links)
    assert [p[2] for p in other] == ["verify.markdown"]


def test_source_links_are_the_links_markdown_it_py_finds():
    """in each source text as the .md edition writes it (md_text): "<d e>" is text there, not a link"""
    project = Project(REPO)
    for guide in project.guides:
        source = _Source(project.document(guide))
        assert source.links == set()  # the guides link nowhere today: any link in an edition is refused
    texts = [Text(template=t, placeholders={}, segment=None) for t in
             ("[a](http://a.example/1 \"t\") and ![b](/i.png)", "x [c](<d e>) y", "[s](javascript:x)", "plain")]
    want = set()
    for text in texts:
        want |= {c.attrs.get("href") or c.attrs.get("src") for c in _PY.parseInline(md_text(text.template))[0].children
                 if c.type in ("link_open", "image")}
    assert vm.source_links(texts) == want == {"http://a.example/1", "/i.png"}


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["]", "(", "](", "]\n(", "] (", "<", "`", "\\", "#", "# ", "1. ", "- ", "[r]: ", "|",
                                 "\n", " ", "javascript:", "x", "1", "*", "\u00a0"]), max_size=12).map("".join))
def test_source_links_skip_only_texts_md_text_writes_no_link_in(template):
    """source_links looks only at templates holding "](": md_text inserts, escapes and collapses
    whitespace, so it never writes a "](" the text lacks."""
    for heading in (False, True):
        assert "](" not in md_text(template, heading) or "](" in template
