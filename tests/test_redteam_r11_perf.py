"""Red team against round 11's performance changes (entry heads read 4 kB first, remembered paths, the
digest memo's one lstat, the month pre-check, the checks' shared source readings, lazy imports): a
rebuild publishes what a cold build would, a verdict is the one the code before the round gave, and
whatever is planted in .cache is ignored, never a crash."""
from __future__ import annotations

import pytest

from workflow import sealed
from workflow.project import Project
from workflow.publishing.builder import Builder

from conftest import copy_project, plant_entry


def _claim(data: bytes, length: bytes) -> bytes:
    """A sealed-head entry whose first line declares another head length (the line is not authenticated)."""
    line, _, rest = data.partition(b"\n")
    magic, mac, _ = line.split(b" ")
    return magic + b" " + mac + b" " + length + b"\n" + rest


@pytest.mark.parametrize("length", [b"99999999999999999999999", b"1000000000000"])
def test_an_entry_claiming_a_huge_head_is_a_miss_not_a_crash(tmp_path, run_cli, length):
    """get_head reads a head longer than 4 kB again to the length the first line claims: an
    unauthenticated number (OverflowError past 2**63, MemoryError at 1 TB: the build died)."""
    root = copy_project(tmp_path / "project")
    assert run_cli(root, "build", "--lang", "es")[0] == 0
    project = Project(root)
    builder = Builder(project)
    guide = project.guides[0]
    key = builder.edition_key(guide, "es")
    builder._entries.refresh()
    honest = builder._entries.read(key)
    plant_entry(builder._entries, key, _claim(honest, length))
    assert sealed.head_end(builder._entries.read(key)) > len(honest)
    assert builder._stored(key) is None
    assert run_cli(root, "build", "--lang", "es")[0] == 0
    assert Builder(Project(root))._stored(key) is not None   # built again and stored
