"""One build task's share: some guides in every language of the build (the in-process executor's
chunks: each guide parsed once for all its languages, by the worker process's long-lived Builder).

What each edition came to is returned as an outcome string for the build record (record.py):
"ok", "refused" (built, refused by a check or the verification: the callback stands in for it), or
"error: <problem lines>" (not built: another project's content, a WorkflowError, or a transient fault
that outlived every try). Transient faults are per language: the others of the chunk are kept
(their editions are cached), and only the failing languages are tried again.
"""
from __future__ import annotations

import errno
import logging
import os
import time

from ..parallel import chunk_size
from ..model import ERROR, Problem, WorkflowError
from . import messages
from .record import edition_error
from .app import env_number

log = logging.getLogger(__name__)

BUILD_TASK = "workflow.tasks.build_guides"
# Editions per build task: ~1 s of work, so the per-task cost (a ~6 ms round trip, one record
# transaction) stays below 1 % and the last task's tail is short; and at least 4 tasks per process for
# up to SPREAD processes (parallel.chunk_size), so that processes finish together.
TASK_EDITIONS = 40
SPREAD = 16
# The last tasks shrink (guided scheduling): a task is at most 1/TAIL of the guides still to queue, so the
# queue ends in tasks of one guide, and a process that runs out of work waits for the others' last small
# task, not for a whole one (2 processes idled half a task, ~0.23 s, at the end of each build). A few more
# tasks (4 for 300 guides), each ~10 ms of messages and record.
TAIL = 4

# Test hooks (read in the worker process, never set in production):
DELAY_ENV = "WORKFLOW_TASK_DELAY"     # seconds slept per edition before building (to kill workers mid-build)
FAIL_ENV = "WORKFLOW_FAIL_LANG"       # a transient OSError for every edition of this language, on every try
FAIL_GUIDE_ENV = "WORKFLOW_FAIL_GUIDE"  # the same for this guide only (in FAIL_LANG, or in every language)


def build_chunks(guides: list[str], langs: list[str]) -> list[list[str]]:
    """The guides of each build task (every language of the build in each)."""
    most = max(1, int(env_number("WORKFLOW_TASK_EDITIONS", TASK_EDITIONS)) // max(1, len(langs)))
    guides = list(guides)
    top = chunk_size(len(guides), SPREAD, most)
    chunks, start = [], 0
    while start < len(guides):
        size = max(1, min(top, -(-(len(guides) - start) // TAIL)))
        chunks.append(guides[start:start + size])
        start += size
    return chunks


def build_signatures(app, build_id: str, chunks: list[list[str]], langs: list[str], keys: dict) -> list:
    return [app.signature(BUILD_TASK, args=(chunk, langs, build_id, {l: {g: keys[l][g] for g in chunk}
                                                                           for l in langs}))
            for chunk in chunks]


class LanguagesFailed(OSError):
    """Transient faults of some languages of a chunk; `langs` says which (only their retries are counted).
    Picklable with its languages: Celery hands on_retry a pickled copy."""

    def __init__(self, langs: list[str], message: str):
        super().__init__(errno.EIO, message)
        self.langs = list(langs)

    def __reduce__(self):
        return type(self), (self.langs, self.strerror)

    @classmethod
    def of(cls, failed: dict[str, BaseException]) -> "LanguagesFailed":
        first = next(iter(failed.values()))
        return cls(list(failed), f"{', '.join(failed)}: {type(first).__name__}: {first}")


def _injected_fault(lang: str, guides: list[str]) -> None:
    fail_lang, fail_guide = os.environ.get(FAIL_ENV), os.environ.get(FAIL_GUIDE_ENV)
    if (fail_lang or fail_guide) and fail_lang in (None, lang) and (fail_guide is None or fail_guide in guides):
        raise OSError(errno.EIO, f"injected transient fault for {fail_lang or fail_guide} ({FAIL_ENV})")


def build_language(builder, lang: str, guides: list[str], keys: dict[str, str]) -> dict[str, str]:
    """Outcomes of `guides` in `lang`; a transient error (OSError, Redis) propagates."""
    outcomes = {}
    for guide in guides:   # a worker that sees other content than the client's builds none of it
        if keys.get(guide) and builder.edition_key(guide, lang) != keys[guide]:
            outcomes[guide] = edition_error([messages.refused_problem(
                "workflow.tasks.build_guides", "this worker's project has other content than the client's "
                f"(another project, or files changed since dispatch) for {guide}")])
    rest = [g for g in guides if g not in outcomes]
    delay = env_number(DELAY_ENV, 0)
    if delay:
        time.sleep(delay * len(rest))
    _injected_fault(lang, rest)
    if not rest:
        return outcomes
    try:
        result = builder.build_language(lang, rest)
    except WorkflowError as exc:     # deterministic: not retried, these guides are refused
        return {**outcomes, **{g: edition_error(exc.as_problems(f"source/{g}.md", "build")) for g in rest}}
    return {**outcomes, **{e.guide: "ok" if e.ok else "refused" for e in result.editions}}


def build(builder, guides: list[str], langs: list[str], keys: dict, transient: tuple) -> tuple[dict, dict]:
    """(outcomes by (lang, guide), transient faults by lang) of a chunk, language by language."""
    outcomes, failed = {}, {}
    for lang in langs:
        try:
            built = build_language(builder, lang, guides, keys.get(lang) or {})
        except transient as exc:
            failed[lang] = exc
            continue
        outcomes.update({(lang, g): v for g, v in built.items()})
    return outcomes, failed


def isolate(builder, lang: str, guides: list[str], keys: dict, transient: tuple, gave_up: str) -> dict:
    """The last try of a failing language: guide by guide, so that only the guides that still fail are
    refused (`gave_up` says why), not the chunk's other guides."""
    outcomes = {}
    for guide in guides:
        try:
            outcomes.update({(lang, g): v for g, v in build_language(builder, lang, [guide], keys).items()})
        except transient as exc:
            log.warning("gave up on %s in %s %s: %s: %s", guide, lang, gave_up, type(exc).__name__, exc)
            outcomes[(lang, guide)] = edition_error([gave_up_problem(lang, guide, f"{type(exc).__name__}: {exc} {gave_up}")])
    return outcomes


def gave_up_problem(lang: str, guide: str, why: str) -> Problem:
    return Problem(f"source/{guide}.md", 1, ERROR, f"[{lang}] not built, the worker gave up: {why}", "distributed")
