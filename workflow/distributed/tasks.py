"""Celery tasks: thin wrappers over the build and publish core.

Tasks carry names, hashes and ids (JSON only, never objects) and return small JSON dicts; the work
lives in `publishing.builder.Builder` (chunk.py splits it) and `publishing.run.publish_result`. A build
is a group of `build_guides` tasks, each some guides in every language (its outcomes go to the build
record, one transaction per task; its result is two counts, which no one waits for), and one callback per language sent when every guide is
done (callbacks.py). A task may run twice (redelivery after a lost worker or a broker restart): the
edition cache is keyed by content hashes and written with an atomic rename, and publishing takes a
per-language lock and is a no-op for identical content, so a second run is harmless. The reliability
settings (acks late, bounded retries, visibility timeout) are in app.py. Task names stay
`workflow.tasks.*`, whatever module holds them: queued messages and other clients name them so.
Test hooks: chunk.py.
"""
from __future__ import annotations

import gc
import logging
import os
import time

from celery import Task, shared_task
from celery.signals import worker_init

from ..model import ERROR, Problem, WorkflowError
from ..parallel import tune_collector
from ..project import Project
from ..publishing.builder import Builder
from ..publishing.plan import Plan
from ..publishing.run import LanguageReport, publish_result, report_for
from ..publishing.store import current_release
from . import callbacks, chunk, messages, record
from .app import MAX_RETRIES

log = logging.getLogger(__name__)
BUILD_TASK = chunk.BUILD_TASK

# A worker builds as the CLI does, with the same collector setting: every process that runs tasks imports this
# module (the worker's main process before its pool forks, which the children inherit; a solo pool; a spawned child)
tune_collector()


def _transient_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError
    return (OSError, RedisConnectionError, RedisTimeoutError, OperationalError)



# Fixed when the worker starts (tasks are imported before the pool forks): a message cannot move it.
PROJECT_ROOT = os.path.realpath(os.environ.get("WORKFLOW_PROJECT") or os.getcwd())

_builders: dict[str, tuple[tuple, object]] = {}


def _builder():
    """The Builder of this worker's project, per process, rebuilt when Project.worker_inputs change (by
    stat: parsing every guide again for each task cost ~0.5 s; catalogs are read by every build anyway)."""
    cached = _builders.get(PROJECT_ROOT)
    if cached:
        project = cached[1].project
        if cached[0] == project.inputs_stamp(project.worker_inputs()):
            # each task hashes files and resolves folders afresh, as a CLI run does: a task that refused
            # every guide (other keys than the client's) did not build, so nothing forgot its keys
            cached[1].forget_files()
            return cached[1]
    project = Project(PROJECT_ROOT)
    stamp = project.inputs_stamp(project.worker_inputs())
    builder = Builder(project)
    _builders.clear()
    _builders[PROJECT_ROOT] = (stamp, builder)
    return builder


@worker_init.connect
def warm(**_) -> None:
    """In the worker's main process, before its pool forks (the children inherit it): the project's Builder
    made and one throwaway edition of its first guide built in each published language (the source stand-in,
    in memory: no edition stored, nothing published; the guide's parse is cached as any parse). Each process's
    first task paid for it otherwise (CLDR data, currency words and marks, ui.po, compiled templates: ~0.3-0.5 s
    CPU, most of a task), in every process, in the first build after the worker started. Then the collector's
    permanent generation holds it all: the children's full collections skip it."""
    try:
        builder = _builder()
        for guide in builder.project.guides[:1]:
            for lang in builder.published_languages():
                try:
                    builder.source_stand_in(lang, guide, [])
                except Exception as exc:  # noqa: BLE001 - a broken catalog: its tasks will say why
                    log.warning("warming up %s skipped: %s: %s", lang, type(exc).__name__, exc)
            builder.forget_guides([guide])
    except Exception as exc:  # noqa: BLE001 - no project here yet, a broken one: the tasks will say why
        log.warning("warming up skipped: %s: %s", type(exc).__name__, exc)
    finally:
        gc.collect()
        gc.freeze()


def _message(task, args, kwargs):
    """(builder, fields) of a message for this worker's project; messages.Refused, logged, otherwise."""
    builder = _builder()
    try:
        fields = messages.parse(task.name, args, kwargs, builder.project.guides, builder.published_languages())
        if fields["build_id"]:
            _check_in_build(task.app.conf.broker_url, fields)
        return builder, fields
    except messages.Refused as exc:
        log.warning("refused a %s message (task %s): %s", task.name, task.request.id, exc)
        raise


def _check_in_build(url: str, fields: dict) -> None:
    """A message naming a build acts within it: the build exists (its client recorded it before queueing
    anything), still runs, and has the message's languages and guides. Otherwise a forged or stale message would
    create a record without `meta`, or count guides the build does not have towards its completion and
    send the callbacks before the build's own guides are built."""
    meta, state = record.build_meta(url, fields["build_id"])
    if meta is None:
        raise messages.Refused(f"build {fields['build_id']} was not started by any client (no build record)")
    if state != "running":   # a replayed task would send the callbacks, and publish, once more
        raise messages.Refused(f"build {fields['build_id']} is over ({state})")
    langs = fields["langs"] if "langs" in fields else [fields["lang"]]
    outside = [l for l in langs if l not in meta["languages"]] + \
        [g for g in fields["guides"] or [] if g not in meta["guides"]]
    if outside:
        raise messages.Refused(f"{messages.quote(outside[0])} is not part of build {fields['build_id']}")


class WorkflowTask(Task):
    """Retries transient errors a bounded number of times; records retries and failures."""
    autoretry_for = ()                    # set below: imports kept lazy
    max_retries = MAX_RETRIES
    retry_backoff = 1                     # 1, 2, 4 s (with jitter)
    retry_backoff_max = 8
    retry_jitter = True
    default_retry_delay = 1               # countdown of a retry after a pool child died

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        build_id, langs = _ids(self.name, args, kwargs)
        for lang in getattr(exc, "langs", None) or langs:   # a build task's failing languages only
            record.record_retry(self.app.conf.broker_url, build_id, lang)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        tries = f"{self.request.retries + 1} tr{'y' if not self.request.retries else 'ies'}"
        why = f"{type(exc).__name__}: {exc} (task {task_id}, {tries})"
        if self.name == BUILD_TASK:
            _gave_up(self, args, kwargs, why)
            return
        build_id, langs = _ids(self.name, args, kwargs)
        for lang in langs:
            record.record_failure(self.app.conf.broker_url, build_id, lang, why)


WorkflowTask.autoretry_for = _transient_errors()


def _ids(name: str, args, kwargs) -> tuple[str | None, list]:
    """(build id, languages) of a message that passed messages.parse: every task takes (x, lang or langs,
    build_id, ...)."""
    args = list(args or ())
    langs = kwargs.get("langs") or kwargs.get("lang") or (args[1] if len(args) > 1 else None)
    return kwargs.get("build_id") or (args[2] if len(args) > 2 else None), \
        (langs if isinstance(langs, list) else [langs] if langs else [])


def _gave_up(task, args, kwargs, why: str) -> None:
    """A build task out of tries as a whole (its process kept dying, or an unexpected error): each of its
    editions not recorded yet is refused with the reason; the build goes on without them."""
    try:
        builder, m = _message(task, args, kwargs)
    except messages.Refused:
        return
    outcomes = {(lang, guide): record.edition_error([chunk.gave_up_problem(lang, guide, why)])
                for lang in m["langs"] for guide in m["guides"]}
    _record(task, m, outcomes, keep=True)


def _record(task, m: dict, outcomes: dict, keep: bool = False) -> None:
    """One transaction for the chunk's editions; the task that completes the build sends the callbacks."""
    url, build_id = task.app.conf.broker_url, m["build_id"]
    if not build_id:
        return
    if record.record_chunk(url, build_id, outcomes, m["guides"], keep) and not record.is_cancelled(url, build_id):
        callbacks.send(task.app, build_id)


@shared_task(bind=True, base=WorkflowTask, name=BUILD_TASK)
def build_guides(self, *args, **kwargs) -> dict:
    """Build (or read from the cache) some guides in every language of a build; records each edition's
    outcome and returns counts (the record and the edition cache hold the rest).
    Message: (guides, langs, build_id, keys): keys[lang][guide] is the edition key the client computed,
    so a worker that sees other content than the client (another project, a stale mount) builds none of it."""
    try:
        builder, m = _message(self, args, kwargs)
    except messages.Refused as exc:
        return _refused_edition(self.name, str(exc))
    if record.is_cancelled(self.app.conf.broker_url, m["build_id"]):
        return {"cancelled": True}
    transient, keys = _transient_errors(), m["keys"] or {}
    outcomes, failed = chunk.build(builder, m["guides"], m["langs"], keys, transient)
    if failed and self.request.retries < self.max_retries:
        raise chunk.LanguagesFailed.of(failed)      # retried with backoff; what was built is cached
    tries = f"(task {self.request.id}, {self.request.retries + 1} tries)"
    for lang in failed:                          # the last try: only the guides that still fail give up
        outcomes.update(chunk.isolate(builder, lang, m["guides"], keys.get(lang) or {}, transient, tries))
    _record(self, m, outcomes)
    return {"editions": len(outcomes), "refused": sum(v != "ok" for v in outcomes.values())}


@shared_task(bind=True, name="workflow.tasks.build_edition")
def build_edition(self, *args, **kwargs) -> dict:
    """Retired (one task per edition until issue 17): a message still queued from an older client is
    refused, logged, and changes nothing; that client's build is then refused by its timeout."""
    reason = "this task is retired: one build_guides task now builds some guides in every language"
    log.warning("refused a %s message (task %s): %s", self.name, self.request.id, reason)
    return _refused_edition(self.name, reason)


def _refused_edition(task: str, reason: str, guide: str | None = None) -> dict:
    """What a refused build task returns: nothing built, written or recorded."""
    problem = messages.refused_problem(task, reason)
    return {"guide": guide, "lang": None, "ok": False, "error": problem.message, "problems": [problem.as_dict()]}


def _language(builder, lang: str, results: list[dict], build_id: str | None, plan: Plan,
              broker_url: str) -> dict:
    before, failed = None, [r for r in results or [] if isinstance(r, dict) and r.get("error")]
    if record.is_cancelled(broker_url, build_id):   # `workflow cancel`: nothing built further, nothing switched
        report = LanguageReport(lang, "cancelled")
    else:
        # reads the chunk tasks' edition entries from the cache; builds any edition missing from it itself,
        # except those whose task gave up: they are refused, and the policy stands in for them like any refusal
        refused = {r["guide"] for r in failed if r.get("guide")}
        result = builder.build_language(lang, [g for g in plan.guides if g not in refused])
        result.problems.extend(Problem(**p) for r in failed for p in r["problems"])
        if plan.publish:
            current = current_release(builder.project.output_dir / lang)
            before = record.record_before(broker_url, build_id, lang, current) or ""
            # the cancel flag again under the language's lock, just before the switch: `workflow cancel`
            # may land while this language builds, and the client then reports it cancelled
            report = publish_result(builder.project, builder, result, plan,
                                    stop=lambda: record.is_cancelled(broker_url, build_id))
        else:
            report = report_for(result, "built" if result.ok else "refused")
        for guide in sorted(refused - set(report.refused_guides)):
            report.refused_guides.append(guide)
            report.guides.setdefault(guide, "refused")
    report = record.record_language(broker_url, build_id, report, before)
    return report.as_dict()


def _callback(task, args, kwargs, publish: bool) -> dict:
    """A language callback's message parsed (messages.py), its plan made from the worker's own project."""
    try:
        builder, m = _message(task, args, kwargs)
    except messages.Refused as exc:
        return LanguageReport("-", "refused", problems=[messages.refused_problem(task.name, str(exc))]).as_dict()
    project, lang = builder.project, m["lang"]
    built = project.select_guides(m["guides"])
    release = project.select_guides(m["release_guides"]) if m["release_guides"] else project.guides
    plan = Plan((lang,), tuple(built), tuple(release), int(m["epoch"] or time.time()), publish)
    keys = m["keys"] or {}
    changed = [g for g in built if g in keys and builder.edition_key(g, lang) != keys[g]]
    if changed:   # a worker of another project, or a stale mount: nothing built or switched
        problem = messages.refused_problem(task.name, f"content differs from the client's for {changed[0]}")
        report = LanguageReport(lang, "refused", problems=[problem])
        return record.record_language(task.app.conf.broker_url, m["build_id"], report, None).as_dict()
    return _language(builder, lang, m["results"], m["build_id"], plan, task.app.conf.broker_url)


@shared_task(bind=True, base=WorkflowTask, name="workflow.tasks.publish_language")
def publish_language(self, *args, **kwargs) -> dict:
    """A language's callback: publish it once every guide is done (refused guides stood in for).
    Message: (results, lang, build_id, epoch, guides, release_guides, keys). `epoch` (the client's
    SOURCE_DATE_EPOCH or dispatch time) makes a redelivered callback write the same manifest; `guides` are
    the guides built (default: every guide), `release_guides` those the release holds (the others are
    stood in for, see publishing/assemble.py); `keys` the client's edition keys."""
    return _callback(self, args, kwargs, True)


@shared_task(bind=True, base=WorkflowTask, name="workflow.tasks.report_language")
def report_language(self, *args, **kwargs) -> dict:
    """A language's callback for `workflow build`: report the language, publish nothing."""
    return _callback(self, args, kwargs, False)


@shared_task(name="workflow.tasks.noop")
def noop(value=None):
    """An empty task: measures the per-task round trip (bench/celery_bench.py)."""
    return value
