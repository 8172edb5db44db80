"""Bad source guides and bad names (faults.md items 12, 13, 14, 28).

tests/data/guides/bad.*.md end with `<!-- expect: LINE CHECK -->`: segmenting them must raise WorkflowError
whose message is `path:LINE: error: ... [CHECK]`. hostile.injection.md is a valid guide full of HTML and
template syntax that must come out escaped and unevaluated.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from workflow import names
from workflow.editions.facts import Registry
from workflow.model import WorkflowError
from workflow.project import Project
from workflow.publishing.store import verify_release
from workflow.editions.segment import segment

from conftest import REPO, copy_project

DATA = Path(__file__).parent / "data" / "guides"
BAD = sorted(DATA.glob("bad.*.md"))
REGISTRY = Registry.from_dict(yaml.safe_load((REPO / "source" / "facts.yaml").read_text(encoding="utf-8")))
_EXPECT = re.compile(r"<!-- expect: (\d+) ([\w.-]+) -->")
GUIDES = ["knee-osteoarthritis-stem-cells", "korean-stem-cell-therapy-2026", "soft-tissue-injury-stem-cells"]
LANGS = ["ar", "en_XA", "es", "ja", "zh_CN"]


def expect(path: Path) -> tuple[int, str]:
    m = _EXPECT.search(path.read_text(encoding="utf-8"))
    assert m, f"{path.name} has no <!-- expect: LINE CHECK --> line"
    return int(m.group(1)), m.group(2)


def assert_error_at(exc: WorkflowError, rel: str, line: int, check: str):
    text = str(exc)
    assert re.match(rf"^{re.escape(rel)}:{line}: error: .+ \[{re.escape(check)}\]$", text), \
        f"expected {rel}:{line}: error: ... [{check}], got {text!r}"


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_guide_error_names_file_and_line(path):
    line, check = expect(path)
    rel = f"source/{path.name}"
    with pytest.raises(WorkflowError) as info:
        segment(path.read_text(encoding="utf-8"), rel, "bad-guide", REGISTRY)
    assert_error_at(info.value, rel, line, check)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_guide_fails_cli_with_file_and_line(tmp_path, run_cli, path):
    """Through the CLI: `check` on a project holding the bad guide prints file:line once, checks the other
    guides and exits 1 (tests/test_broken_guide.py)."""
    project = copy_project(tmp_path / "project", languages=["ja"])
    shutil.copy(path, project / "source" / "bad-guide.md")
    line, check = expect(path)
    code, out, err = run_cli(project, "check")
    assert code == 1, err
    assert len(re.findall(rf"^source/bad-guide\.md:{line}: error: .+ \[{re.escape(check)}\]$", out, re.M)) == 1, out


@pytest.mark.parametrize("where", ["front matter", "body"])
def test_nul_byte_in_guide(where):
    text = (DATA / "hostile.injection.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = 2 if where == "front matter" else 12
    lines[at - 1] = lines[at - 1][:5] + "\x00" + lines[at - 1][5:]
    with pytest.raises(WorkflowError) as info:
        segment("\n".join(lines), "source/nul.md", "nul", REGISTRY)
    assert_error_at(info.value, "source/nul.md", at, "source.encoding")


def test_invalid_utf8_guide_names_its_line(tmp_path):
    project = copy_project(tmp_path / "project", languages=[])
    data = (DATA / "hostile.injection.md").read_bytes().replace(b"A paragraph with", b"A p\xe4ragraph with")
    (project / "source" / "latin.md").write_bytes(data)
    line = data[:data.index(b"\xe4")].count(b"\n") + 1
    with pytest.raises(WorkflowError) as info:
        Project(project).document("latin")
    assert_error_at(info.value, "source/latin.md", line, "source.encoding")


def test_unsupported_block_is_an_error_not_a_crash():
    """Everything markdown-it can produce is either handled or refused with file and line."""
    text = "---\ntitle: t\ndate: 2026-01-01\n---\n\n    indented code\n\n***\n\n```\nfenced\n```\n"
    doc = segment(text, "source/x.md", "x", REGISTRY)
    assert doc.segments[0].kind == "title"


# --- fault 12: raw HTML and template syntax in a guide come out escaped -----------------------------

@pytest.fixture(scope="module")
def hostile_release(tmp_path_factory):
    from workflow.cli import main
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project", languages=[])
    for md in (project / "source").glob("*.md"):
        md.unlink()
    shutil.copy(DATA / "hostile.injection.md", project / "source" / "hostile.md")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        code = main(["--project", str(project), "--quiet", "publish", "--lang", "en", "--format", "json"])
    assert code == 0
    current = project / "dist" / "en" / "current"
    verify_release(current)
    return current


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_hostile_guide_html_has_no_live_markup(hostile_release):
    for name in ("hostile.html", "index.html"):
        html = (hostile_release / name).read_text(encoding="utf-8")
        lower = html.lower()
        assert "<script" not in lower, name
        for tag in ("<img", "<iframe", "<svg", "<div onclick", "<b onmouseover", "<a href=\"javascript"):
            assert tag not in lower, (name, tag)
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", html), name  # no event handler attribute on any tag
        assert "javascript:" not in re.sub(r"&[a-z]+;", "", " ".join(re.findall(r"(?:href|src)=\"[^\"]*\"", html)))


def test_hostile_guide_text_is_visible_escaped(hostile_release):
    html = (hostile_release / "hostile.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in html
    text = _visible_text(html)
    for literal in ("{{ 7*7 }}", "{% if true %}yes{% endif %}", "{{ config.items() }}", "${7*7}", "#{8+8}"):
        assert literal in text, literal
    assert "Column &lt;script&gt;" in html
    assert "<title>" in html and "&lt;script&gt;alert(&#39;title&#39;)" in html.replace("&#x27;", "&#39;")


def test_markdown_edition_carries_no_raw_html(hostile_release):
    """Fault 12, "escaped in every output": the .md edition is rendered by readers' own Markdown tools."""
    from markdown_it import MarkdownIt
    from workflow.editions.frontmatter import split
    md = (hostile_release / "hostile.md").read_text(encoding="utf-8")
    meta, body, _ = split(md, "hostile.md")
    assert meta["title"].startswith("Hostile <script>")   # YAML data, not Markdown: tools escape values
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    inline = [c for t in tokens if t.children for c in t.children]
    assert [t.content for t in tokens + inline if t.type in ("html_block", "html_inline")] == []
    assert "&lt;script>" in md


def test_template_syntax_in_guide_is_never_evaluated(hostile_release):
    html = (hostile_release / "hostile.html").read_text(encoding="utf-8")
    text = _visible_text(html)
    assert "49" not in text, "{{ 7*7 }} was evaluated somewhere"
    assert "&lt;Config" not in html and "<Config" not in html
    assert "{{ config }}" in html  # the author field, printed literally
    md = (hostile_release / "hostile.md").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in md and "49" not in md
    data = json.loads((hostile_release / "hostile.json").read_text(encoding="utf-8"))
    assert "{{ 7*7 }}" in data["title"]


# --- fault 13: names -----------------------------------------------------------------------------

BAD_NAMES = ["../../x", "..", "/abs", "/etc/passwd", "a\x00b", "Guide", "JA", "ja/../../x", "x/y", "", " ja",
             "ja\n", "C:\\x", "a" * 200]


@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_bad_names_rejected(name):
    with pytest.raises(WorkflowError):
        names.check_guide_name(name)
    with pytest.raises(WorkflowError):
        names.check_lang(name)


@pytest.mark.parametrize("name", ["ja", "zh_CN", "en_XA", "pt_BR", "sr_Latn", "es_419", "ca@valencia"])
def test_good_language_codes_accepted(name):
    assert names.check_lang(name) == name


@pytest.mark.parametrize("name", [None, 7, b"ja"])
def test_non_string_names_rejected(name):
    with pytest.raises(WorkflowError):
        names.check_lang(name)
    with pytest.raises(WorkflowError):
        names.check_guide_name(name)


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("args", [
    ("init", "../../x"), ("init", "/abs"), ("init", "a\x00b"), ("init", "JA"),
    ("update", "--lang", "../../x"), ("check", "--lang", "/abs"), ("stats", "--lang", "a\x00b"),
    ("build", "--guide", "../../x"), ("publish", "--guide", "/etc/passwd"), ("publish", "--lang", "../../x"),
    ("publish", "--guide", "Knee-Osteoarthritis-Stem-Cells"), ("rollback", "../ja"), ("pseudo", "../../x"),
], ids=lambda a: " ".join(a).replace("\x00", "\\0"))
def test_cli_rejects_bad_names_before_touching_disk(tmp_path, run_cli, args):
    project = copy_project(tmp_path / "project", languages=["ja"])
    before = _tree(tmp_path)
    code, out, err = run_cli(project, *args)
    assert code == 2, (code, out, err)
    assert "invalid" in err or "unknown" in err, err
    assert _tree(tmp_path) == before, "a rejected name must not create or change any file"


def test_guide_file_name_in_uppercase_is_rejected(tmp_path, run_cli):
    project = copy_project(tmp_path / "project", languages=["ja"])
    shutil.copy(project / "source" / "knee-osteoarthritis-stem-cells.md", project / "source" / "Knee.md")
    code, out, err = run_cli(project, "check")
    assert code == 2
    assert "'Knee'" in err


def test_language_folder_with_bad_name_is_rejected(tmp_path, run_cli):
    project = copy_project(tmp_path / "project", languages=["ja"])
    shutil.copytree(project / "locales" / "ja", project / "locales" / "JA")
    code, out, err = run_cli(project, "check")
    assert code == 1
    assert "locales/JA:1: error: locale folder 'JA' is not a language code" in out


# --- fault 28: unknown names list what exists ------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "stats", "update", "build", "publish"])
def test_unknown_language_lists_existing(project_dir, run_cli, command):
    code, out, err = run_cli(project_dir, command, "--lang", "de")
    assert code == 2
    assert "'de'" in err
    for lang in LANGS:
        assert lang in err, (lang, err)
    assert not (project_dir / "locales" / "de").exists()
    assert not (project_dir / "dist" / "de").exists()


@pytest.mark.parametrize("command", ["build", "publish"])
def test_unknown_guide_lists_existing(project_dir, run_cli, command):
    code, out, err = run_cli(project_dir, command, "--guide", "no-such-guide")
    assert code == 2
    assert "'no-such-guide'" in err
    for guide in GUIDES:
        assert guide in err, (guide, err)


def test_rollback_of_unknown_language_is_a_clear_error(project_dir, run_cli):
    code, out, err = run_cli(project_dir, "rollback", "de")
    assert code == 2
    assert "de" in err
