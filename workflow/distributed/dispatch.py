"""Distributed build: one Celery chord per language, a build record in Redis, a report at the end.

run_distributed() dispatches, for each language, a group of `build_edition` tasks (one per guide)
whose chord callback publishes the language (`publish_language`) or only reports it
(`report_language`, for `workflow build`). It waits with a timeout, showing per-language progress
read from the build record; a language whose chord failed (a task out of retries, a timeout) is
reported refused with the error while the others publish.

The build record (record.py) shows progress and outlives the client; the tasks are in tasks.py.
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
from ..publishing.run import LanguageReport, folder_reports, write_report
from . import tasks  # noqa: F401  (registers the tasks in this process, as the client always did)
from .app import QUEUE, env_number, make_app, redact
from .record import (RECORD_TTL, check_build_id, parse_record, record_failure, record_key, redis_client,
                     snapshot_path)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 1800.0            # seconds the client waits for all chords (WORKFLOW_BUILD_TIMEOUT)
CHORD_GRACE = 15.0                  # seconds after its last edition before a chord counts as stuck
                                    # (WORKFLOW_CHORD_GRACE; must exceed Celery's ~6 s dispatch lease)


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
    """Names of the workers answering Celery's ping; a WorkflowError within `timeout` s when none does
    (a build queued for nobody would wait silently until its own timeout)."""
    timeout = timeout if timeout is not None else env_number("WORKFLOW_PING_TIMEOUT", PING_TIMEOUT)
    deadline = time.monotonic() + timeout
    while True:
        try:
            replies = app.control.ping(timeout=min(1.0, max(0.2, deadline - time.monotonic())))
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


def _dispatch(app, client, key: str, project, plan: Plan, build_id: str) -> tuple[dict, dict]:
    """One chord per language; the ids of every task are recorded so `workflow cancel` can revoke them."""
    from celery import chord
    builder = Builder(project)
    callback = "workflow.tasks.publish_language" if plan.publish else "workflow.tasks.report_language"
    kwargs = {"epoch": plan.epoch, "guides": list(plan.guides), "release_guides": list(plan.release_guides)}
    pending, reports = {}, {}
    for lang in plan.languages:
        # names and content hashes only (messages.py): the worker builds its own project, and refuses
        # an edition whose key differs from the one computed here (a worker of another project)
        keys = {g: builder.edition_key(g, lang) for g in plan.guides}
        header = [app.signature("workflow.tasks.build_edition", args=(g, lang, build_id, keys[g])) for g in plan.guides]
        body = app.signature(callback, args=(lang, build_id), kwargs={**kwargs, "keys": keys})
        try:
            result = chord(header, body, app=app).apply_async()
            pending[lang] = result
            ids = [result.id] + [r.id for r in (result.parent.results if result.parent is not None else [])]
            client.hset(key, f"lang:{lang}:tasks", json.dumps(ids))
        except Exception as exc:  # noqa: BLE001 - broker down while dispatching: this language is refused
            reports[lang] = _failed_report(project, lang, build_id, f"could not dispatch: {exc}")
            record_failure(app.conf.broker_url, build_id, lang, f"could not dispatch: {exc}")
    return pending, reports


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
    pending, reports = _dispatch(app, client, key, project, plan, build_id)
    if on_dispatch:
        on_dispatch(build_id, _safe_url(broker_url))
    _wait(app, client, key, project, plan, build_id, pending, reports, timeout, on_progress, on_language)
    _close(app)
    ordered = [reports[l] for l in plan.languages] + folder_reports(project, plan)
    failed = any(r.status in ("refused", "cancelled") and any(p.check == "distributed" for p in r.problems)
                 for r in ordered)
    _finish(project, client, key, build_id, "cancelled" if _cancelled(client, key) else "failed" if failed else "done")
    write_report(project, ordered)
    return ordered


def _cancelled(client, key: str) -> bool:
    try:
        return bool(client.hget(key, "cancelled"))
    except Exception:  # noqa: BLE001
        return False


def _wait(app, client, key, project, plan: Plan, build_id, pending, reports, timeout, on_progress, on_language):
    deadline = time.monotonic() + timeout
    callback = "workflow.tasks.publish_language" if plan.publish else "workflow.tasks.report_language"
    kwargs = {"epoch": plan.epoch, "guides": list(plan.guides), "release_guides": list(plan.release_guides)}
    built_since: dict[str, float] = {}     # language -> when its last edition was recorded
    rescued: set[str] = set()
    while pending and time.monotonic() < deadline:
        if _cancelled(client, key):
            for lang in pending:
                reports[lang] = _failed_report(project, lang, build_id, "cancelled by `workflow cancel`", "cancelled")
            pending.clear()
            break
        status = _read(client, key)
        if status:
            _rescue_stuck_chords(app, client, status, pending, built_since, rescued, build_id, callback, kwargs)
            if on_progress:
                on_progress(sum(v["editions_done"] for v in status["languages"].values()), len(plan.editions))
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
                    record_failure(app.conf.broker_url, build_id, lang, f"chord failed: {result.result}", guide="chord")
            except Exception as exc:  # noqa: BLE001 - backend unreachable (Redis restarting): keep waiting
                log.debug("waiting for %s: %s", lang, exc)
                continue
            pending.pop(lang)
            if on_language:
                on_language(reports[lang])
        if pending:
            time.sleep(0.2)
    for lang in pending:
        message = f"timed out after {timeout:.0f}s; see `workflow status {build_id}`"
        reports[lang] = _failed_report(project, lang, build_id, message)
        record_failure(app.conf.broker_url, build_id, lang, message, guide="timeout")


def cancel_build(project, build_id: str, broker_url: str) -> dict:
    """Mark a build cancelled (its tasks and chord callbacks check the flag before building or publishing)
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
    ids = [i for name, value in fields.items() if name.endswith(":tasks") for i in json.loads(value)]
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


def _read(client, key: str) -> dict | None:
    try:
        return parse_record(client.hgetall(key))
    except Exception as exc:  # noqa: BLE001 - Redis restarting: try again on the next round
        log.debug("reading the build record: %s", exc)
        return None


def _broker_idle(client) -> bool:
    """Nothing queued and nothing delivered-but-unacknowledged (kombu's Redis keys; retries waiting
    for their countdown are delivered messages, so they count as busy)."""
    return client.llen(QUEUE) == 0 and client.hlen("unacked") == 0


def _rescue_stuck_chords(app, client, status, pending, since, rescued, build_id, callback, kwargs) -> None:
    """Dispatch a language's callback again when its chord is stuck. Two ways were seen here:

    - Celery's Redis chord join claims the callback dispatch (a key with a ~6 s lease) when the
      last header result arrives. If that worker dies between the claim and the dispatch, the
      redelivered header task finds the claim taken and nobody dispatches the callback (SIGKILL of
      a worker). Detected: every edition recorded for CHORD_GRACE s, chord not marked dispatched.
    - kombu's Redis transport pops a message (BRPOP) before it records it as unacknowledged; a
      Redis crash between the two loses the message (Redis SIGKILL). Detected: the broker has been
      idle (nothing queued or unacknowledged) for CHORD_GRACE s while the language is unfinished.

    The client then sends the callback itself, with the chord's callback task id so whichever copy
    runs resolves the client's result. The callback builds any edition missing from the cache, and
    a duplicate publish is a no-op (same content, under the lock).
    """
    now = time.monotonic()
    grace = float(os.environ.get("WORKFLOW_CHORD_GRACE") or CHORD_GRACE)
    try:
        idle = _broker_idle(client)
    except Exception:  # noqa: BLE001
        idle = False
    since["broker-idle"] = (since.get("broker-idle") or now) if idle else None
    idle_long = idle and now - since["broker-idle"] >= grace
    for lang, result in pending.items():
        info = status["languages"].get(lang)
        if lang in rescued or not info or result.parent is None:
            continue
        built = info["editions_done"] >= info["editions_total"]
        if not idle_long and not (built and now - since.setdefault(lang, now) >= grace):
            continue
        try:
            if not idle_long and client.get(app.backend.get_key_for_group(result.parent.id, ".c")) == "done":
                continue                            # dispatched: the callback message is in the queue
            app.signature(callback, args=([], lang, build_id), kwargs=kwargs).apply_async(task_id=result.id)
            client.hset(record_key(build_id), f"lang:{lang}:redispatched", time.time())
            rescued.add(lang)
            log.warning("build %s: %s chord callback was not dispatched; sent it again", build_id, lang)
        except Exception as exc:  # noqa: BLE001 - Redis restarting: try again on the next round
            log.debug("rescuing %s: %s", lang, exc)


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
