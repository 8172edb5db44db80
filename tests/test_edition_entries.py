"""An edition's cache entry is one sealed file (builder._pack): it gives back exactly the result and the
files that were stored, whatever bytes the files hold, and anything but the entry this installation
sealed for that key is a miss."""
from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from workflow import sealed
from workflow.project import Project
from workflow.publishing.builder import Builder, EditionResult, _pack, _unpack

from conftest import copy_project

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
contents = st.binary(max_size=300) | st.sampled_from([b"", b"\n", b"\n\n{}\n", "日本語\n".encode()])
results = st.fixed_dictionaries({"guide": names, "lang": names, "key": names, "ok": st.booleans(),
                                 "summary": st.dictionaries(names, st.integers() | names, max_size=3),
                                 "problems": st.lists(st.dictionaries(names, names, max_size=2), max_size=3)})


@settings(max_examples=300, deadline=None)
@given(results, st.dictionaries(names, contents, max_size=5))
def test_entry_gives_back_what_was_stored(result, files):
    data, got = _unpack(sealed.unseal(sealed.seal(_pack(result, files))))
    assert got == files and list(got) == sorted(files)
    assert data == {**json.loads(json.dumps(result)), "files": {n: len(files[n]) for n in sorted(files)}}


def test_stored_editions_read_back_and_foreign_entries_are_misses(tmp_path):
    project = Project(copy_project(tmp_path))
    builder = Builder(project)
    guides = project.guides[:2]
    result = builder.build_language("ja", guides)
    one, two = (e.key for e in result.editions)
    files = builder.edition_bytes(one)
    assert files and all(isinstance(data, bytes) and data for data in files.values())
    assert builder._stored(one)["ok"] == result.editions[0].ok
    path = builder.cache_path(one)
    genuine = path.read_bytes()
    for plant in (genuine.replace(b"</html>", b"</htm>"),           # sealed, then altered
                  genuine.split(b"\n", 1)[1],                        # unsealed
                  builder.cache_path(two).read_bytes()):             # sealed for another key
        assert plant != genuine
        path.write_bytes(plant)
        assert builder._stored(one) is None
    rebuilt = builder.build_language("ja", guides)
    assert not rebuilt.editions[0].cached and rebuilt.editions[1].cached
    assert builder.edition_bytes(one) == files
