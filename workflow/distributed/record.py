"""The build record (Redis hash `workflow:build:<id>`, kept RECORD_TTL = 30 days, longer than the
Celery results) is written by the client and by the tasks themselves, so `workflow status ID`
works while the build runs, after the client died, and after the task results expired. Fields:

    meta                        JSON: id, project, languages, guides, publish, created, epoch
    state                       running | done | failed      (set by the client at the end)
    finished                    unix time
    lang:<l>:status             queued | published | unchanged | built | refused | failed
    lang:<l>:edition:<guide>    ok | refused | error: ...    (one field per edition: idempotent; a
                                build task writes its chunk's fields in one transaction)
    guides_total                how many guides the build has (the callbacks go when all are done)
    dispatch                    JSON: each language's callback (task name, id, arguments but results)
    lang:<l>:failure:<guide|*>  why a task gave up
    lang:<l>:retries            retry count
    lang:<l>:release, lang:<l>:errors
    lang:<l>:before             release current when the publish step first ran (HSETNX)
    lang:<l>:redispatched       time the client re-sent a lost callback (watch.py)
    tasks                       JSON: the build tasks' ids (for `workflow cancel`)
    lang:<l>:guides             JSON: guide -> what readers get (built, kept, source, missing)
    lang:<l>:problems           JSON: the first MAX_PROBLEMS errors and stand-in notes, `path:line: ...`
    cancelled                   time `workflow cancel` was asked; tasks and callbacks stop at the flag

Beside it, the set `workflow:build-done:<id>` holds the guides whose every edition is recorded.
Every write is a field set (a rerun task writes the same value), never a read-modify-write.
A copy of the final record is kept in .cache/builds/<id>.json for when Redis is gone.
"""
from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from ..model import ERROR, Problem, WorkflowError
from .app import DEFAULT_BROKER, redact

log = logging.getLogger(__name__)

RECORD_TTL = 30 * 24 * 3600
MAX_PROBLEMS = 20
TERMINAL = {"published", "unchanged", "built", "refused", "failed", "pinned", "cancelled"}
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_clients: dict = {}


def record_key(build_id: str) -> str:
    return f"workflow:build:{build_id}"


def redis_client(url: str):
    """One client per process and URL (created after a fork, never shared across one)."""
    import redis
    key = (os.getpid(), url)
    if key not in _clients:
        _clients[key] = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3,
                                             decode_responses=True)
    return _clients[key]


def _hset(url: str | None, build_id: str | None, mapping: dict) -> None:
    """Best effort from tasks: a record that cannot be written must not fail the build."""
    if not url or not build_id:
        return
    try:
        client = redis_client(url)
        client.pipeline().hset(record_key(build_id), mapping=mapping).expire(record_key(build_id), RECORD_TTL).execute()
    except Exception as exc:  # noqa: BLE001 - redis errors of every kind: the record is advisory
        log.warning("build %s: could not update the build record: %s", build_id, exc)


def edition_error(problems: list[Problem]) -> str:
    """The outcome recorded for an edition that was not built: its problems as they are."""
    return "error: " + "\n".join(str(p) for p in problems)


def done_key(build_id: str) -> str:
    return f"workflow:build-done:{build_id}"


def record_chunk(url: str, build_id: str, outcomes: dict, guides: list[str], keep: bool = False) -> bool:
    """Record a build task's editions ({(lang, guide): outcome}) and its guides as done, in one
    transaction (a Redis error propagates: the task is retried); True when every guide of the build is
    done, the moment to send the callbacks. `keep`: fields already set keep their value (a task
    that gave up does not overwrite what a copy of it recorded)."""
    client, key, done = redis_client(url), record_key(build_id), done_key(build_id)
    pipe = client.pipeline()
    fields = {f"lang:{lang}:edition:{guide}": outcome for (lang, guide), outcome in outcomes.items()}
    if keep:
        for field, value in fields.items():
            pipe.hsetnx(key, field, value)
    elif fields:
        pipe.hset(key, mapping=fields)
    pipe.expire(key, RECORD_TTL).sadd(done, *guides).expire(done, RECORD_TTL).scard(done).hget(key, "guides_total")
    *_, count, total = pipe.execute()
    return total is not None and count >= int(total)


def failed_editions(fields: dict, lang: str, guides: list[str]) -> list[dict]:
    """The editions of `lang` that were not built ("error: ..." outcomes), as the callback's results:
    {"guide", "error", "problems"}; the callback refuses these guides with their problems."""
    out = []
    for guide in guides:
        value = fields.get(f"lang:{lang}:edition:{guide}") or ""
        if value.startswith("error"):
            lines = _edition_failures(guide, value)
            problems = [Problem.parse(line) or Problem(f"source/{guide}.md", 1, ERROR, line, "distributed")
                        for line in lines]
            out.append({"guide": guide, "error": lines[0] if lines else "error",
                        "problems": [p.as_dict() for p in problems]})
    return out


def _edition_failures(guide: str, outcome: str | None) -> list[str]:
    """An edition's problem lines as recorded (each names its file); a message without one names the guide."""
    if not outcome or not outcome.startswith("error"):
        return []
    text = outcome[len("error: "):] if outcome.startswith("error: ") else outcome
    return [line if Problem.parse(line) else f"{guide}: {line}" for line in text.splitlines()]


def record_retry(url, build_id, lang) -> None:
    if not url or not build_id:
        return
    try:
        redis_client(url).hincrby(record_key(build_id), f"lang:{lang}:retries", 1)
    except Exception as exc:  # noqa: BLE001
        log.warning("build %s: could not count a retry: %s", build_id, exc)


def record_failure(url, build_id, lang, message: str, guide: str | None = None) -> None:
    """Why `lang` failed as a whole (nothing switched); a guide's failure is its edition's outcome."""
    _hset(url, build_id, {f"lang:{lang}:failure:{guide or '*'}": redact(message, url), f"lang:{lang}:status": "failed"})


def record_before(url, build_id, lang, release: str | None) -> str | None:
    """Remember the release that was current when this build first reached `lang`'s publish step
    (HSETNX: a redelivered callback keeps the first value); returns the remembered one."""
    if not url or not build_id:
        return release
    field = f"lang:{lang}:before"
    try:
        client = redis_client(url)
        client.hsetnx(record_key(build_id), field, release or "")
        return client.hget(record_key(build_id), field) or None
    except Exception as exc:  # noqa: BLE001
        log.warning("build %s: could not read the build record: %s", build_id, exc)
        return release


def record_language(url, build_id, report, before: str | None = None):
    """Store a language's outcome. A callback redelivered after it had published (its worker died
    before acknowledging) finds identical content, "unchanged": it still reports "published" when
    the release differs from the one current before this build."""
    if report.status == "unchanged" and report.release and before is not None and before != report.release:
        report.status = "published"
    shown = [str(p) for p in report.problems if p.severity == ERROR or p.check.startswith("publish.")]
    _hset(url, build_id, {f"lang:{report.lang}:status": report.status,
                          f"lang:{report.lang}:release": report.release or "",
                          f"lang:{report.lang}:errors": sum(p.severity == ERROR for p in report.problems),
                          f"lang:{report.lang}:guides": json.dumps(report.guides),
                          f"lang:{report.lang}:problems": json.dumps(shown[:MAX_PROBLEMS], ensure_ascii=False)})
    return report


def parse_record(fields: dict) -> dict:
    meta = json.loads(fields["meta"])
    guides = meta["guides"]
    languages = {}
    for lang in meta["languages"]:
        editions = {g: fields.get(f"lang:{lang}:edition:{g}") for g in guides}
        done = sum(v is not None for v in editions.values())
        failures = [line for g, v in editions.items() for line in _edition_failures(g, v)]
        prefix = f"lang:{lang}:failure:"
        failures += [v for k, v in sorted(fields.items()) if k.startswith(prefix)]
        languages[lang] = {"status": fields.get(f"lang:{lang}:status", "queued"),
                           "progress": f"{done}/{len(guides)}", "editions_done": done, "editions_total": len(guides),
                           "release": fields.get(f"lang:{lang}:release") or None,
                           "errors": int(fields.get(f"lang:{lang}:errors") or 0),
                           "retries": int(fields.get(f"lang:{lang}:retries") or 0),
                           "failures": failures,
                           "redispatched": bool(fields.get(f"lang:{lang}:redispatched")),
                           "guides": _json(fields.get(f"lang:{lang}:guides"), {}) or
                           {g: ("built" if v == "ok" else "refused") for g, v in editions.items() if v},
                           "problems": _json(fields.get(f"lang:{lang}:problems"), [])}
    state = fields.get("state", "running")
    if fields.get("cancelled") and state == "running":
        state = "cancelled"
    if state == "running" and languages and all(v["status"] in TERMINAL for v in languages.values()):
        state = "failed" if any(v["status"] == "failed" for v in languages.values()) else "done"
    return {"id": meta["id"], "state": state, "publish": meta["publish"], "project": meta["project"],
            "cancelled": float(fields["cancelled"]) if fields.get("cancelled") else None,
            "created": meta["created"], "finished": float(fields["finished"]) if fields.get("finished") else None,
            "guides": guides, "languages": languages}


def _json(value, default):
    try:
        return json.loads(value) if value else default
    except ValueError:
        return default


def is_cancelled(url: str | None, build_id: str | None) -> bool:
    """Whether `workflow cancel` was asked for this build (a task that cannot read the record goes on)."""
    if not url or not build_id:
        return False
    try:
        return bool(redis_client(url).hget(record_key(build_id), "cancelled"))
    except Exception as exc:  # noqa: BLE001
        log.warning("build %s: could not read the cancel flag: %s", build_id, exc)
        return False


def check_build_id(build_id: str) -> str:
    if not _ID.match(build_id or ""):
        raise WorkflowError(f"invalid build id {build_id!r}: expected a UUID as printed by `workflow publish --broker`")
    return build_id


def snapshot_path(project, build_id: str) -> Path:
    return project.cache_dir / "builds" / f"{build_id}.json"


def build_status(project, build_id: str) -> dict:
    """The build record: state and, per language, status, progress, retries and failures."""
    check_build_id(build_id)
    url = os.environ.get("WORKFLOW_BROKER") or DEFAULT_BROKER
    reason = "not found in Redis"
    try:
        fields = redis_client(url).hgetall(record_key(build_id))
        if fields:
            return parse_record(fields)
    except Exception as exc:  # noqa: BLE001
        reason = redact(f"Redis unreachable ({type(exc).__name__}: {exc})", url)
    snapshot = snapshot_path(project, build_id)
    if project.has_file(snapshot):   # read as a project file: a planted link out is refused, not printed
        try:
            return json.loads(project.read_bytes(snapshot))
        except ValueError:
            raise WorkflowError.at(project.rel(snapshot), 1, "not a build record (corrupt)", "distributed") from None
    raise WorkflowError(f"build {build_id}: {reason} and no copy in {project.rel(snapshot)}")
