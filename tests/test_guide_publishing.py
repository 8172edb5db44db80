"""A language release is made of guide editions: one guide's problem never takes another guide's page away,
and a stood-in guide never shows a stale fact (fault 37)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import copy_project, untranslate
from test_bad_catalogs import KNEE, KOREAN, msgstr_of, set_msgstr
from workflow.publishing.store import current_release, verify_release

SOFT = "soft-tissue-injury-stem-cells"
GUIDES = sorted([KNEE, KOREAN, SOFT])
LANGS = ["en", "ja", "zh_CN"]
NEW = "new-guide"


@pytest.fixture(scope="module")
def first_release(tmp_path_factory):
    """en, ja and zh_CN published once (built once per module, copied per test)."""
    from workflow.cli import main
    project = copy_project(tmp_path_factory.mktemp("first") / "project", languages=["ja", "zh_CN"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        assert main(["--project", str(project), "--quiet", "publish"]) == 0
    return project


@pytest.fixture
def project(first_release, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    target = tmp_path / "project"
    shutil.copytree(first_release, target, symlinks=True)
    return target


def files_of(project: Path, lang: str, guide: str) -> dict[str, bytes]:
    folder = project / "dist" / lang / "current"
    return {name: (folder / name).read_bytes() for name in (f"{guide}.html", f"{guide}.md", f"{guide}.json")}


def publish(run_cli, project: Path, *args: str) -> tuple[int, dict, str]:
    code, out, err = run_cli(project, "--quiet", "publish", "--format", "json", *args)
    return code, {r["lang"]: r for r in json.loads(out)}, err


def manifest(project: Path, lang: str) -> dict:
    return json.loads((project / "dist" / lang / "current" / "manifest.json").read_text())


def test_publish_one_guide_keeps_every_other_guide_byte_identical(project, run_cli):
    before = {g: files_of(project, "ja", g) for g in GUIDES}
    old_release = current_release(project / "dist" / "ja")
    for guide in (KNEE, KOREAN):   # both change; only KNEE is asked for
        po = project / "locales/ja/LC_MESSAGES" / f"{guide}.po"
        msgid = "Osteoarthrosis" if guide == KNEE else "Why Korea Leads the Global Charge in Stem Cell Therapy"
        set_msgstr(po, msgid, msgstr_of(po, msgid) + "（改）")

    code, reports, err = publish(run_cli, project, "--lang", "ja", "--guide", KNEE)
    assert code == 0, err
    ja = reports["ja"]
    assert ja["status"] == "published" and ja["release"] != old_release
    assert ja["guides"] == {KNEE: "built", KOREAN: "kept", SOFT: "kept"} and ja["refused_guides"] == []
    assert files_of(project, "ja", KNEE) != before[KNEE]
    assert files_of(project, "ja", KOREAN) == before[KOREAN], "a guide not asked for is carried byte for byte"
    assert files_of(project, "ja", SOFT) == before[SOFT]
    verify_release(project / "dist" / "ja" / "current")
    assert set(manifest(project, "ja")["guides"]) == set(GUIDES)
    index = (project / "dist/ja/current/index.html").read_text()
    assert all(f'href="{g}.html"' in index for g in GUIDES), "the index still lists every guide"


def test_new_untranslated_guide_lets_every_language_publish_its_other_guides(project, run_cli):
    text = (project / "source" / f"{SOFT}.md").read_text()
    (project / "source" / f"{NEW}.md").write_text(text.replace("title: \"", "title: \"New: ", 1))
    assert run_cli(project, "extract")[0] == 0 and run_cli(project, "update")[0] == 0
    for lang in ("ja",):   # the memory prefilled the copied text: take it out, the guide is untranslated
        untranslate(project / f"locales/{lang}/LC_MESSAGES/{NEW}.po")
    (project / "locales/zh_CN/LC_MESSAGES" / f"{NEW}.po").unlink()   # as if zh_CN never ran update

    code, reports, err = publish(run_cli, project)
    assert code == 1, "the new guide is below its gate: reported as refused"
    for lang in LANGS:
        report = reports[lang]
        assert report["status"] == "published", report
        expected = {g: "built" for g in GUIDES}
        expected[NEW] = "built" if lang == "en" else "source"
        assert report["guides"] == expected
        assert report["refused_guides"] == ([] if lang == "en" else [NEW])
        for problem in report["problems"]:
            assert (project / problem["path"]).exists(), f"{problem} names a file that does not exist"
        page = (project / "dist" / lang / "current" / f"{NEW}.html").read_text()
        assert page.count("data-fact=") >= 2
        if lang != "en":
            assert f'<html lang="{lang.replace("_", "-")}"' in page and "fallback-notice" in page
            assert '<p lang="en">' in page, "passages in the source language are marked"
    cited = {p["path"] for p in reports["zh_CN"]["problems"] if p["check"] == "gate.coverage"}
    assert cited == {f"locales/templates/{NEW}.pot"}, "no catalog yet: the template is named, not a missing .po"
    # every language's switcher links to pages that exist
    for lang in LANGS:
        page = (project / "dist" / lang / "current" / f"{KNEE}.html").read_text()
        for href in re.findall(r'href="\.\./\.\./([^"]+)"', page):
            assert (project / "dist" / href).exists(), href


def test_broken_catalog_of_one_guide_leaves_the_other_guides_published(project, run_cli):
    kept = files_of(project, "ja", KNEE)
    po = project / "locales/ja/LC_MESSAGES" / f"{KNEE}.po"
    po.write_bytes(po.read_bytes().replace(b'msgstr "', b'msgstd "', 1))
    korean = project / "locales/ja/LC_MESSAGES" / f"{KOREAN}.po"
    set_msgstr(korean, "Why Korea Leads the Global Charge in Stem Cell Therapy", "もくじ（新）")

    code, reports, err = publish(run_cli, project)
    assert code == 1
    ja = reports["ja"]
    assert ja["status"] == "published" and ja["refused_guides"] == [KNEE]
    assert ja["guides"] == {KNEE: "kept", KOREAN: "built", SOFT: "built"}
    assert "もくじ（新）" in files_of(project, "ja", KOREAN)[f"{KOREAN}.html"].decode()
    assert files_of(project, "ja", KNEE) == kept
    assert any(p["path"] == f"locales/ja/LC_MESSAGES/{KNEE}.po" and p["check"] == "po.syntax" for p in ja["problems"])
    assert manifest(project, "ja")["checks_passed"] is False and manifest(project, "zh_CN")["checks_passed"] is True
    assert f"refused: ja ({KNEE})" in run_cli(project, "publish")[2]


def _change_price(project: Path) -> None:
    source = project / "source" / f"{KNEE}.md"
    source.write_text(source.read_text().replace("~$10,922", "~$11,500"))


def test_stand_in_never_shows_a_stale_fact(project, run_cli):
    """The last published edition was built from another source: the source-language edition stands in."""
    _change_price(project)
    po = project / "locales/ja/LC_MESSAGES" / f"{KNEE}.po"
    po.write_bytes(po.read_bytes().replace(b'msgstr "', b'msgstd "', 1))
    code, reports, _ = publish(run_cli, project, "--lang", "ja")
    assert code == 1 and reports["ja"]["guides"][KNEE] == "source" and reports["ja"]["refused_guides"] == [KNEE]
    page = files_of(project, "ja", KNEE)[f"{KNEE}.html"].decode()
    assert "11,500" in page and "10,922" not in page
    assert manifest(project, "ja")["guides"][KNEE]["source"] == "source"


def test_publish_one_guide_rebuilds_another_guide_it_cannot_carry(project, run_cli):
    """`publish --guide KOREAN` after KNEE's source changed: KNEE's current edition would show a stale price."""
    _change_price(project)
    code, reports, err = publish(run_cli, project, "--lang", "ja", "--guide", KOREAN)
    assert code == 0, err
    assert reports["ja"]["guides"] == {KNEE: "built", KOREAN: "built", SOFT: "kept"}
    page = files_of(project, "ja", KNEE)[f"{KNEE}.html"].decode()
    assert "11,500" in page and "10,922" not in page


def test_first_publish_of_one_guide_builds_the_others_too(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path / "project", languages=["ja"])
    code, reports, err = publish(run_cli, project, "--lang", "ja", "--guide", KNEE)
    assert code == 0, err
    assert reports["ja"]["guides"] == {g: "built" for g in GUIDES}, "never English for a translated guide"


def test_stand_in_policy_source_never_keeps_an_older_translation(project, run_cli):
    config = project / "workflow.yaml"
    config.write_text(config.read_text().replace("language_gates:\n", "language_gates:\n  ja:\n    stand_in: source\n"))
    po = project / "locales/ja/LC_MESSAGES" / f"{KNEE}.po"
    po.write_bytes(po.read_bytes().replace(b'msgstr "', b'msgstd "', 1))
    code, reports, _ = publish(run_cli, project)
    assert code == 1
    assert reports["ja"]["guides"][KNEE] == "source"
    assert reports["zh_CN"]["guides"][KNEE] == "built"


def test_a_guide_whose_source_breaks_does_not_stop_the_others(project, run_cli):
    """In-process, one unparseable guide used to abort the whole run with exit 2."""
    source = project / "source" / f"{SOFT}.md"
    lines = source.read_text().split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("| Contusion"))   # a body row
    lines[row] = lines[row] + " extra cell |"
    source.write_text("\n".join(lines))
    code, reports, err = publish(run_cli, project)
    assert code == 1, err
    for lang in LANGS:
        report = reports[lang]
        assert report["status"] == "published" and report["refused_guides"] == [SOFT]
        assert report["guides"][KNEE] == report["guides"][KOREAN] == "built"
        assert any(p["path"] == f"source/{SOFT}.md" and p["line"] == row + 1 and p["check"] == "source.table"
                   for p in report["problems"]), report["problems"]
        index = (project / "dist" / lang / "current" / "index.html").read_text()
        assert f'href="{SOFT}.html"' not in index, "the index never links to a page the release does not hold"


def test_extract_with_a_broken_guide_writes_the_others_and_keeps_its_template(project, run_cli):
    """`make publish` starts with extract: one guide that does not parse used to stop it there (exit 2),
    before build and publish could refuse that guide alone."""
    templates = project / "locales" / "templates"
    kept = (templates / f"{SOFT}.pot").read_bytes()
    source = project / "source" / f"{SOFT}.md"
    source.write_text("---\ntitle: [unclosed\n---\n\n# Soft\n", encoding="utf-8")
    knee = project / "source" / f"{KNEE}.md"
    knee.write_text(knee.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", encoding="utf-8")
    code, out, err = run_cli(project, "extract")
    assert code == 1, err
    assert re.search(rf"source/{SOFT}.md:3: error: malformed front matter.*\[source.front-matter\]", out), out
    assert "A new closing paragraph." in (templates / f"{KNEE}.pot").read_text(encoding="utf-8")
    assert (templates / f"{SOFT}.pot").read_bytes() == kept


def test_two_single_guide_publishes_at_once_keep_both_guides(project, run_cli, monkeypatch):
    """`publish --guide KNEE` composed its release, then `publish --guide KOREAN` switched first: the KNEE
    publish must not carry the old KOREAN edition over the new one."""
    import workflow.publishing.store as store_module   # (run imports it when it publishes)
    from workflow.cli import main
    real = store_module.publish_language
    calls = []

    def interleaved(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 1:   # the KNEE publish, after it read the current release
            assert main(["--project", str(project), "--quiet", "publish", "--lang", "ja", "--guide", KOREAN]) == 0
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "publish_language", interleaved)
    for guide, msgid in ((KNEE, "Osteoarthrosis"), (KOREAN, "Why Korea Leads the Global Charge in Stem Cell Therapy")):
        po = project / "locales/ja/LC_MESSAGES" / f"{guide}.po"
        set_msgstr(po, msgid, msgstr_of(po, msgid) + "（改）")
    code, reports, err = publish(run_cli, project, "--lang", "ja", "--guide", KNEE)
    assert code == 0, err
    assert len(calls) == 3, "the KNEE publish composed its release again after the other one switched"
    for guide in (KNEE, KOREAN):
        assert "（改）" in files_of(project, "ja", guide)[f"{guide}.html"].decode(), guide
