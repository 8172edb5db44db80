"""Red team of the PO reader's quick route (workflow.catalogs.quick) and the checks' plain-text skip
(checks.registry.plain_pair): hostile catalogs and translations, each compared with the plain route.

Each test is an attack; it failed on the code it was written against and passes on the fix (or held
from the start, which the docstring says).
"""
from __future__ import annotations

import time

from workflow.catalogs import quick, reader
from workflow.model import WorkflowError

HEADER = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\nLanguage: de\\n"\n\n'


def _refused(data: bytes) -> bool:
    try:
        reader.read(data, "x.po")
    except WorkflowError:
        return True
    return False


def test_a_line_the_quick_route_cannot_read_ends_it_at_once():
    """Broke: quick.read searched on past the first line it could not read (finditer, no anchor), and
    each search position re-read the comment block that followed: quadratic, a 40 KB catalog took 30 s
    of CPU to refuse and one at the 4 MiB limit days, where the strict route takes milliseconds."""
    for data in (b"#\n" * 10_000 + b'msgid "a"\n',                                # no msgstr
                 HEADER + b"#. note\n" * 10_000 + b'msgid "a"\nmsgstr "b" \n'):  # trailing space
        start = time.process_time()
        assert quick.read(data) is None
        assert time.process_time() - start < 0.5   # ~1 ms fixed; ~2 s (20 KB) broken
        assert _refused(data) == (data.endswith(b'"a"\n'))
