"""The Celery build's scheduling, without a broker: chunks that shrink towards the end of the queue
(guided scheduling), and the worker's warm-up before its pool forks (nothing written, nothing fatal)."""
from __future__ import annotations

import gc
import logging

import pytest

from conftest import copy_project
from workflow.distributed import chunk, tasks

LANGS = ["fr", "de", "it", "pt_BR", "ru", "ko", "nl", "pl", "tr", "en_XA"]


@pytest.mark.parametrize("count", [0, 1, 3, 17, 64, 300, 1001])
def test_chunks_hold_every_guide_once_in_order(count):
    guides = [f"g{i:04d}" for i in range(count)]
    chunks = chunk.build_chunks(guides, LANGS)
    assert [g for c in chunks for g in c] == guides
    assert all(c for c in chunks)


def test_chunks_shrink_to_one_guide_at_the_end():
    guides = [f"g{i:04d}" for i in range(300)]
    sizes = [len(c) for c in chunk.build_chunks(guides, LANGS)]
    top = chunk.TASK_EDITIONS // len(LANGS)
    assert max(sizes) == top and sizes[0] == top
    assert sizes == sorted(sizes, reverse=True)           # big first, small last
    assert sizes[-chunk.TAIL:] == [1] * chunk.TAIL
    assert len(sizes) <= 300 // top + chunk.TAIL + 1         # a few more tasks than equal chunks, not many
    # every process still gets several tasks when SPREAD processes share the build
    assert len(sizes) >= 4 * chunk.SPREAD


def test_chunk_size_follows_the_editions_per_task(monkeypatch):
    monkeypatch.setenv("WORKFLOW_TASK_EDITIONS", "20")
    sizes = [len(c) for c in chunk.build_chunks([f"g{i}" for i in range(300)], LANGS)]
    assert max(sizes) == 2 and sizes[-1] == 1


@pytest.fixture
def unfreeze():
    yield
    gc.unfreeze()


def test_warm_up_builds_in_memory_only(tmp_path, monkeypatch, unfreeze):
    project = copy_project(tmp_path / "project")
    monkeypatch.setattr(tasks, "PROJECT_ROOT", str(project))
    monkeypatch.setattr(tasks, "_builders", {})
    tasks.warm()
    editions = project / ".cache" / "editions"
    assert not editions.exists() or not any(editions.iterdir())
    stamp, builder = tasks._builders[str(project)]
    assert tasks._builder() is builder            # the first task keeps the warmed Builder: same inputs
    (project / "source" / sorted(p.name for p in (project / "source").glob("*.md"))[0]).write_text(
        "---\ntitle: changed\n---\n\nchanged\n", encoding="utf-8")
    assert tasks._builder() is not builder        # ... and drops it when an input changed since


def test_warm_up_without_a_project_only_logs(tmp_path, monkeypatch, caplog, unfreeze):
    monkeypatch.setattr(tasks, "PROJECT_ROOT", str(tmp_path / "nothing"))
    monkeypatch.setattr(tasks, "_builders", {})
    with caplog.at_level(logging.WARNING, logger=tasks.__name__):
        tasks.warm()
    assert "warming up skipped" in caplog.text
