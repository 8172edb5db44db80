"""What the client watches while it waits (dispatch.py): work the broker lost, and workers all gone.

- Lost work. kombu's Redis transport pops a message (BRPOP) before it records it as unacknowledged;
  a Redis crash between the two loses it (seen here with Redis SIGKILLed mid-build), and a build
  task that recorded the last guides can die before it sent the callbacks. Detected: the broker idle
  (nothing queued, nothing delivered and unacknowledged) for WORKFLOW_RESCUE_GRACE seconds while the
  build is unfinished. The client then sends again the build tasks of the guides not done, or, when
  every guide is done, the unfinished languages' callbacks (same task ids). Both are idempotent.
- No worker left. When nothing progressed for WORKFLOW_STALL_TIMEOUT seconds, the client pings the
  workers; if none answers, the build has stalled: the caller refuses the unfinished languages at once
  (previous release kept) instead of waiting for the build timeout (30 minutes).
"""
from __future__ import annotations

import json
import logging
import time

from . import callbacks
from .chunk import build_chunks, build_signatures
from .app import QUEUE, env_number
from .record import done_key, record_key

log = logging.getLogger(__name__)

RESCUE_GRACE = 15.0      # seconds of an idle broker before lost work is sent again
STALL_TIMEOUT = 60.0     # seconds without progress before the workers are pinged


class Watch:
    def __init__(self, app, client, build_id: str, plan):
        self.app, self.client, self.build_id, self.plan = app, client, build_id, plan
        self.grace = env_number("WORKFLOW_RESCUE_GRACE", RESCUE_GRACE)
        self.stall = env_number("WORKFLOW_STALL_TIMEOUT", STALL_TIMEOUT)
        self.idle_since: float | None = None
        self.progress, self.moved = None, time.monotonic()

    def check(self, progress: tuple, pending: dict) -> str | None:
        """None, or why the build stalled (no worker answers and `progress` did not move)."""
        now = time.monotonic()
        if progress != self.progress:
            self.progress, self.moved = progress, now
        try:
            self._rescue(now, pending)
        except Exception as exc:  # noqa: BLE001 - Redis restarting: try again on the next round
            log.debug("build %s: rescue: %s", self.build_id, exc)
        if now - self.moved < self.stall:
            return None
        if self._workers_answer():
            self.moved = now          # alive, busy with long tasks: keep waiting
            return None
        return (f"no worker answered and nothing progressed for {now - self.moved:.0f} s; previous release "
                "kept. Start a worker (`celery -A worker worker`) and publish again")

    def _workers_answer(self) -> bool:
        try:
            return bool(self.app.control.ping(timeout=1.0, limit=1))
        except Exception as exc:  # noqa: BLE001 - broker unreachable: no verdict on the workers
            log.debug("build %s: ping: %s", self.build_id, exc)
            return True

    def _rescue(self, now: float, pending: dict) -> None:
        idle = self.client.llen(QUEUE) == 0 and self.client.hlen("unacked") == 0
        if not idle or not pending:
            self.idle_since = None
            return
        self.idle_since = self.idle_since or now
        if now - self.idle_since < self.grace:
            return
        self.idle_since = now         # at most once per grace period
        done = self.client.smembers(done_key(self.build_id))
        missing = [g for g in self.plan.guides if g not in done]
        if missing:
            self._resend_builds(missing)
            return
        for lang in callbacks.send(self.app, self.build_id, list(pending)):
            self.client.hset(record_key(self.build_id), f"lang:{lang}:redispatched", time.time())
            log.warning("build %s: the %s callback was lost; sent it again", self.build_id, lang)

    def _resend_builds(self, guides: list[str]) -> None:
        plan = json.loads(self.client.hget(record_key(self.build_id), "dispatch"))
        langs = list(self.plan.languages)
        for signature in build_signatures(self.app, self.build_id, build_chunks(guides, langs), langs, plan["keys"]):
            signature.apply_async()
        log.warning("build %s: %d guide(s) were lost by the broker; sent again", self.build_id, len(guides))
