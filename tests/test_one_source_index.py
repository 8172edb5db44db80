"""One way to read the guides (catalogs/sources.py): a guide that does not parse becomes problems in
SourceIndex.readable alone, for extract, check, the catalog commands and the Builder; a source price some
language cannot show exactly is one definition (SourceIndex.prices) that extract and check both report, once
per price at its source line; `check --todo` takes its to-do lists from the index its checks used."""
from __future__ import annotations

import json
import re

import pytest

from workflow.catalogs.review import check_all, todo_lists
from workflow.catalogs.sources import sources
from workflow.project import Project
from workflow.publishing.builder import Builder

SOFT = "soft-tissue-injury-stem-cells"
KOREAN = "korean-stem-cell-therapy-2026"
BROKEN = "---\ntitle: [unclosed\n---\n\n# Soft\n"


def unshowable_price(project_dir) -> int:
    """$5,000 -> $1.5 in the Korean guide (no whole-amount pattern shows it exactly); returns its line."""
    source = project_dir / "source" / f"{KOREAN}.md"
    text = source.read_text(encoding="utf-8")
    at = re.search(r"\$5,000", text).start()
    source.write_text(text[:at] + "$1.5" + text[at + len("$5,000"):], encoding="utf-8")
    return text[:at].count("\n") + 1


def price_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.endswith("[source.price]")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_reports_the_price_extract_reports_once_at_its_line(project_dir, run_cli, jobs):
    line = unshowable_price(project_dir)
    code, out, _ = run_cli(project_dir, "extract", "-j", jobs)
    assert code == 1
    told = price_lines(out)
    assert len(told) == 1
    assert re.match(rf"source/{KOREAN}.md:{line}: error: '[^']*\$1\.5[^']*' cannot be shown", told[0])
    code, out, err = run_cli(project_dir, "check", "-j", jobs)
    assert code == 1, err
    assert price_lines(out) == told   # the same words, once, not once per language


def test_check_names_only_the_languages_checked(project_dir, run_cli):
    unshowable_price(project_dir)
    _, out, _ = run_cli(project_dir, "check", "--lang", "es")
    assert len(price_lines(out)) == 1 and "in es:" in price_lines(out)[0]
    _, everyone, _ = run_cli(project_dir, "check")
    assert re.search(r"cannot be shown exactly in [^:]*\bja\b", price_lines(everyone)[0])


def test_check_without_such_a_price_is_what_it_was(project_dir, run_cli):
    code, out, _ = run_cli(project_dir, "check", "--format", "json")
    assert code == 0 and not any(p["check"] == "source.price" for p in json.loads(out))


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("broken", [False, True])
def test_check_todo_is_the_todo_lists_of_a_separate_index(project_dir, jobs, broken):
    """The plain route (todo_lists, its own index and catalog reads) stays the reference."""
    if broken:
        (project_dir / "source" / f"{SOFT}.md").write_text(BROKEN, encoding="utf-8")
    project = Project(project_dir)
    langs = project.languages
    problems, items = check_all(project, langs, jobs, with_todo=True)
    expected = [p for t in todo_lists(Project(project_dir), langs) for p in t.items]
    assert items and items == expected
    assert check_all(Project(project_dir), langs, jobs) == (problems, [])
    assert any(SOFT in p.path for p in items) is not broken


def test_every_reader_of_the_guides_reports_a_broken_one_alike(project_dir):
    """extract (its own chunk), the Builder (every language) and the catalog commands' index: one problem list."""
    (project_dir / "source" / f"{SOFT}.md").write_text(BROKEN, encoding="utf-8")
    project = Project(project_dir)
    index = sources(project)
    assert SOFT not in index.readable(project.guides)
    expected = index.problems
    assert expected and all(p.path == f"source/{SOFT}.md" and p.line == 3 for p in expected)
    from workflow.catalogs.commands import extract
    assert [p for p in extract(Project(project_dir), jobs=1)[1] if p.check != "source.price"] == expected
    builder = Builder(Project(project_dir))
    results = builder.build_languages(["ja", "es"], [SOFT])
    for lang in ("ja", "es"):
        (edition,) = results[lang].editions
        assert not edition.ok and edition.problems == expected
    assert list(builder.sources.broken) == [SOFT]


def test_the_kept_prices_are_the_plain_route(project_dir, monkeypatch):
    """SourceIndex.prices keeps its findings in .cache/prices; a kept entry, a planted one and a fresh
    computation all give showable.unshowable's problems (the plain route, the reference)."""
    from workflow.editions import showable
    unshowable_price(project_dir)
    project = Project(project_dir)
    langs, guides = project.languages, project.guides

    def plain(langs):
        fresh = Project(project_dir)
        return [p for g in guides for p in sorted(showable.unshowable(fresh.document(g), langs), key=lambda p: p.line)]

    expected = plain(langs)
    assert any(p.check == "source.price" for p in expected)
    assert sources(project).prices(guides, langs) == expected                  # computed, then kept
    monkeypatch.setattr(showable, "unshowable", lambda *a: pytest.fail("not read from .cache/prices"))
    assert sources(Project(project_dir)).prices(guides, langs) == expected     # read back
    monkeypatch.undo()
    for entry in (project_dir / ".cache" / "prices").iterdir():
        entry.write_bytes(b"[]")                                               # planted "no problems": a miss
    assert sources(Project(project_dir)).prices(guides, langs) == expected
    only_es = sources(Project(project_dir)).prices(guides, ["es"])             # other languages, other key
    assert only_es == plain(["es"]) and only_es != expected


def test_check_says_the_same_whatever_jobs(project_dir, run_cli):
    """The price's guide and the broken guide fall in different chunks at -j 2: the source's problems keep
    one order (guides that do not parse, then prices), whichever chunk has which."""
    unshowable_price(project_dir)
    (project_dir / "source" / f"{SOFT}.md").write_text(BROKEN, encoding="utf-8")
    outputs = [run_cli(project_dir, "check", "--format", "json", "-j", jobs)[1] for jobs in ("1", "2")]
    assert outputs[0] == outputs[1]
    assert [p["check"] for p in json.loads(outputs[0])[:2]] == ["source.front-matter", "source.price"]
