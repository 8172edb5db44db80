"""YAML front matter: split it from the body and parse it, with errors that point at a line."""
from __future__ import annotations

from .. import safeyaml
from ..model import WorkflowError

CHECK = "source.front-matter"


def split(text: str, path: str) -> tuple[dict, str, int]:
    """Return (meta, body, body_first_line). Body line numbers stay those of the file."""
    if not text.startswith("---\n"):
        return {}, text, 1
    end = text.find("\n---\n", 3)
    if end < 0 and text.endswith("\n---"):
        end = len(text) - 4
    if end < 0:
        raise WorkflowError.at(path, 1, "front matter opened with '---' is never closed", CHECK)
    raw = text[4:end + 1]
    meta = safeyaml.load(raw, path, CHECK, first_line=2, what="front matter") or {}
    if not isinstance(meta, dict):
        raise WorkflowError.at(path, 2, "front matter must be a mapping of keys to values", CHECK)
    body_start = end + 5
    first_line = text.count("\n", 0, body_start) + 1
    return meta, text[body_start:], first_line


def key_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
