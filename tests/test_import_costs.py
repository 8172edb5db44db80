"""What each process imports at start-up (the cold job starts ~6): the saving holds and changes no answer.

- policy's spacing marks are a literal table, not derived at import: it must equal what unicodedata says
  (a new Unicode version fails here, and the table is then regenerated);
- an extract worker imports no checks (nor Jinja2 with them): catalogs.sources imports checks.runner only
  for the ui index, which still reads as before.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from workflow.checks import policy

ROOT = Path(__file__).resolve().parent.parent


def _derived() -> set[int]:
    return {c for c in range(0x300, 0x1e000) if unicodedata.category(chr(c)) == "Mc"}


def _table() -> set[int]:
    out: set[int] = set()
    for r in policy.SPACING_MARKS:
        out.update([r] if isinstance(r, int) else range(r[0], r[1] + 1))
    return out


def test_spacing_marks_are_unicodedatas():
    assert _table() == _derived()


def test_spacing_mark_pattern_matches_what_the_derived_one_did():
    """The pattern as it was built at import (the reference) and the table's find the same marks."""
    reference = re.compile(r"(?<=\w)[" + "".join(map(chr, sorted(_derived()))) + "]")
    every = [chr(c) for c in range(0x300, 0x1e000) if not 0xd800 <= c <= 0xdfff]
    after_letter, after_space = "".join("a" + ch for ch in every), "".join(" " + ch for ch in every)
    for text in (after_letter, after_space, "".join(every), "क" + "ा" * 5 + " ि" + "\u0903\u093b"):
        assert policy._SPACING_MARK.findall(text) == reference.findall(text)
    assert len(policy._SPACING_MARK.findall(after_letter)) == len(_derived())


def _modules_after(code: str) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
                         env=env, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return set(out.split())


def test_an_extract_worker_imports_no_checks():
    loaded = _modules_after("from workflow.catalogs import commands")
    assert not {m for m in loaded if m.startswith(("workflow.checks", "jinja2", "workflow.publishing"))}


def test_the_ui_index_still_imports_the_checks_it_needs():
    loaded = _modules_after("from workflow.catalogs.sources import SourceIndex")
    assert "workflow.checks.runner" not in loaded
    from workflow.catalogs.sources import SourceIndex
    from workflow.checks import runner
    assert SourceIndex.__missing__.__code__.co_names.count("runner") >= 1 and runner.source_for_ui


def test_a_build_worker_imports_no_release_store_and_no_catalog_writer():
    """A build worker imports publishing.run (for _build_chunk), a rebuild runs it: neither writes a release
    (tarfile, gzip, the site) nor a catalog (Babel's PO writer), which are imported where they are used."""
    loaded = _modules_after("from workflow.publishing import run")
    assert not {m for m in loaded if m in ("tarfile", "gzip", "babel.messages.pofile") or m.startswith(
        ("workflow.publishing.store", "workflow.publishing.assemble", "workflow.publishing.site",
         "workflow.catalogs.writer", "workflow.catalogs.quickwrite"))}

