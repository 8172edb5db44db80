"""Red team against round 12's performance changes (the tagged positional parse cache, the check key's
digest from the memo, quickwrite's in-place chunks and memo, the flat rewrite, bidi controls found among
the characters read for numbers): hostile input costs linear time, a planted or malformed cache entry is
a miss, and a check key always names the bytes checked."""
from __future__ import annotations

import hashlib
import json
import re

import pytest

from workflow import codec, safefs, sealed
from workflow.catalogs import review
from workflow.editions import pagetext
from workflow.project import Project

from test_digest_memo import GUIDE, _aged, _same_size_edit, fine_clock   # noqa: F401 (a fixture)
from test_hashed_once import _key_of_read
from test_hostile_limits import run_python


def test_a_line_of_many_hyphenated_words_is_wrapped_in_linear_time():
    """quickwrite._chunks replaced each hyphenated run by its chunks in place, from the last: each
    replacement moved the rest of the line, so a translator's long line of short hyphenated words cost
    quadratic time in `update`, `extract`, every catalog written (320,000 words: 38 s; before round 12
    and now: under 2 s)."""
    cpu = float(run_python("import time; from workflow.catalogs.quickwrite import quick_normalize; "
                           "line = ' '.join(['ab-cd'] * 160000); "
                           "t = time.process_time(); quick_normalize(line, 76); "
                           "print(time.process_time() - t)", timeout=120))
    assert cpu < 4


def test_a_line_of_many_hyphenated_words_is_chunked_as_babel_does():
    from babel.messages.pofile import normalize
    from workflow.catalogs.quickwrite import quick_normalize
    line = " ".join(["ab-cd", "well-known", "x", "a--b", "state-of-the-art", "--", "é-ü"] * 300)
    for width in (76, 10, 1):
        assert quick_normalize(line, width) == normalize(line, width=width)


def test_an_edit_while_the_catalog_is_read_gives_the_key_of_the_bytes_read(project_dir, fine_clock, monkeypatch):
    """The reader's stat is taken at open, the bytes after: an edit in between (same size, mtime put back)
    hands over new bytes with the stat the memo hashed the old ones at. known_digest must look at the file
    again after the read (its ctime moved), or the new bytes get the old bytes' verdict."""
    project = Project(project_dir)
    path = project.po_path("es", GUIDE)
    _aged()
    old = project.file_digest(path)
    real = safefs.read_bytes_stat

    def edited_while_read(root, file, *args, **kwargs):
        data, info = real(root, file, *args, **kwargs)
        if file == path:
            _same_size_edit(path)
            data = path.read_bytes()   # what a read that came after the edit got
        return data, info

    monkeypatch.setattr(safefs, "read_bytes_stat", edited_while_read)
    cache = review.CheckCache(project)
    data = review.catalog_bytes(project, path, cache.opened)
    monkeypatch.setattr(safefs, "read_bytes_stat", real)
    key = cache.key("es", GUIDE, data)
    assert hashlib.sha256(data).hexdigest() != old   # new bytes, read with the stat the old ones were hashed at
    assert key == _key_of_read(project, "es", data)


def _planted(project: Project, entry, payload: bytes) -> bytes:
    """Sealed as read_cached reads it: the entry's name, then the payload."""
    return sealed.seal(project.rel(entry).encode() + b"\n" + payload)


def _deep(depth: int) -> bytes:
    return b'{"segments":[],"document":' + b"[" * depth + b"]" * depth + b"}"


HOSTILE = {
    "old layout": lambda good: json.dumps({"segments": [], "document": {"t": "Document", "v": {}}}).encode(),
    "three keys": lambda good: json.dumps({**json.loads(good), "x": 1}).encode(),
    "two other keys": lambda good: b'{"a":1,"b":2}',
    "a list": lambda good: b"[1,2]",
    "deep lists": lambda good: _deep(200_000),
    "deep dicts": lambda good: b'{"segments":[],"document":' + b'{"dict":{"k":' * 5000 + b"1" + b"}}" * 5000 + b"}",
    "huge int": lambda good: good.replace(b'{"segtext":0}', b'{"segtext":' + b"9" * 5000 + b"}", 1),
    "bool segref": lambda good: good.replace(b'{"segtext":0}', b'{"segtext":true}', 1),
    "a number for a text": lambda good: re.sub(rb'^\{"segments":\[\{"Segment":\["(?:[^"\\]|\\.)*"', b'{"segments":[{"Segment":[7',
                                               good, count=1),
    "segment as dict": lambda good: good.replace(b'"segments":[{"Segment":', b'"segments":[{"dict":', 1),
    "document empty": lambda good: json.dumps({"segments": [], "document": {}}).encode(),
    "document short": lambda good: json.dumps({"segments": [], "document": {"Document": []}}).encode(),
    "bad decimal": lambda good: json.dumps({"segments": [], "document": {"Decimal": "x" * 100}}).encode(),
    "not utf-8": lambda good: good[:100] + b"\xff\xfe" + good[100:],
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_planted_parse_cache_entry_of_the_wrong_shape_is_a_miss(project_dir, name):
    """The tagged positional layout (codec): a sealed entry (a shared WORKFLOW_CACHE_KEY, or an entry of
    another code version) that is not a Document as encode writes it is parsed again, never a crash."""
    project = Project(project_dir)
    parsed = project.document(GUIDE)
    [entry] = (project_dir / ".cache" / "documents").glob("*.json")
    good = sealed.unseal(entry.read_bytes()).partition(b"\n")[2]
    assert codec.encode(codec.decode(good)) == good and _planted(project, entry, good) == entry.read_bytes()
    entry.write_bytes(_planted(project, entry, HOSTILE[name](good)))
    with pytest.raises(ValueError):
        codec.decode(HOSTILE[name](good))
    again = Project(project_dir).document(GUIDE)
    assert codec.encode(again) == codec.encode(parsed)


@pytest.mark.parametrize("kind", ["latin-1", "ucs-2", "ucs-4"])
def test_flat_is_the_split_join_for_every_code_point_of_every_string_kind(kind):
    """The C flat's whitespace table stops at U+3000: every character above it, surrogates included, and
    every one in it, alone, between words and in runs, in strings of each kind."""
    widen = {"latin-1": "", "ucs-2": "\u0416", "ucs-4": "\U0001F600"}[kind]
    limit = {"latin-1": 0x100, "ucs-2": 0x10000, "ucs-4": 0x110000}[kind]
    assert pagetext.flat is not pagetext.flat_py   # the compiled route (make setup) against its reference
    for cp in range(limit):
        ch = chr(cp)
        texts = (f"{widen}{ch}{widen}", f"{widen} {ch}  {widen}{ch}") if kind == "ucs-4" else \
            (ch, f"a{ch}b", f" {ch} ", f"{ch}{ch}x", f"{widen}{ch}{widen}", f"{widen} {ch}  {widen}")
        for text in texts:
            assert pagetext.flat(text) == pagetext.flat_py(text), (hex(cp), text)


def _break_emergency_number(path) -> None:
    """A catalog whose first translation writes the ambulance number itself (an error of the checks)."""
    text = path.read_text(encoding="utf-8")
    at = text.index('msgstr "', text.index('msgstr "') + 1)
    while text[at + 8] == '"':
        at = text.index('msgstr "', at + 1)
    path.write_text(text[:at + 8] + "119 " + text[at + 8:], encoding="utf-8")


def test_a_check_verdict_moved_to_another_catalogs_key_is_a_miss(project_dir, run_cli):
    """.cache/checks entries were sealed without their key: anyone who can write .cache (a shared volume,
    with the shared WORKFLOW_CACHE_KEY) copies a clean catalog's sealed "no problems" to the key of a broken
    one (keys are content hashes anyone can compute), and `check` and the build's gate passed it."""
    project = Project(project_dir)
    path = project.po_path("es", GUIDE)
    assert run_cli(project_dir, "check", "--lang", "es", "-j", "1")[0] == 0
    clean = review.CheckCache(project).key("es", GUIDE, path.read_bytes())
    _break_emergency_number(path)
    code, out, _ = run_cli(project_dir, "check", "--lang", "es", "-j", "1")
    assert code != 0 and "emergency number 119" in out
    broken = review.CheckCache(Project(project_dir)).key("es", GUIDE, path.read_bytes())
    folder = project_dir / ".cache" / "checks"
    (folder / f"{broken}.json").write_bytes((folder / f"{clean}.json").read_bytes())
    code, out, _ = run_cli(project_dir, "check", "--lang", "es", "-j", "1")
    assert code != 0 and "emergency number 119" in out


def test_a_parse_moved_to_another_guides_key_is_a_miss(project_dir):
    """.cache/documents the same way: guide B's sealed parse copied to guide A's key made A's editions
    B's text (verified against that same parse), or an old parse of A its text of before an edit."""
    project = Project(project_dir)
    first, second = project.guides[:2]
    parsed = codec.encode(project.document(first))
    project.document(second)
    entries = project_dir / ".cache" / "documents"
    (entries / f"{project.document_keys[first]}.json").write_bytes(
        (entries / f"{project.document_keys[second]}.json").read_bytes())
    assert codec.encode(Project(project_dir).document(first)) == parsed
