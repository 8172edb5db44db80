"""Fuzz and property tests (issue 7): the PO reader and the Markdown segmenter raise nothing but WorkflowError,
finish quickly; identity catalogs build editions equal to the English one."""
from __future__ import annotations

import re

import yaml
from hypothesis import HealthCheck, example, given, settings, strategies as st

from workflow.catalogs import parser, reader, writer
from workflow.editions.edition import Translations, build_edition
from workflow.editions.facts import Registry
from workflow.model import WorkflowError
from workflow.editions.segment import segment

from conftest import REPO

REGISTRY = Registry.from_dict(yaml.safe_load((REPO / "source" / "facts.yaml").read_text(encoding="utf-8")))
TEMPLATES = REPO / "templates"
REAL_PO = (REPO / "locales" / "ja" / "LC_MESSAGES" / "knee-osteoarthritis-stem-cells.po").read_bytes()
# a slice of a real catalog: small enough that hundreds of mutations stay fast
SMALL_PO = REAL_PO[:REAL_PO.index(b"\n\n", 6000) + 2]
FAST = settings(max_examples=150, deadline=10000, suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(data: bytes) -> None:
    try:
        cat = reader.read(data, "fuzz.po")
    except WorkflowError as exc:
        assert exc.problems, "a refusal must carry problems with lines"
        for p in exc.problems:
            assert p.path == "fuzz.po" and p.line >= 1
        return
    for entry in cat.entries:
        assert isinstance(entry.msgid, str) and isinstance(entry.msgstr, str) and entry.line >= 1


# --- (a) the PO reader ---------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=2000))
@example(b"\xff\xfe")
@example(b'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=99; plural=n;\\n"\n')
@example(b'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\n')
@example(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=n;\\n"\n\n'
         b'msgid "a"\nmsgid_plural "b"\nmsgstr[1] "x"\nmsgstr[0] "y"\n')
def test_reader_on_arbitrary_bytes(data):
    read_or_refuse(data)


PO_ALPHABET = st.sampled_from(['msgid ', 'msgstr ', 'msgctxt ', 'msgid_plural ', 'msgstr[0] ', 'msgstr[1] ', 'msgstr[x] ',
                               '"', '\\', '\\n', '\\q', '\n', '#~ ', '#, fuzzy\n', '#| msgid "', '# ', '#. ', 'a', ' ',
                               '{price}', '\x00', '\u202e', '\u200b', 'é', '漢', '\r'])


@FAST
@given(st.lists(PO_ALPHABET, max_size=80).map("".join))
def test_reader_on_po_shaped_text(text):
    read_or_refuse(text.encode("utf-8"))


@st.composite
def mutated_po(draw):
    data = bytearray(SMALL_PO)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "dup-line", "drop-line"]))
        pos = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[pos] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[pos:pos + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[pos:pos] = draw(st.sampled_from([b'"', b"\\", b"\n", b"msgstr ", b"msgid ", b"\x00", b"\xe2\x80\xae",
                                                  b"#~ ", b"msgstr[0] ", b"\xc3", b"{", b"%s"]))
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i + 1] = [lines[i], lines[i]] if kind == "dup-line" else []
            data = bytearray(b"\n".join(lines))
        if not data:
            break
    return bytes(data)


@FAST
@given(mutated_po())
def test_reader_on_mutated_real_catalog(data):
    read_or_refuse(data)


@settings(max_examples=60, deadline=10000)
@given(mutated_po())
@example(b"#~ \n")
@example(b"#\x01comment\nmsgid \"a\"\nmsgstr \"b\"\n")
def test_refusals_always_name_a_line(data):
    """Whatever refuses a catalog (the strict lexer, or polib behind it), the translator gets file:line."""
    problems = parser.validate(data, "fuzz.po")
    try:
        reader.read(data, "fuzz.po")
    except WorkflowError as exc:
        assert exc.problems and all(p.line >= 1 and p.check.startswith("po.") for p in exc.problems)
        if not problems:  # the lexer passed it: polib refused, and read() still reports a line
            assert [p.check for p in exc.problems] == ["po.syntax"]
    else:
        assert not problems


# --- (b) the Markdown segmenter ---------------------------------------------------------------------

MD_PIECES = st.sampled_from([
    "# ", "## ", "- ", "  - ", "1. ", "> ", "| ", " | ", "|---|---|\n", "---\n", "```\n", "    ", "\n", "\n\n",
    "**", "*", "_", "[", "](", ")", "![", "`", "<script>", "</b>", "{{ 7*7 }}", "{%", "{", "}", "$5,000", "119",
    "1339", "USD ", "~$", " - $", "\\", "&amp;", "word", "Stem cell", "漢字", "\u202e", "\t", "\r\n", ":", "'", '"',
])
TITLES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@st.composite
def guide_text(draw):
    body = "".join(draw(st.lists(MD_PIECES, max_size=60)))
    title = draw(TITLES)
    date = draw(st.sampled_from(["2026-01-15", "2026-13-45", "tomorrow", "", "[1, 2]", "2026-01-15T10:00:00"]))
    front = draw(st.sampled_from([
        f"---\ntitle: {title!r}\ndate: {date}\n---\n",
        f"---\ntitle: {title}\ndate: {date}\nexcerpt: {title}\n---\n",
        "---\ntitle: [a\n---\n", "---\n---\n", "", "---\ntitle: x\n",
    ]))
    return front + body


@settings(max_examples=200, deadline=10000, suppress_health_check=[HealthCheck.too_slow])
@given(guide_text())
def test_segmenter_raises_only_workflow_error(text):
    try:
        doc = segment(text, "source/fuzz.md", "fuzz", REGISTRY)
    except WorkflowError as exc:
        assert str(exc).startswith("source/fuzz.md:"), str(exc)
        return
    for seg in doc.segments:
        assert seg.msgid and seg.line >= 1


@settings(max_examples=100, deadline=10000)
@given(st.text(max_size=300))
@example("---\ntitle: x\ndate: 2026-13-45\n---\n")
@example("---\ntitle: x\ndate: next spring\n---\n")
def test_segmenter_on_arbitrary_text(text):
    for candidate in (text, "---\ntitle: t\ndate: 2026-01-01\n---\n" + text):
        try:
            segment(candidate, "source/fuzz.md", "fuzz", REGISTRY)
        except WorkflowError:
            pass


# --- (c) property: msgstr = msgid gives the English edition -----------------------------------------

BLOCK = st.sampled_from([
    "## Heading {w}", "Paragraph with **{w}** and *{w}* and a [link](https://example.com/{w}).",
    "- item {w}\n- item two {w}\n  - nested {w}", "1. first {w}\n2. second {w}",
    "| Col {w} | Price |\n|---|---:|\n| row {w} | $5,000 |\n| other {w} | USD $300 - $1,200 |",
    "> quoted {w}", "Call 119 or 1339 for {w}.", "Costs ~$10,922 for {w}.", "```\ncode {w}\n```", "---",
    "Text with <b>raw</b> {w} and {{{{ 7*7 }}}}", "Image ![alt {w}](pic.png) here.",
])
WORDS = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), max_codepoint=0x3000), min_size=1, max_size=8)


@st.composite
def identity_case(draw):
    blocks = draw(st.lists(st.tuples(BLOCK, WORDS), min_size=1, max_size=8))
    body = "\n\n".join(b.format(w=w) for b, w in blocks)
    title = draw(WORDS)
    text = f'---\ntitle: "Guide {title}"\ndate: 2026-01-15\nexcerpt: "About {title}"\ncategory: Test\n---\n\n{body}\n'
    return text, draw(st.floats(0, 1)), draw(st.randoms(use_true_random=False))


def _md_without_lang(files: dict, guide: str) -> str:
    return re.sub(r'^lang: .*$', "lang: -", files[f"{guide}.md"].decode("utf-8"), count=1, flags=re.M)


@settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(identity_case())
def test_identity_catalog_builds_the_english_edition(case):
    """Any subset of entries translated as msgstr = msgid (the rest fall back): same Markdown as English.

    en_US formats prices like en, so the only difference allowed is the `lang` field of the front matter.
    """
    text, share, rnd = case
    doc = segment(text, "source/prop.md", "prop", REGISTRY)
    msgids = sorted({s.msgid for s in doc.segments})
    chosen = {m: m for m in msgids if rnd.random() < share}
    english = build_edition(doc, "en", Translations(), REGISTRY, TEMPLATES, ["en", "en_US"])
    other = build_edition(doc, "en_US", Translations(guide=chosen), REGISTRY, TEMPLATES, ["en", "en_US"])
    assert _md_without_lang(other.files, "prop") == _md_without_lang(english.files, "prop")
    assert 'lang: "en_US"' in other.files["prop.md"].decode()


def test_identity_catalogs_of_real_guides_through_po_files(tmp_path):
    """The real guides: write PO files with msgstr = msgid, read them strictly, build: same Markdown as English."""
    from babel.messages.pofile import read_po
    import io
    from workflow.project import Project
    project = Project(REPO)
    for guide in project.guides:
        doc = project.document(guide)
        template = writer.template_for(doc, epoch=0)
        po = read_po(io.BytesIO(writer.init(template, "en_US", epoch=0)))
        for message in po:
            if message.id:
                message.string = message.id
        buf = io.BytesIO()
        from babel.messages.pofile import write_po
        write_po(buf, po, width=76)
        cat = reader.read(buf.getvalue(), f"locales/en_US/LC_MESSAGES/{guide}.po")
        translations = Translations.from_entries(cat.lookup(), {})
        assert set(translations.guide) == {s.msgid for s in doc.segments}
        english = build_edition(doc, "en", Translations(), project.registry, TEMPLATES, ["en", "en_US"])
        other = build_edition(doc, "en_US", translations, project.registry, TEMPLATES, ["en", "en_US"])
        assert _md_without_lang(other.files, guide) == _md_without_lang(english.files, guide), guide
        assert other.summary["coverage"] == 1.0 and other.summary["fallback_passages"] == 0
