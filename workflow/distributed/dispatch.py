"""Distributed build: build tasks by chunks of guides, one callback per language, a report at the end.

run_distributed() records the build (record.py), then queues `build_guides` tasks, each some guides in
every language (the in-process executor's chunks), whose outcomes go to the build record; when every
guide is done, the task that finished last sends each language's callback: `publish_language`, or
`report_language` for `workflow build` (callbacks.py). The client waits on the callbacks' results with a
timeout, showing per-language progress read from the build record, re-sends what a broker crash lost
(watch.py), and reports the languages refused when no worker is left.
"""
from __future__ import annotations

import json
import logging
import os
import time
import uuid

from ..files import write_atomic
from ..model import ERROR, Problem, WorkflowError
from ..publishing.plan import Plan
from ..publishing.builder import Builder
from ..publishing.run import LanguageReport, folder_reports, place_site_problems, write_report
from . import callbacks, tasks  # noqa: F401  (tasks: registers them in this process, as the client always did)
from .chunk import build_chunks, build_signatures
from .app import env_number, make_app, redact
from .record import (RECORD_TTL, check_build_id, done_key, parse_record, record_failure, record_key, redis_client,
                     snapshot_path)
from .watch import Watch

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 1800.0            # seconds the client waits for all callbacks (WORKFLOW_BUILD_TIMEOUT)
POLL = 0.25                         # seconds between two reads of the build record
PING_TIMEOUT = 5.0                  # seconds to find a listening worker before dispatching (WORKFLOW_PING_TIMEOUT)


def _report_from_dict(data: dict):
    return LanguageReport(data["lang"], data["status"], data.get("release"), data.get("coverage") or {},
                          [Problem(**p) for p in data.get("problems", [])], data.get("guides") or {},
                          data.get("refused_guides") or [])


def _failed_report(project, lang: str, build_id: str, message: str, status: str = "refused"):
    folder = project.output_dir / lang
    where = project.rel(folder) if folder.exists() else "source"   # a problem names something that exists
    what = "cancelled" if status == "cancelled" else "failed"
    return LanguageReport(lang, status, problems=[Problem(
        where, 1, ERROR, redact(f"distributed build {build_id} {what}, previous release kept: {message}"),
        "distributed")])


def _safe_url(url: str) -> str:
    return redact(url, url)


def require_worker(app, broker_url: str, timeout: float | None = None) -> list[str]:
    """Names of the first worker(s) answering Celery's ping; a WorkflowError within `timeout` s when none does
    (a build queued for nobody would wait silently until its own timeout)."""
    timeout = timeout if timeout is not None else env_number("WORKFLOW_PING_TIMEOUT", PING_TIMEOUT)
    deadline = time.monotonic() + timeout
    while True:
        try:
            # limit=1: back at the first answer instead of after the whole timeout (1 s of every build)
            replies = app.control.ping(timeout=min(1.0, max(0.2, deadline - time.monotonic())), limit=1)
        except Exception as exc:  # noqa: BLE001 - broker unreachable
            raise WorkflowError(redact(f"broker {broker_url}: unreachable ({type(exc).__name__}: {exc})", broker_url)) from None
        names = sorted(name for reply in replies or [] for name in reply)
        if names:
            return names
        if time.monotonic() >= deadline:
            raise WorkflowError(f"no Celery worker answered on {_safe_url(broker_url)} within {timeout:.0f} s; "
                                "nothing was queued. Start one: `celery -A worker worker` (or `docker compose up`)")


def _start_record(client, key: str, build_id: str, project, plan: Plan) -> None:
    meta = {"id": build_id, "project": str(project.root), "created": time.time(), **plan.as_dict()}
    client.pipeline().hset(key, mapping={"meta": json.dumps(meta), "state": "running",
                                         **{f"lang:{l}:status": "queued" for l in plan.languages}}) \
        .expire(key, RECORD_TTL).execute()


def _dispatch(app, client, key: str, project, plan: Plan, build_id: str) -> dict:
    """The build tasks, and what each language's callback will be (record `dispatch`); the task ids are
    recorded first so `workflow cancel` can revoke them. Returns each language's callback result."""
    builder = Builder(project)
    langs = list(plan.languages)
    callback = "workflow.tasks.publish_language" if plan.publish else "workflow.tasks.report_language"
    kwargs = {"epoch": plan.epoch, "guides": list(plan.guides), "release_guides": list(plan.release_guides)}
    ids = {l: str(uuid.uuid4()) for l in langs}
    chunks = build_chunks(plan.guides, langs)
    task_ids = [str(uuid.uuid4()) for _ in chunks]
    client.hset(key, "tasks", json.dumps(task_ids + list(ids.values())))
    keys: dict[str, dict] = {l: {} for l in langs}
    with app.producer_or_acquire() as producer:
        for chunk, task_id in zip(chunks, task_ids):
            # names and content hashes only (messages.py): the worker builds its own project, and refuses an
            # edition whose key differs from the one computed here (a worker of another project). Hashed
            # chunk by chunk (0.6 ms an edition): the workers start on the first while the rest are hashed.
            for lang in langs:
                keys[lang].update((g, builder.edition_key(g, lang)) for g in chunk)
            build_signatures(app, build_id, [chunk], langs, keys)[0].apply_async(task_id=task_id, producer=producer)
    # guides_total last: until it is written no build task sees the build complete (record.record_chunk),
    # so if every task finished before it (or there was none), the callbacks are sent from here
    client.hset(key, mapping={"dispatch": callbacks.dispatch_field(callback, ids, kwargs, keys),
                              "guides_total": len(plan.guides)})
    if client.scard(done_key(build_id)) >= len(plan.guides):
        callbacks.send(app, build_id)
    return {l: app.AsyncResult(ids[l]) for l in langs}


def run_distributed(project, broker_url: str, plan: Plan, timeout: float | None = None, on_dispatch=None,
                    on_progress=None, on_language=None) -> list:
    """The Celery executor of a Plan; returns one publishing.run.LanguageReport per language.
    `on_dispatch(build_id, broker)`, `on_progress(editions done, editions)` and `on_language(report)` let
    the caller (the CLI) show what happens; nothing is printed here."""
    if timeout is None:
        timeout = float(os.environ.get("WORKFLOW_BUILD_TIMEOUT") or DEFAULT_TIMEOUT)
    build_id = str(uuid.uuid4())
    key = record_key(build_id)
    app = make_app(broker_url)
    require_worker(app, broker_url)
    try:
        client = redis_client(broker_url)
        _start_record(client, key, build_id, project, plan)
    except Exception as exc:  # noqa: BLE001
        raise WorkflowError(redact(f"broker {broker_url}: cannot write the build record: {exc}", broker_url)) from None
    reports = {}
    try:
        pending = _dispatch(app, client, key, project, plan, build_id)
    except Exception as exc:  # noqa: BLE001 - broker down while dispatching: every language is refused
        pending = {}
        for lang in plan.languages:
            reports[lang] = _failed_report(project, lang, build_id, f"could not dispatch: {exc}")
            record_failure(app.conf.broker_url, build_id, lang, f"could not dispatch: {exc}")
    if on_dispatch:
        on_dispatch(build_id, _safe_url(broker_url))
    stalled = _wait(app, client, key, project, plan, build_id, pending, reports, timeout, on_progress, on_language)
    _close(app)
    ordered = [reports[l] for l in plan.languages] + folder_reports(project, plan)
    place_site_problems(project, ordered)
    failed = stalled or any(r.status in ("refused", "cancelled") and any(p.check == "distributed" for p in r.problems)
                            for r in ordered)
    state = "failed" if stalled else "cancelled" if _cancelled(client, key) else "failed" if failed else "done"
    _finish(project, client, key, build_id, state)
    write_report(project, ordered)
    return ordered


def _cancelled(client, key: str) -> bool:
    try:
        return bool(client.hget(key, "cancelled"))
    except Exception:  # noqa: BLE001
        return False


def _wait(app, client, key, project, plan: Plan, build_id, pending, reports, timeout, on_progress,
          on_language) -> bool:
    """Wait for every language's callback; True when the build stalled (no worker left)."""
    deadline = time.monotonic() + timeout
    watch = Watch(app, client, build_id, plan)
    while pending and time.monotonic() < deadline:
        if _cancelled(client, key):
            for lang, result in pending.items():   # a callback that finished before the cancel: what it did
                finished = _succeeded(result)
                reports[lang] = _report_from_dict(result.result) if finished else \
                    _failed_report(project, lang, build_id, "cancelled by `workflow cancel`", "cancelled")
            pending.clear()
            break
        done = _guides_done(client, build_id)
        if done is not None:
            if on_progress:
                on_progress(done * len(plan.languages), len(plan.editions))
            stalled = watch.check((done, len(pending)), pending)
            if stalled:
                _refuse_stalled(app, client, key, project, build_id, pending, reports, stalled, on_language)
                return True
        ending = done is None or done >= len(plan.guides)
        if ending:   # no callback finishes before every guide is done
            _collect(client, key, project, build_id, pending, reports, on_language)
        if pending:
            _pause(pending, ending and done is not None)
    for lang in pending:
        message = f"timed out after {timeout:.0f}s; see `workflow status {build_id}`"
        reports[lang] = _failed_report(project, lang, build_id, message)
        record_failure(app.conf.broker_url, build_id, lang, message, guide="timeout")
    return False


def _pause(pending: dict, ending: bool) -> None:
    """POLL seconds; once every guide is done, until a callback's result arrives (the backend's
    subscription wakes it at once) or about POLL passed (Celery's Redis backend waits in steps of up to
    1 s: the cancel flag and the watch are then read at least once a second): a fixed sleep added 1/2 POLL
    to every build's end."""
    if ending:
        started, first = time.monotonic(), next(iter(pending.values()))
        try:
            if not first.ready():   # (one ready but left pending: its report could not be read; POLL as before)
                first.get(timeout=POLL, propagate=False, disable_sync_subtasks=False)
                return
        except Exception as exc:  # noqa: BLE001 - not ready within POLL (TimeoutError), or the backend restarting
            log.debug("waiting for a callback: %s", exc)
        time.sleep(max(0.0, POLL - (time.monotonic() - started)))
        return
    time.sleep(POLL)


def _collect(client, key, project, build_id, pending, reports, on_language) -> None:
    """The reports of the languages whose callback finished (one GET each)."""
    for lang, result in list(pending.items()):
        try:
            if not result.ready():
                continue
            if result.successful():
                reports[lang] = _report_from_dict(result.result)
            else:
                failures = _language_failures(client, key, lang)
                reports[lang] = _failed_report(project, lang, build_id,
                                               "; ".join(failures) or f"{type(result.result).__name__}: {result.result}")
        except Exception as exc:  # noqa: BLE001 - backend unreachable (Redis restarting): keep waiting
            log.debug("waiting for %s: %s", lang, exc)
            continue
        pending.pop(lang)
        if on_language:
            on_language(reports[lang])


def _succeeded(result) -> bool:
    """Whether a callback finished with a report (not revoked by the cancel, not failed)."""
    try:
        return result.successful()
    except Exception:  # noqa: BLE001 - backend unreachable: no report to show
        return False


def _refuse_stalled(app, client, key, project, build_id, pending, reports, message, on_language) -> None:
    """No worker left: the unfinished languages are refused now, and the build is marked cancelled so that
    a worker started later builds and publishes nothing behind this report."""
    try:
        client.hset(key, "cancelled", time.time())
    except Exception as exc:  # noqa: BLE001
        log.warning("build %s: could not mark it cancelled: %s", build_id, exc)
    for lang in list(pending):
        reports[lang] = _failed_report(project, lang, build_id, message)
        record_failure(app.conf.broker_url, build_id, lang, message, guide="workers")
        pending.pop(lang)
        if on_language:
            on_language(reports[lang])


def cancel_build(project, build_id: str, broker_url: str) -> dict:
    """Mark a build cancelled (its build tasks and callbacks check the flag before building or publishing)
    and revoke its queued tasks; every language stays on its current release."""
    key = record_key(check_build_id(build_id))
    client = redis_client(broker_url)
    try:
        fields = client.hgetall(key)
    except Exception as exc:  # noqa: BLE001
        raise WorkflowError(redact(f"broker {broker_url}: unreachable ({type(exc).__name__}: {exc})", broker_url)) from None
    if not fields:
        raise WorkflowError(f"build {build_id}: not found on {_safe_url(broker_url)}")
    state = "cancelled" if fields.get("cancelled") else fields.get("state", "running")
    if state != "running":
        raise WorkflowError(f"build {build_id}: already {state}; nothing to cancel (`workflow status {build_id}`)")
    client.hset(key, "cancelled", time.time())
    ids = [i for name, value in fields.items() if name == "tasks" or name.endswith(":tasks") for i in json.loads(value)]
    app = make_app(broker_url)
    try:
        if ids:
            app.control.revoke(ids)
    finally:
        _close(app)
    return parse_record(client.hgetall(key))


def _close(app) -> None:
    """Drop the result subscriptions now: left to AsyncResult.__del__ at interpreter exit, the
    unsubscribes fail noisily ("sys.meta_path is None")."""
    try:
        consumer = app.backend.result_consumer
        consumer.subscribed_to.clear()
        consumer.stop()
    except Exception as exc:  # noqa: BLE001
        log.debug("closing the result consumer: %s", exc)


def _language_failures(client, key: str, lang: str) -> list[str]:
    try:
        fields = client.hgetall(key)
    except Exception:  # noqa: BLE001
        return []
    prefix = f"lang:{lang}:failure:"
    return [v for k, v in sorted(fields.items()) if k.startswith(prefix)]


def _guides_done(client, build_id: str) -> int | None:
    """Guides built in every language so far: one SCARD, not the whole record (3,000 fields for 300
    guides x 10 languages, read 4 times a second, cost the client as much CPU as a worker process)."""
    try:
        return client.scard(done_key(build_id))
    except Exception as exc:  # noqa: BLE001 - Redis restarting: try again on the next round
        log.debug("reading the build's progress: %s", exc)
        return None


def _finish(project, client, key: str, build_id: str, state: str) -> None:
    try:
        client.pipeline().hset(key, mapping={"state": state, "finished": time.time()}).expire(key, RECORD_TTL).execute()
        snapshot = parse_record(client.hgetall(key))
    except Exception as exc:  # noqa: BLE001
        log.warning("build %s: could not finish the build record: %s", build_id, exc)
        return
    path = snapshot_path(project, build_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(snapshot, ensure_ascii=False, indent=1))
