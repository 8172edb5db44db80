"""TMX 1.4 export and import of the translation memory."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HEADER_REQUIRED = {"creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"}
TOOLKIT = "translate-toolkit==3.20.4"
TOOLKIT_VENV = Path("/tmp/workflow-tests-translate-toolkit-3.20.4")
ES_KNEE = "locales/es/LC_MESSAGES/knee-osteoarthritis-stem-cells.po"


def _approved(project_dir, lang: str) -> dict[str, str]:
    found = {}
    for path in sorted((project_dir / "locales" / lang / "LC_MESSAGES").glob("*.po")):
        for e in polib.pofile(str(path)):
            if e.msgstr and "fuzzy" not in e.flags and not e.obsolete:
                found.setdefault(e.msgid, e.msgstr)
    return found


def _export(project_dir, run_cli, lang: str) -> Path:
    out = project_dir / f"{lang}.tmx"
    code, _, err = run_cli(project_dir, "tm", "export", "--lang", lang, "-o", str(out))
    assert code == 0, err
    return out


def _pairs(path: Path, lang_tag: str) -> dict[str, str]:
    root = ET.parse(path).getroot()
    pairs = {}
    for tu in root.find("body").findall("tu"):
        segs = {tuv.get(XML_LANG): tuv.find("seg").text for tuv in tu.findall("tuv")}
        assert set(segs) == {"en", lang_tag}
        pairs[segs["en"]] = segs[lang_tag]
    return pairs


@pytest.mark.parametrize("lang,tag", [("ja", "ja"), ("zh_CN", "zh-CN")])
def test_export_is_valid_tmx_14_with_every_approved_translation(project_dir, run_cli, lang, tag):
    path = _export(project_dir, run_cli, lang)
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx')
    root = ET.parse(path).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert HEADER_REQUIRED <= set(header.attrib) and header.get("srclang") == "en"
    assert _pairs(path, tag) == _approved(project_dir, lang)
    first = path.read_bytes()
    assert _export(project_dir, run_cli, lang).read_bytes() == first   # same memory, same bytes


def _toolkit() -> Path:
    """A throwaway venv with translate-toolkit (its TMX reader is what tmx2po used); skip when not installable."""
    python = TOOLKIT_VENV / "bin" / "python"
    if not (TOOLKIT_VENV / "ok").exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(TOOLKIT_VENV)], capture_output=True, text=True)
        pip = subprocess.run([str(python), "-m", "pip", "-qq", "install", TOOLKIT], capture_output=True, text=True,
                             timeout=300) if made.returncode == 0 else made
        if pip.returncode != 0:
            reason = f"{TOOLKIT} is not installable here: {(pip.stderr or pip.stdout).strip()[-200:]}"
            print(reason)
            pytest.skip(reason)
        (TOOLKIT_VENV / "ok").write_text("ok")
    return python


def test_translate_toolkit_reads_the_export(project_dir, run_cli):
    python = _toolkit()
    path = _export(project_dir, run_cli, "ja")
    read = subprocess.run([str(python), "-c", "import json, sys\nfrom translate.storage import tmx\n"
                           "store = tmx.tmxfile.parsefile(sys.argv[1])\n"
                           "print(json.dumps({u.source: u.target for u in store.units}))", str(path)],
                          capture_output=True, text=True, check=True)
    assert json.loads(read.stdout) == _approved(project_dir, "ja")


def test_import_of_a_po2tmx_file_fills_untranslated_entries(project_dir, run_cli, tmp_path):
    python = _toolkit()
    todo = [e for e in polib.pofile(str(project_dir / ES_KNEE)) if not e.msgstr and not e.obsolete][:2]
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    for n, e in enumerate(todo):
        po.append(polib.POEntry(msgid=e.msgid, msgstr=f"Traducción {'AB'[n]} de un traductor externo."))
    po.save(str(tmp_path / "external.po"))
    subprocess.run([str(python.parent / "po2tmx"), "-l", "es", str(tmp_path / "external.po"),
                    str(tmp_path / "external.tmx")], capture_output=True, text=True, check=True)
    code, out, _ = run_cli(project_dir, "tm", "import", str(tmp_path / "external.tmx"))
    assert code == 0 and ES_KNEE in out
    filled = polib.pofile(str(project_dir / ES_KNEE))
    for n, e in enumerate(todo):
        entry = filled.find(e.msgid)
        assert entry.msgstr == f"Traducción {'AB'[n]} de un traductor externo." and "fuzzy" not in entry.flags


def _tmx(*units: tuple[str, str], lang: str = "es", doctype: str = "") -> bytes:
    body = "".join(f'<tu><tuv xml:lang="en-US"><seg>{s}</seg></tuv><tuv xml:lang="{lang}"><seg>{t}</seg></tuv></tu>\n'
                   for s, t in units)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<tmx version="1.4">\n<header creationtool="x" '
            f'creationtoolversion="1" segtype="sentence" o-tmf="PO" adminlang="en" srclang="en-US" '
            f'datatype="plaintext"/>\n<body>\n{body}</body>\n</tmx>\n').encode()


def test_import_fills_exact_as_translated_close_as_fuzzy_and_leaves_out_broken_units(project_dir, run_cli, tmp_path):
    entries = [e for e in polib.pofile(str(project_dir / ES_KNEE)) if not e.msgstr and not e.obsolete]
    exact, close = entries[0], entries[1]
    priced = next(e for e in entries if "{price}" in e.msgid)
    source = tmp_path / "memory.tmx"
    source.write_bytes(_tmx((exact.msgid, "Texto exacto."), (close.msgid.replace(".", ";", 1), "Texto parecido."),
                            (priced.msgid.replace("&", "&amp;"), "Sin el precio.")))
    code, out, _ = run_cli(project_dir, "tm", "import", str(source), "--lang", "es")
    assert code == 0
    assert f"{source}:1: warning: es: 1 unit(s) left out: the translation does not keep the source's placeholders" \
        in out
    po = polib.pofile(str(project_dir / ES_KNEE))
    assert po.find(exact.msgid).msgstr == "Texto exacto." and "fuzzy" not in po.find(exact.msgid).flags
    assert po.find(close.msgid).msgstr == "Texto parecido." and "fuzzy" in po.find(close.msgid).flags
    assert "memory.tmx:" in po.find(close.msgid).tcomment
    assert po.find(priced.msgid).msgstr == ""
    assert run_cli(project_dir, "check", "--lang", "es")[0] == 0


BAD_TMX = sorted((Path(__file__).parent / "data" / "tmx").glob("bad.*.tmx"))


@pytest.mark.parametrize("path", BAD_TMX, ids=lambda p: p.name)
def test_bad_tmx_is_refused_at_its_line_and_changes_nothing(project_dir, run_cli, tmp_path, path):
    """tests/data/tmx/bad.*.tmx: each says where it must be refused, `<!-- expect: LINE message -->`."""
    line, message = re.search(r"<!-- expect: (\d+) (.+?) -->", path.read_text(encoding="utf-8")).groups()
    before = {p: p.read_bytes() for p in (project_dir / "locales").rglob("*.po")}
    source = tmp_path / path.name
    source.write_bytes(path.read_bytes())
    code, out, err = run_cli(project_dir, "tm", "import", str(source))
    assert code in (1, 2) and f"{source}:{line}: error: {message}" in out + err, out + err
    assert {p: p.read_bytes() for p in before} == before


def test_imported_units_that_fail_a_check_or_the_reader_are_never_approved(project_dir, run_cli, tmp_path):
    entries = [e for e in polib.pofile(str(project_dir / ES_KNEE)) if not e.msgstr and not e.obsolete]
    hostile, hidden = entries[0], entries[1]
    source = tmp_path / "hostile.tmx"
    source.write_bytes(_tmx((hostile.msgid, "Texto &lt;script&gt;alert(1)&lt;/script&gt;"),
                            (hidden.msgid, "Texto \u202eoculto")))
    code, out, _ = run_cli(project_dir, "tm", "import", str(source), "--lang", "es")
    assert code == 0 and "es: 1 unit(s) left out" in out
    po = polib.pofile(str(project_dir / ES_KNEE))
    offered = po.find(hostile.msgid)
    assert offered.msgstr == "Texto <script>alert(1)</script>" and "fuzzy" in offered.flags
    assert "fails a check" in offered.tcomment
    assert po.find(hidden.msgid).msgstr == ""
    assert run_cli(project_dir, "check", "--lang", "es")[0] == 0   # readable, and nothing failing approved


def test_tm_commands_take_quiet_and_say_where_a_write_failed(project_dir, run_cli, tmp_path):
    code, out, err = run_cli(project_dir, "tm", "export", "--lang", "ja", "-o", str(tmp_path / "ja.tmx"), "-q")
    assert code == 0 and out == "" and err == ""
    code, _, _ = run_cli(project_dir, "tm", "import", str(tmp_path / "ja.tmx"), "-q")
    assert code == 0
    missing = tmp_path / "no-such-folder" / "ja.tmx"
    code, _, err = run_cli(project_dir, "tm", "export", "--lang", "ja", "-o", str(missing))
    assert code == 2 and f"{missing}:1: error: cannot write" in err
