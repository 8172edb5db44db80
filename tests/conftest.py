"""Shared fixtures: a throwaway copy of the real project per test, and a CLI runner."""
from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from workflow.cli import main
from workflow.packs import PackStore

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("source", "locales", "templates", "workflow.yaml")


def copy_project(target: Path, languages=None) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        elif src.exists():
            shutil.copy2(src, target / part)
    if languages is not None:
        for folder in (target / "locales").iterdir():
            if folder.name != "templates" and folder.name not in languages:
                shutil.rmtree(folder)
    return target


def cache_store(root: Path, kind: str) -> PackStore:
    """.cache/<kind> (editions, checks) as a new process reads its index."""
    store = PackStore(Path(root).resolve(), Path(root).resolve() / ".cache" / kind)
    store.refresh()
    return store


def cache_entries(root: Path, kind: str) -> dict[str, bytes]:
    """Every entry of .cache/<kind> its index names: key -> the entry's bytes."""
    store = cache_store(root, kind)
    return {key: store.read(key) for key in store.keys()}


def plant_entry(store: PackStore, key: str, data: bytes) -> None:
    """What anyone who can write .cache can do: a pack of one's own and an index line naming it for `key`."""
    store.folder.mkdir(parents=True, exist_ok=True)
    store.write([(key, "0" * 16, data)])


def untranslate(po_path: Path) -> None:
    """Empty every msgstr of a catalog: a guide nobody has translated (the memory may prefill text that
    other guides share)."""
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = ""
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    catalog.save()


@pytest.fixture
def project_dir(tmp_path, monkeypatch) -> Path:
    """A full copy of the project (sources, all catalogs, templates) in tmp_path."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path / "project")


@pytest.fixture
def es_project(tmp_path, monkeypatch) -> Path:
    """A copy of the project with Spanish as its only translation (the red teams' attacks go through es)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path / "project", languages=("es",))


@pytest.fixture
def run_cli(capsys):
    def run(project: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--project", str(project), *args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return run
