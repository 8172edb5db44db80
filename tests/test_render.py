"""The renderer's fast path for plain text must give exactly markdown-it's output."""
from hypothesis import given, settings, strategies as st

from workflow.editions.render import _MD, has_syntax, inline_html

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
