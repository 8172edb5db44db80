"""An edition's cache entry (publishing.entries.pack, stored many to a file: packs.py) has its head sealed: it gives back exactly the result
and the files that were stored, whatever bytes the files hold; anything but the entry this installation
sealed for that key is a miss, and files altered after the head was sealed are never published."""
from __future__ import annotations

import hashlib
import json
import shutil

from hypothesis import given, settings, strategies as st

from workflow import sealed
from workflow.project import Project
from workflow.publishing.builder import Builder, EditionResult
from workflow.publishing.entries import entry_files as _files, entry_result as _result, pack as _pack

from conftest import cache_entries, cache_store, copy_project, plant_entry

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
contents = st.binary(max_size=300) | st.sampled_from([b"", b"\n", b"\n\n{}\n", "日本語\n".encode()])
results = st.fixed_dictionaries({"guide": names, "lang": names, "key": names, "ok": st.booleans(),
                                 "summary": st.dictionaries(names, st.integers() | names, max_size=3),
                                 "problems": st.lists(st.dictionaries(names, names, max_size=2), max_size=3)})


@settings(max_examples=300, deadline=None)
@given(results, st.dictionaries(names, contents, max_size=5))
def test_entry_gives_back_what_was_stored(result, files):
    entry = _pack(result, files)
    data, got = _files(*sealed.unseal_head(entry))
    assert got == files and list(got) == sorted(files)
    assert data == _result(*sealed.unseal_head(entry[:sealed.head_end(entry)]))
    assert data == {**json.loads(json.dumps(result)),
                    "files": {n: [len(files[n]), hashlib.sha256(files[n]).hexdigest()] for n in sorted(files)}}


def test_stored_editions_read_back_and_foreign_entries_are_misses(tmp_path):
    project = Project(copy_project(tmp_path))
    builder = Builder(project)
    guides = project.guides[:2]
    result = builder.build_language("ja", guides)
    one, two = (e.key for e in result.editions)
    files = builder.edition_bytes(one)
    assert files and all(isinstance(data, bytes) and data for data in files.values())
    assert builder._stored(one)["ok"] == result.editions[0].ok
    store = builder._entries
    genuine = store.read(one)
    plant_entry(store, one, genuine.replace(b"</html>", b"</htm>"))  # sealed head, a file altered after
    assert builder._stored(one) is not None and builder._entry(one) is None
    for plant in (genuine.replace(b'"ok"', b'"OK"'),                 # sealed, then the head altered
                  genuine.split(b"\n", 1)[1],                        # unsealed
                  genuine[:sealed.head_end(genuine) - 1],            # cut inside the head
                  store.read(two)):                                  # sealed for another key
        assert plant != genuine
        plant_entry(store, one, plant)
        assert builder._stored(one) is None and builder._entry(one) is None
    rebuilt = builder.build_language("ja", guides)
    assert not rebuilt.editions[0].cached and rebuilt.editions[1].cached
    assert builder.edition_bytes(one) == files


def test_a_cached_file_altered_after_sealing_is_rebuilt_never_published(tmp_path, run_cli):
    """A rebuild reads only an entry's sealed head; the files after it are checked against the sha256s the
    head names when a release takes them: an altered (or cut) file makes the edition built again."""
    root = copy_project(tmp_path)
    assert run_cli(root, "publish", "--lang", "ja")[0] == 0
    release = root / "dist" / "ja" / "current"
    clean = {p.name: p.read_bytes() for p in sorted(release.iterdir()) if p.suffix in (".html", ".md", ".json") and p.name != "manifest.json"}
    genuine = cache_entries(root, "editions")
    assert len(genuine) >= 2
    store = cache_store(root, "editions")
    for n, (key, data) in enumerate(genuine.items()):
        end = sealed.head_end(data)
        altered = data[:end] + (data[end:].replace(b"</html>", b"</HTML>", 1) if n % 2
                                else data[end:-1])
        assert sealed.unseal_head(altered) is not None and altered != data   # the head still reads as sealed
        plant_entry(store, key, altered)
    shutil.rmtree(root / "dist")
    code, out, err = run_cli(root, "publish", "--lang", "ja")
    assert code == 0, out + err
    assert {p.name: p.read_bytes() for p in sorted(release.iterdir()) if p.name in clean} == clean
    assert cache_entries(root, "editions") == genuine   # built again, stored again
