"""Malformed catalogs (faults.md items 1-5, 10) and catalogs that must refuse one language at publish.

Every tests/data/po/bad.*.po carries its expectation on its first line, `# expect: LINE CHECK ["text"]`
(binary files such as UTF-16 carry it in a sidecar `<name>.expect`): workflow.catalogs.reader.read must raise
WorkflowError with a problem at exactly that 1-based line with that check id, and the optional quoted
text inside the message.
"""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po as babel_read_po

from workflow.catalogs import parser, reader
from workflow.model import ERROR, WorkflowError
from workflow.publishing.store import current_release, verify_release

from conftest import copy_project

DATA = Path(__file__).parent / "data" / "po"
BAD = sorted(p for p in DATA.glob("bad.*.po"))
_EXPECT = re.compile(r'^#\s*expect:\s*(\d+)\s+([\w.-]+)(?:\s+"([^"]*)")?\s*$')


def expectation(path: Path) -> tuple[int, str, str | None]:
    sidecar = path.with_name(path.name + ".expect")
    first = sidecar.read_text(encoding="utf-8") if sidecar.exists() else path.read_bytes().decode("latin-1")
    m = _EXPECT.match(first.split("\n", 1)[0].rstrip("\r"))
    assert m, f"{path.name}: first line must be '# expect: LINE CHECK' (or a sidecar .expect)"
    return int(m.group(1)), m.group(2), m.group(3)


def test_every_fault_has_a_data_file():
    names = {p.name for p in BAD}
    for wanted in ("unterminated-string", "missing-opening-quote", "bad-escape", "msgstd-typo", "junk-line",
                   "duplicate-msgid", "charset-latin1", "utf16", "bom", "invalid-utf8", "nul-byte",
                   "control-char", "bidi-override", "zero-width-in-number", "plural-forms-broken",
                   "plural-count", "plural-index-x"):
        assert f"bad.{wanted}.po" in names


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_catalog_is_refused_at_its_line(path):
    line, check, contains = expectation(path)
    rel = f"locales/de/LC_MESSAGES/{path.name}"
    with pytest.raises(WorkflowError) as info:
        reader.read(path.read_bytes(), rel)
    problems = info.value.problems
    assert problems, "WorkflowError without problems: no file/line for the translator"
    hits = [p for p in problems if p.line == line and p.check == check]
    assert hits, f"expected {check} at line {line}, got:\n{info.value}"
    for p in problems:
        assert p.severity == ERROR
        assert p.path == rel
        assert str(p).startswith(f"{rel}:{p.line}: error: ")
        assert str(p).endswith(f"[{p.check}]")
    if contains:
        assert any(contains in p.message for p in hits), [p.message for p in hits]
    # the same verdict from the validator alone (what `update` and the publish gate call first)
    assert any(p.line == line and p.check == check for p in parser.validate(path.read_bytes(), rel))


def test_sidecar_expectations_only_for_binary_files():
    for sidecar in DATA.glob("bad.*.expect"):
        data = sidecar.with_suffix("").read_bytes()
        assert data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:8]


# --- what polib and Babel do with the same files: the reason the strict lexer exists ---------------

def _polib_accepts(data: bytes) -> polib.POFile | None:
    try:
        return polib.pofile(data.decode("utf-8"), wrapwidth=0)
    except Exception:  # noqa: BLE001  (any refusal counts)
        return None


def _babel_accepts(data: bytes):
    try:
        return babel_read_po(io.BytesIO(data))
    except Exception:  # noqa: BLE001
        return None


@pytest.mark.parametrize("name", ["unterminated-string", "msgstd-typo", "nul-byte", "bidi-override",
                                  "zero-width-in-number", "control-char"])
def test_polib_or_babel_accept_silently_but_we_refuse(name):
    data = (DATA / f"bad.{name}.po").read_bytes()
    lenient = [lib for lib, ok in (("polib", _polib_accepts(data)), ("babel", _babel_accepts(data))) if ok is not None]
    assert lenient, f"{name}: neither polib nor Babel accepts it any more; the comparison is moot"
    with pytest.raises(WorkflowError):
        reader.read(data, f"bad.{name}.po")


def test_polib_drops_a_character_of_an_unterminated_string():
    """The concrete damage of fault 1: polib takes `"Degenerative Gelenkerkrankung` and loses the final g."""
    data = (DATA / "bad.unterminated-string.po").read_bytes()
    po = _polib_accepts(data)
    if po is not None:
        entry = po.find("Degenerative Joint Disease")
        assert entry is not None and entry.msgstr != "Degenerative Gelenkerkrankung"
    with pytest.raises(WorkflowError) as info:
        reader.read(data, "x.po")
    assert any(p.check == "po.syntax" for p in info.value.problems)


def test_msgstd_typo_does_not_merge_entries():
    """polib reads `msgstd` as nothing and the next entry's text can end up attached; we refuse instead."""
    data = (DATA / "bad.msgstd-typo.po").read_bytes()
    with pytest.raises(WorkflowError) as info:
        reader.read(data, "x.po")
    lines = {p.line for p in info.value.problems}
    assert 18 in lines  # the msgstd line itself


def test_good_catalog_round_trips_every_character():
    """The control file of the bad set: the same catalog without the fault reads back exactly."""
    good = (DATA / "bad.unterminated-string.po").read_bytes().replace(
        b'"Degenerative Gelenkerkrankung\n', b'"Degenerative Gelenkerkrankung"\n')
    cat = reader.read(good, "good.po")
    assert cat.lookup()["Degenerative Joint Disease"].msgstr == "Degenerative Gelenkerkrankung"
    assert cat.lookup()["Degenerative Joint Disease"].line == 18


def test_utf16_generated_in_memory_big_endian():
    body = (DATA / "bad.msgstd-typo.po").read_bytes().decode("utf-8").replace("msgstd", "msgstr")
    for encoded in (body.encode("utf-16-be"), b"\xfe\xff" + body.encode("utf-16-be")):
        with pytest.raises(WorkflowError) as info:
            reader.read(encoded, "be.po")
        assert any(p.line == 1 and p.check == "po.encoding" for p in info.value.problems), str(info.value)


def test_huge_catalog_is_refused_by_size():
    """Fault 10: tens of MB are refused by size before any parsing (timings live in bench/)."""
    entry = b'msgid "x"\nmsgstr "' + b"y" * 1000 + b'"\n\n'
    data = entry * (25 * 1024)  # ~25 MB
    with pytest.raises(WorkflowError) as info:
        reader.read(data, "huge.po")
    assert len(info.value.problems) == 1 and info.value.problems[0].check == "po.size" and info.value.problems[0].line == 1


def test_long_continuation_lines_are_read_whole():
    """Fault 10, second half: a valid catalog of a few MB with very long lines reads in seconds."""
    header = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    body = b"".join(b'msgid "m%d"\nmsgstr ""\n"%s"\n"%s"\n\n' % (i, b"a" * 20000, b"b" * 20000) for i in range(100))
    cat = reader.read(header + body, "long.po")
    assert len(cat.entries) == 100 and len(cat.entries[0].msgstr) == 40000


def test_check_cli_reports_bad_catalog_with_file_and_line(project_dir, run_cli):
    target = project_dir / "locales" / "ja" / "LC_MESSAGES" / "knee-osteoarthritis-stem-cells.po"
    target.write_bytes((DATA / "bad.unterminated-string.po").read_bytes())
    code, out, err = run_cli(project_dir, "check", "--lang", "ja")
    assert code == 1
    rel = "locales/ja/LC_MESSAGES/knee-osteoarthritis-stem-cells.po"
    assert re.search(rf"^{re.escape(rel)}:18: error: .*\[po\.syntax\]$", out, re.M), out


# --- publish: one language refused, the others published, the old release kept ----------------------

PUBLISH_LANGS = ("ja", "zh_CN")


def _entry_lines(text: str, msgid: str) -> tuple[int, int]:
    """(first, end) 0-based line span of the msgstr block of the entry with this msgid."""
    lines = text.split("\n")
    po = polib.pofile(text, wrapwidth=0)
    entry = po.find(msgid)
    assert entry is not None, msgid
    start = entry.linenum - 1
    while not lines[start].startswith("msgstr"):
        start += 1
    end = start + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    return start, end


def set_msgstr(path: Path, msgid: str, msgstr: str, fuzzy: bool = False) -> int:
    """Rewrite one entry's msgstr in place, leaving every other byte; returns the msgstr's 1-based line."""
    text = path.read_text(encoding="utf-8")
    start, end = _entry_lines(text, msgid)
    lines = text.split("\n")
    escaped = msgstr.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    lines[start:end] = [f'msgstr "{escaped}"']
    if fuzzy:
        at = start
        while not lines[at].startswith("msgid"):
            at -= 1
        while at > 0 and lines[at - 1].startswith(("msgctxt", "#")) and not lines[at - 1].startswith("#,"):
            at -= 1
        lines.insert(at, "#, fuzzy")
        start += 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return start + 1


def msgstr_of(path: Path, msgid: str) -> str:
    entry = polib.pofile(str(path), wrapwidth=0).find(msgid)
    return entry.msgstr


KOREAN = "korean-stem-cell-therapy-2026"
KNEE = "knee-osteoarthritis-stem-cells"
DISCLAIMER = ("This blog post is intended for informational purposes only and does not constitute medical advice. "
              "Stem cell therapy is a complex medical procedure, and outcomes can vary. Readers are strongly advised "
              "to consult with a qualified healthcare professional and conduct thorough research before making any "
              "decisions related to their health or treatment. The Korea Experience Team does not endorse any "
              "specific clinic, hospital, or treatment.")


def _ambulance_112(path):
    msgid = "**Ambulance/Fire/Emergency:** {ambulance}"
    return set_msgstr(path, msgid, msgstr_of(path, msgid).replace("{ambulance}", "112")), {"placeholders", "facts"}


def _price_dropped(path):
    msgid = "Medical Visa: {price}"
    return set_msgstr(path, msgid, msgstr_of(path, msgid).replace("{price}", "").strip()), {"placeholders"}


def _disclaimer_cut(path):
    first = re.split(r"(?<=[。.])", msgstr_of(path, DISCLAIMER))[0]
    return set_msgstr(path, DISCLAIMER, first), {"legal"}


def _script(path):
    msgid = "Osteoarthrosis"
    return set_msgstr(path, msgid, msgstr_of(path, msgid) + "<script>alert(1)</script>"), {"injection"}


BREAKS = {
    "ambulance-as-112": (KOREAN, _ambulance_112),
    "price-placeholder-dropped": (KNEE, _price_dropped),
    "disclaimer-cut": (KOREAN, _disclaimer_cut),
    "script-in-msgstr": (KNEE, _script),
}


@pytest.fixture(scope="module")
def clean_release(tmp_path_factory):
    """A project with en, ja and zh_CN published once, cleanly (built once per module, copied per test)."""
    from workflow.cli import main
    project = copy_project(tmp_path_factory.mktemp("clean") / "project", languages=list(PUBLISH_LANGS))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        assert main(["--project", str(project), "--quiet", "publish", "--format", "json"]) == 0
    report = json.loads((project / "dist" / "report.json").read_text())
    releases = {r["lang"]: r["release"] for r in report["languages"]}
    assert {r["status"] for r in report["languages"]} == {"published"}
    return project, releases


@pytest.fixture
def published(clean_release, tmp_path, monkeypatch):
    """A private copy of the cleanly published project, with its dist/ (symlinks kept) and edition cache."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    source, releases = clean_release
    project = tmp_path / "project"
    shutil.copytree(source, project, symlinks=True)
    for lang in PUBLISH_LANGS:
        assert current_release(project / "dist" / lang) == releases[lang]
        verify_release(project / "dist" / lang / "current")
    return project, releases


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_publish_refuses_broken_guide_and_keeps_its_edition(published, run_cli, name):
    project, releases = published
    guide, breaker = BREAKS[name]
    po = project / "locales" / "ja" / "LC_MESSAGES" / f"{guide}.po"
    line, checks = breaker(po)
    rel = f"locales/ja/LC_MESSAGES/{guide}.po"

    # `check` names the file, line and check before anything is built
    code, out, _ = run_cli(project, "check", "--lang", "ja")
    assert code == 1
    for check in checks:
        assert re.search(rf"^{re.escape(rel)}:{line}: error: .*\[{re.escape(check)}\]$", out, re.M), (check, out)

    # zh_CN gets a new release too, so "the others publish" is visible as a switch, not a no-op
    zh = project / "locales" / "zh_CN" / "LC_MESSAGES" / f"{KNEE}.po"
    set_msgstr(zh, "Osteoarthrosis", msgstr_of(zh, "Osteoarthrosis") + " ")

    code, out, err = run_cli(project, "--quiet", "publish", "--format", "json")
    assert code == 1, out + err
    reports = {r["lang"]: r for r in json.loads(out)}
    # the broken guide is refused; its last good edition stands in, so ja's release does not move
    assert reports["ja"]["refused_guides"] == [guide] and reports["ja"]["guides"][guide] == "kept"
    assert reports["ja"]["status"] == "unchanged"
    named = [p for p in reports["ja"]["problems"] if p["severity"] == ERROR and p["path"] == rel and p["line"] == line]
    assert {p["check"] for p in named} >= checks, reports["ja"]["problems"]
    assert all(p["segment"] for p in named if p["check"] in checks), "the problem must name the segment"
    assert reports["zh_CN"]["status"] == "published" and reports["zh_CN"]["release"] != releases["zh_CN"]
    assert reports["en"]["status"] in ("published", "unchanged")

    dist = project / "dist"
    assert current_release(dist / "zh_CN") == reports["zh_CN"]["release"]
    assert (dist / "en" / "current").is_dir()
    assert current_release(dist / "ja") == releases["ja"], "the refused language must keep serving its old release"
    verify_release(dist / "ja" / "current")
    served = (dist / "ja" / "current" / f"{guide}.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in served

    if name == "ambulance-as-112":  # the text output (once: it is a full second publish)
        code, out, err = run_cli(project, "publish")
        assert code == 1
        assert f"{rel}:{line}: error:" in out
        assert f"refused: ja ({guide})" in err
        assert current_release(dist / "ja") == releases["ja"]


def test_publish_with_unreadable_catalog_refuses_only_that_guide(published, run_cli):
    project, releases = published
    po = project / "locales" / "ja" / "LC_MESSAGES" / f"{KNEE}.po"
    po.write_bytes(po.read_bytes().replace(b'msgstr "', b'msgstd "', 1))
    code, out, err = run_cli(project, "--quiet", "publish", "--format", "json")
    assert code == 1
    reports = {r["lang"]: r for r in json.loads(out)}
    assert reports["ja"]["refused_guides"] == [KNEE] and reports["ja"]["guides"][KNEE] == "kept"
    assert any(p["check"] == "po.syntax" and p["path"].endswith(f"ja/LC_MESSAGES/{KNEE}.po")
               for p in reports["ja"]["problems"])
    assert reports["zh_CN"]["status"] in ("published", "unchanged")
    assert current_release(project / "dist" / "ja") == releases["ja"]
    verify_release(project / "dist" / "ja" / "current")


def test_script_in_msgstr_never_reaches_html_even_when_published(tmp_path, monkeypatch, run_cli):
    """With the injection check disabled by config, the renderer still escapes (fault 15, defence in depth).
    No digits in the msgstr: `visible` and verification would refuse numbers the source lacks."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path / "project", languages=["ja"])
    config = project / "workflow.yaml"
    config.write_text(config.read_text().replace("disable: []", "disable: [injection, markup, braces, percent]"))
    po = project / "locales" / "ja" / "LC_MESSAGES" / f"{KNEE}.po"
    set_msgstr(po, "Osteoarthrosis", 'Osteo <script>alert(x)</script> <img src=x onerror=alert(y)> '
                                     '[link](javascript:alert(z)) {{ config }} {% raw %}')
    code, out, err = run_cli(project, "--quiet", "publish", "--lang", "ja", "--format", "json")
    assert code == 0, out + err
    html = (project / "dist" / "ja" / "current" / f"{KNEE}.html").read_text(encoding="utf-8")
    assert "<script>alert(x)" not in html
    assert "&lt;script&gt;alert(x)&lt;/script&gt;" in html
    assert "<img src=x" not in html and 'href="javascript:' not in html
    assert "{{ config }}" in html and "{% raw %}" in html
    assert "&lt;Config" not in html and "<Config" not in html
