"""The renderer's fast path for plain text must give exactly markdown-it's output."""
import re

from hypothesis import given, settings, strategies as st
from markupsafe import escape

from workflow.editions.render import _MD, anchor, has_syntax, inline_html

plain = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80) \
    .map(lambda t: " ".join(t.split()))


@settings(max_examples=400)
@given(plain)
def test_plain_text_fast_path_matches_markdown_it(text):
    if not has_syntax(text):
        assert str(inline_html(text)) == _MD.renderInline(text)


def test_markup_still_goes_through_markdown_it():
    assert str(inline_html("**bold** <script>x</script> [a](javascript:alert(1))")) == \
        '<strong>bold</strong> &lt;script&gt;x&lt;/script&gt; [a](javascript:alert(1))'


# Text made of the pieces that decide CommonMark emphasis: stars, spaces, punctuation, letters, digits.
starry = st.lists(st.sampled_from(["**", "*", "***", " ", "a", "Z", "7", "é", "語", ".", ",", "(", ")", "-", "：",
                                   "（", '"', ">", "'", "$", "€", "%", "\u00a0", "\u3000", "\u2003", "\t", "word",
                                   "two words", "**word:**", "**(x)**"]),
                  max_size=14).map("".join)


@settings(max_examples=3000)
@given(starry)
def test_strong_fast_path_matches_markdown_it(text):
    from workflow.editions.render import inline_plain
    assert str(inline_html(text)) == _MD.renderInline(text)
    tokens = _MD.parseInline(text)[0].children or []
    assert inline_plain(text) == "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def test_strong_fast_path_is_taken_for_real_guide_texts(tmp_path):
    from workflow.editions.render import _strong_spans
    assert _strong_spans("Cost: **USD 5,000** per **knee** (2026)") is not None
    assert _strong_spans("**成体幹細胞（体性幹細胞）：** 骨髄") is not None
    assert _strong_spans("**bold*** text") is None and _strong_spans("** not bold**") is None
    assert _strong_spans("a**:b**") is None  # opener after a letter, before punctuation: not left-flanking


def _anchors_by_rescan(texts):
    """The reference: try base, base-2, base-3... against every name given so far."""
    used, out = set(), []
    for text in texts:
        base = anchor(text, {})
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        out.append(name)
    return out


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["Costs", "costs", "Costs 2", "costs-2", "Costs-3", "Costs 2-2", "", "!", "section",
                                 "section 2", "Q&A", "q-a"]), max_size=30))
def test_anchors_are_the_first_free_name(texts):
    used = {}
    assert [anchor(t, used) for t in texts] == _anchors_by_rescan(texts)


@settings(max_examples=1000)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))) | st.sampled_from(
    ['Q&A', '<b>"x"</b>', "it's", "a > b", "&amp;"]), max_size=5))
def test_anchors_need_no_escaping(texts):
    # the body writer prints anchors without escape() (body._BodyWriter.heading): word characters and '-'
    used = {}
    for text in texts:
        name = anchor(text, used)
        assert str(escape(name)) == name and re.fullmatch(r"[\w-]+", name)


class _Probes(dict):
    probes = 0

    def __contains__(self, key):
        _Probes.probes += 1
        return super().__contains__(key)


def test_equal_headings_cost_probes_linear_in_their_number():
    used, k = _Probes(), 2000
    names = [anchor("Costs", used) for _ in range(k)]
    assert names == ["costs"] + [f"costs-{n}" for n in range(2, k + 1)]
    assert _Probes.probes <= 2 * k   # the rescan made k * k / 2


# Text made of what decides the fast paths: a lone '!' or '&' (text) against "![" and entities, line
# breaks with spaces around them (markdown-it trims them, "  \n" is a <br />), CR, NUL, bold pairs.
edgy = st.lists(st.sampled_from(["!", "[", "]", "(x)", "&", "#", "x", "49", ";", "amp", "copy", "&amp;", "&#49;",
                                 "&#x31;", "&nbsp;", "&foo;", "&A;", " ", "  ", "\n", "\r", "\r\n", "\x00", "\\", "**",
                                 "**b**", "*", ">", '"', "'", "<", "é", "\t", "word"]),
                max_size=12).map("".join)


@settings(max_examples=4000)
@given(edgy)
def test_inline_fast_paths_match_markdown_it_on_entities_bangs_and_line_breaks(text):
    from workflow.editions.render import inline_plain
    assert str(inline_html(text)) == _MD.renderInline(text)
    tokens = _MD.parseInline(text)[0].children or []
    assert inline_plain(text) == "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def test_a_lone_ampersand_or_bang_takes_the_fast_path():
    from workflow.editions.render import _INLINE_SYNTAX, _strong_spans
    assert not _INLINE_SYNTAX.search("Dr. Kim & Partners - great!")
    assert _strong_spans("**Q&A!** see below") is not None
    assert _INLINE_SYNTAX.search("a &amp; b") and _INLINE_SYNTAX.search("![x](y)") and _INLINE_SYNTAX.search("a  \nb")


def test_the_quick_character_classes_hold_every_start_of_inline_syntax():
    from workflow.editions.render import _INLINE_SYNTAX, _NOT_STRONG_CHARACTERS, _NOT_STRONG_ONLY, _inline_characters
    for code in range(0x110000):
        if _INLINE_SYNTAX.match(chr(code) + "[#a;"):
            assert _inline_characters(chr(code)), hex(code)
        if _NOT_STRONG_ONLY.match(chr(code) + "[#a;"):
            assert _NOT_STRONG_CHARACTERS.match(chr(code)), hex(code)


@settings(max_examples=4000)
@given(edgy | st.text())
def test_the_strong_gate_by_substrings_is_the_pattern(text):
    from workflow.editions.render import _NOT_STRONG_ONLY, _not_strong_only
    for probe in (text, "**" + text + "**", text + "x&#1;", "![" + text):
        assert _not_strong_only(probe) == (_NOT_STRONG_ONLY.search(probe) is not None), repr(probe)


def test_the_strong_gate_on_every_character():
    from workflow.editions.render import _NOT_STRONG_ONLY, _not_strong_only
    for code in range(0x110000):
        for probe in (chr(code), chr(code) + "[", "&" + chr(code) + ";", "&a" + chr(code) + ";"):
            assert _not_strong_only(probe) == (_NOT_STRONG_ONLY.search(probe) is not None), hex(code)


# The same with *emphasis* spans next to **strong** ones (render._emphasis_spans): runs of one and two
# stars, touching or not, around letters, punctuation and spaces of every kind.
emphatic = st.lists(st.sampled_from(["*", "**", "*word*", "*(x)*", "*Note:*", "**b**", " ", "a", "7", "é", "語",
                                     ".", ":", "(", ")", "：", "\u00a0", "\u3000", "\t", "two words", "·"]),
                    max_size=12).map("".join)


@settings(max_examples=4000)
@given(emphatic)
def test_emphasis_fast_path_matches_markdown_it(text):
    from workflow.editions.render import inline_plain
    assert str(inline_html(text)) == _MD.renderInline(text)
    tokens = _MD.parseInline(text)[0].children or []
    assert inline_plain(text) == "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def test_emphasis_fast_path_is_taken_for_guide_notes():
    from workflow.editions.render import _emphasis_spans, _strong_spans
    assert _emphasis_spans("*Note: prices vary* and **USD 5,000** (2026)") is not None
    assert _strong_spans("*Note: prices vary*") is None   # the checks' and the number reading's route: bold only
    assert _emphasis_spans("*a **b***") is None and _emphasis_spans("* a*") is None


def _markdown_text_parsed(text: str) -> str:
    """visible.markdown_text's reading through markdown-it (its route for any other syntax)."""
    from workflow.editions.visible import normalize
    tokens = _MD.parseInline(text)[0].children or []
    return normalize("".join(t.content if t.type in ("text", "code_inline", "text_special") else " "
                             if t.type in ("softbreak", "hardbreak") else "" for t in tokens))


@settings(max_examples=4000)
@given(emphatic)
def test_visible_text_of_emphasis_matches_markdown_it(text):
    from workflow.editions.visible import markdown_text
    assert markdown_text(text) == _markdown_text_parsed(text)


def test_visible_text_of_every_project_line_matches_markdown_it():
    from test_fast_routes import _project_texts
    from workflow.editions.visible import markdown_text
    lines = {line for text in _project_texts() for line in text.split("\n")}
    assert any("*Note" in line for line in lines)
    for line in lines:
        assert markdown_text(line) == _markdown_text_parsed(line), repr(line)


def test_visible_text_of_guide_notes_takes_no_parse():
    """markdown_text reads "*Note: ...*" and table captions as inline_plain does, without markdown-it."""
    from unittest import mock
    from workflow.editions import visible
    with mock.patch.object(visible._INLINE, "parseInline", side_effect=AssertionError("parsed")):
        assert visible.markdown_text("*Table 4: Common Injuries* and **USD 5,000**") == "Table 4: Common Injuries and USD 5,000"
        assert visible.markdown_text("*Note: prices vary (2026)*") == "Note: prices vary (2026)"
    assert visible.markdown_text("*a **b***") == _markdown_text_parsed("*a **b***")  # not a fast-path text


# JSON values as editions hold them and others: every string kind json escapes, nesting, the kinds the writer
# hands to json.dumps (tuples, NaN, keys not strings, a str subclass)
_json_scalars = st.one_of(st.text(max_size=30), st.booleans(), st.none(), st.integers(), st.floats(allow_nan=True),
                          st.sampled_from(["\x00\x1f\x7f\"\\\n\r\t\u2028\ud800 ⟦é⟧ 語 😀", "", "x" * 200]))
_json_values = st.recursive(_json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner), st.dictionaries(st.text(max_size=8), inner, max_size=4),
    st.dictionaries(st.integers(), inner, max_size=3)), max_leaves=12)


@settings(max_examples=1500)
@given(_json_values)
def test_edition_json_is_json_dumps(value):
    import json
    from workflow.editions.edition import edition_json
    assert edition_json(value) == json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


@settings(max_examples=500)
@given(_json_values)
def test_front_matter_values_are_json_dumps(value):
    import json
    from workflow.editions.render import _front_value
    assert _front_value(value) == json.dumps(value, ensure_ascii=False)
    class Tagged(str):
        pass
    assert _front_value(Tagged("a\n")) == json.dumps(Tagged("a\n"), ensure_ascii=False)
