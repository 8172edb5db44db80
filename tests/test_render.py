"""The renderer's fast path for plain text must give exactly markdown-it's output."""
from hypothesis import given, settings, strategies as st

from workflow.render import _MD, has_syntax, inline_html

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
