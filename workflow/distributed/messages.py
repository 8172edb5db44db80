"""Task messages as untrusted input: parsed against a fixed schema and the worker's own project.

Anyone who can write to the broker can send a message, so a message carries names and hashes only:
guide and language names (which must be the worker's project's), a build id, content hashes (edition
keys) and an epoch. Never a root, an output folder or a template path: the worker builds the project
it was started for (WORKFLOW_PROJECT or its working folder, fixed at start) and takes every path from
it. A message with a field this schema does not name, a value of the wrong type, or a name the
project does not have is refused with a reason that quotes at most a few characters of it.
"""
from __future__ import annotations

import re

from ..model import Problem

_BUILD_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_KEY = re.compile(r"[0-9a-f]{32}")
_PROBLEM_FIELDS = {"path": str, "line": int, "severity": str, "message": str, "check": str, "segment": (str, type(None))}

# task -> (positional fields, in order; then the optional ones): the whole message schema
SCHEMAS = {
    # some guides in every language of a build: keys maps each language to its guides' edition keys
    "workflow.tasks.build_guides": (("guides", "langs"), ("build_id", "keys")),
    "workflow.tasks.publish_language": (("results", "lang"), ("build_id", "epoch", "guides", "release_guides", "keys")),
    "workflow.tasks.report_language": (("results", "lang"), ("build_id", "epoch", "guides", "release_guides", "keys")),
}


class Refused(Exception):
    """A message this worker does not act on; str() is safe to log (no field quoted in full)."""


def quote(value) -> str:
    text = value if isinstance(value, str) else type(value).__name__
    return repr(text[:24] + ("..." if len(text) > 24 else ""))


def parse(task: str, args, kwargs, guides: list[str], langs: list[str]) -> dict:
    """The message's fields by name, each validated; Refused otherwise."""
    required, optional = SCHEMAS[task]
    names = required + optional
    args, kwargs = list(args or ()), dict(kwargs or {})
    if len(args) > len(names):
        raise Refused(f"{len(args)} arguments, at most {len(names)} expected (an old client sending a project root?)")
    fields = dict(zip(names, args))
    for name in kwargs:
        if name not in names or name in fields:
            raise Refused(f"unexpected field {quote(name)}; a message names no root, output or template")
    fields.update(kwargs)
    missing = [n for n in required if n not in fields]
    if missing:
        raise Refused(f"missing field(s) {', '.join(missing)}")
    for name in optional:
        fields.setdefault(name, None)
    _check_names(fields, guides, langs)
    _check_values(fields)
    return fields


def _check_names(fields: dict, guides: list[str], langs: list[str]) -> None:
    chosen_langs = fields["langs"] if "langs" in fields else [fields["lang"]]
    if not isinstance(chosen_langs, list) or ("langs" in fields and not chosen_langs):
        raise Refused("langs is not a list of languages")
    for lang in chosen_langs:
        if not isinstance(lang, str) or lang not in langs:
            raise Refused(f"language {quote(lang)} is not one of this worker's project")
    chosen = fields["guides"] or []
    release = fields.get("release_guides") or []
    if not isinstance(chosen, list) or not isinstance(release, list) or ("langs" in fields and not chosen):
        raise Refused("guides is not a list of guides")
    chosen = chosen + release
    for guide in chosen:
        if not isinstance(guide, str) or guide not in guides:
            raise Refused(f"guide {quote(guide)} is not one of this worker's project")


def _check_values(fields: dict) -> None:
    build_id, epoch = fields["build_id"], fields.get("epoch")
    if build_id is not None and not (isinstance(build_id, str) and _BUILD_ID.fullmatch(build_id)):
        raise Refused(f"build id {quote(build_id)} is not a build id")
    if epoch is not None and not (type(epoch) is int and 0 <= epoch < 2 ** 40):
        raise Refused("epoch is not a timestamp")
    keys = fields.get("keys")
    if keys is not None and "langs" in fields:
        if not (isinstance(keys, dict) and all(isinstance(k, str) and _guide_keys(v) for k, v in keys.items())):
            raise Refused("keys is not a mapping of languages to edition keys")
    elif keys is not None and not _guide_keys(keys):
        raise Refused("keys is not a mapping of guide names to content hashes")
    if "results" in fields:
        if not isinstance(fields["results"], list):
            raise Refused("results is not a list")
        for result in fields["results"]:
            for problem in (result.get("problems") if isinstance(result, dict) and result.get("error") else None) or []:
                _check_problem(problem)


def _guide_keys(keys) -> bool:
    return isinstance(keys, dict) and all(isinstance(k, str) and isinstance(v, str) and _KEY.fullmatch(v)
                                          for k, v in keys.items())


def _check_problem(problem) -> None:
    if not isinstance(problem, dict) or set(problem) != set(_PROBLEM_FIELDS) or not all(
            isinstance(problem[name], kind) for name, kind in _PROBLEM_FIELDS.items()):
        raise Refused("a result's problem is not a problem")


def refused_problem(task: str, reason: str) -> Problem:
    return Problem("(task message)", 1, "error", f"{task} message refused: {reason}", "distributed.message")
