"""YAML front matter: split it from the body and parse it, with errors that point at a line."""
from __future__ import annotations

import yaml

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
    try:
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        scanning = isinstance(exc, yaml.scanner.ScannerError) and getattr(exc, "context_mark", None)
        mark = exc.context_mark if scanning else getattr(exc, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)
        raise WorkflowError.at(path, line, f"malformed front matter: {getattr(exc, 'problem', exc)}",
                               CHECK) from None
    except (ValueError, TypeError) as exc:  # YAML that parses but cannot be built, e.g. `date: 2026-13-45`
        raise WorkflowError.at(path, _unbuildable_line(raw), f"malformed front matter: {exc}", CHECK) from None
    if not isinstance(meta, dict):
        raise WorkflowError.at(path, 2, "front matter must be a mapping of keys to values", CHECK)
    body_start = end + 5
    first_line = text.count("\n", 0, body_start) + 1
    return meta, text[body_start:], first_line


def _unbuildable_line(raw: str) -> int:
    for number, row in enumerate(raw.split("\n"), start=2):
        try:
            yaml.safe_load(row)
        except (ValueError, TypeError):
            return number
        except yaml.YAMLError:
            continue
    return 2


def key_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
