"""Red team, round 10: the .md edition's parse-back through the compiled parser's HTML (editions/mdhtml.py,
_mdhtml.c; markdown-it-pyrs then, pyromark now) must read exactly what the plain route (its reference) reads,
and what a reader sees.

Finding: in a tight list item's text, a soft break between two inline tags ("</strong>\\n<strong>") was
dropped: "- **1**\\n  **19**" showed a reader "1 19" and the HTML route read "119" (an emergency number the
reader does not see), where the tree walk reads "1 19"."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from workflow.editions import mdhtml, verify_markdown as vm

from test_verify_mdhtml import assert_same


def _reading(body: str, compiled: bool) -> tuple:
    reader = vm._read(body, set(), compiled)
    return (+reader.counts, "".join(reader.out), reader.problems, reader.references, reader.hrefs)


def _both_routes(html: str):
    return mdhtml.read_html_py(html), mdhtml.read_html(html)


def test_a_soft_break_between_inline_tags_in_a_tight_item_is_a_space():
    for body, text in {"- **1**\n  **19**\n": "1 19\n", "* *1*\n*19*\n": "1 19\n",
                       "- Call **1**\n  **19** now\n- x\n": "Call 1 19 now\nx\n",
                       "1. _1_\n   __19__\n   - b\n": "1 19\nb\n",
                       "> - **1**\n>   **19**\n": "1 19\n"}.items():
        html = vm._COMPILED.html(body)
        assert "</em>\n<" in html or "</strong>\n<" in html  # the case: a soft break between two tags
        py, compiled = _both_routes(html)
        assert py is not None and py == compiled, body
        assert py[1] == [text], body
        assert _reading(body, True) == _reading(body, False), body
        assert _reading(body, True)[1] == text


def test_verify_markdown_does_not_see_a_number_the_reader_does_not():
    structure = Counter({"li": 1, "p": 1})
    failed = []
    text = vm.verify_markdown("- **1**\n  **19**\n", structure, set(), lambda *a: failed.append(a))
    assert not failed and "119" not in text and text == "1 19\n"


# a grammar of what the fuzz found it in: tight and loose items, nested, inline tags next to line breaks
_INLINE = st.sampled_from(["119", "1", "9", "a", " ", "*x*", "**1**", "_19_", "__9__", "***y***", "\\*", "&amp;",
                           "&copy;", "  \n", "\\\n", "\n", "\u00a0", "一"])
_MARKS = st.sampled_from(["- ", "* ", "1. ", "2) ", "> ", "- > ", "  - ", "    - "])


@st.composite
def _items(draw) -> str:
    out = []
    for _ in range(draw(st.integers(1, 5))):
        mark = draw(_MARKS)
        text = "".join(draw(st.lists(_INLINE, min_size=1, max_size=6)))
        indent = " " * len(mark) if draw(st.booleans()) else ""
        out.append(mark + text.replace("\n", "\n" + indent) + "\n" + draw(st.sampled_from(["", "", "\n"])))
    return "".join(out)


@settings(max_examples=3000, deadline=None)
@given(_items())
def test_list_items_with_inline_tags_across_lines_are_read_as_markdown_it_py_reads_them(body):
    if vm._compiled_body(body) is None:
        return
    assert_same(body)  # and the compiled HTML reading is its Python reference's


# --- start-up and caches (item 4) ---------------------------------------------------------------------------

def _code_version(package) -> str:
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-c", "from workflow.project import code_version; print(code_version())"],
                          env={"PYTHONPATH": str(package), "PATH": ""}, capture_output=True, text=True,
                          check=True, cwd=package).stdout.strip()


def test_a_change_to_a_compiled_route_changes_the_cache_keys(tmp_path):
    """A fix to a C file alone (_mdhtml.c) must not keep the sealed .cache/checks and .cache/editions entries
    its old code checked and verified: code_version() hashes the C sources too (red team, round 10)."""
    import shutil
    from conftest import REPO
    versions = []
    for name, extra in (("a", ""), ("b", "\n/* a fix of the compiled reading */\n")):
        shutil.copytree(REPO / "workflow", tmp_path / name / "workflow",
                        ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        with open(tmp_path / name / "workflow" / "editions" / "_mdhtml.c", "a") as f:
            f.write(extra)
        versions.append(_code_version(tmp_path / name))
    assert versions[0] != versions[1]
