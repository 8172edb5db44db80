"""No churn: catalogs are rewritten for content, never for generator metadata alone, and a rewrite keeps
the header fields that belong to the translator's tools (a new Babel release must change no file)."""
from __future__ import annotations

import re

import pytest

from workflow.catalogs import writer

KNEE = "knee-osteoarthritis-stem-cells"


def _catalogs(project):
    return sorted(p for p in (project / "locales").rglob("*") if p.suffix in (".po", ".pot"))


def _as_if_written_by_another_babel(path):
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"Generated-By: Babel [^"]*\\n"', r'"Generated-By: Babel 1.0.0\\n"', text)
    text = re.sub(r'"POT-Creation-Date: [^"]*\\n"', r'"POT-Creation-Date: 2020-01-02 03:04+0000\\n"', text)
    text = re.sub(r'"PO-Revision-Date: [^"]*\\n"', r'"PO-Revision-Date: 2020-01-02 03:04+0000\\n"', text)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("commands", [("extract",), ("update",), ("extract", "update"), ("pseudo",)])
def test_metadata_only_differences_rewrite_nothing(project_dir, run_cli, monkeypatch, commands):
    """Catalogs written by another Babel release at another time: extract/update/pseudo leave every byte."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")   # today's date: the dates differ from the files' too
    for path in _catalogs(project_dir):
        _as_if_written_by_another_babel(path)
    before = {p: p.read_bytes() for p in _catalogs(project_dir)}
    for command in commands:
        code, out, _ = run_cli(project_dir, command)
        assert code == 0
    assert [str(p) for p in _catalogs(project_dir) if p.read_bytes() != before.get(p)] == []
    assert "Babel 1.0.0" in (project_dir / f"locales/templates/{KNEE}.pot").read_text()


def test_a_real_change_keeps_the_translators_header_fields(project_dir, run_cli):
    """A source edit rewrites the catalog; Last-Translator, Language-Team, PO-Revision-Date, Generated-By
    and a tool's own X- fields stay as the translator's tool wrote them, in their order."""
    po = project_dir / f"locales/ja/LC_MESSAGES/{KNEE}.po"
    text = po.read_text(encoding="utf-8")
    text = re.sub(r'"Last-Translator: [^"]*\\n"',
                  r'"Last-Translator: Aiko Tanaka <aiko@example.jp>\\n"\n"X-Generator: Poedit 3.4.2\\n"', text)
    text = text.replace('"Content-Transfer-Encoding: 8bit\\n"',
                        '"Content-Transfer-Encoding: 8bit\\n"\n"X-Poedit-SourceCharset: UTF-8\\n"')
    po.write_text(text, encoding="utf-8")
    header_before = text[:text.index("\n\n")]
    guide = project_dir / f"source/{KNEE}.md"
    source = guide.read_text(encoding="utf-8")
    paragraph = next(line for line in source.splitlines() if len(line) > 200 and line[0].isalpha())
    guide.write_text(source.replace(paragraph, paragraph + " Added sentence.", 1), encoding="utf-8")
    assert run_cli(project_dir, "extract")[0] == 0
    assert run_cli(project_dir, "update", "--lang", "ja")[0] == 0
    after = po.read_text(encoding="utf-8")
    assert "Added sentence." in after.replace("\"\n\"", "")    # the content change was written
    assert after[:after.index("\n\n")] == header_before          # ...and the header is untouched


def test_metadata_comparison_sees_content():
    a = b'msgid ""\nmsgstr ""\n"Generated-By: Babel 2.18.0\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    assert writer.same_but_metadata(a, a.replace(b"2.18.0", b"2.19.0"))
    assert not writer.same_but_metadata(a, a.replace(b'msgstr "b"', b'msgstr "c"'))
    assert not writer.same_but_metadata(a, a.replace(b"Generated-By", b"X-Generated-By"))
