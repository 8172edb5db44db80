"""Each language's callback (publish_language, or report_language for `workflow build`), sent when every
guide of the build is done: by the build task that recorded the last guides (so a build finishes
without its client), or by the client when that send was lost (dispatch.py). The languages' callbacks
are independent tasks: they run side by side on whatever worker processes are free, and one failing
does not hold the others.

The client writes what to send in the build record's `dispatch` field at dispatch time: per language
the callback's task id (the client waits on it; a second send under the same id is harmless, publishing
is idempotent) and its arguments; the results (guides not built, and why) are read from the record
when sending. The receiving task parses the message like any other (messages.py).
"""
from __future__ import annotations

import json

from .record import failed_editions, record_key, redis_client


def dispatch_field(callback: str, ids: dict[str, str], kwargs: dict, keys: dict[str, dict]) -> str:
    return json.dumps({"callback": callback, "ids": ids, "kwargs": kwargs, "keys": keys})


def send(app, build_id: str, langs: list[str] | None = None) -> list[str]:
    """Send the callbacks of `langs` (default: every language of the build); returns the languages sent."""
    fields = redis_client(app.conf.broker_url).hgetall(record_key(build_id))
    plan = json.loads(fields["dispatch"])
    guides = plan["kwargs"]["guides"]
    sent = []
    for lang, task_id in plan["ids"].items():
        if langs is not None and lang not in langs:
            continue
        results = failed_editions(fields, lang, guides)
        app.signature(plan["callback"], args=(results, lang, build_id),
                      kwargs={**plan["kwargs"], "keys": plan["keys"][lang]}).apply_async(task_id=task_id)
        sent.append(lang)
    return sent
