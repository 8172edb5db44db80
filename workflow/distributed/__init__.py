"""Distributed builds on Celery: the same editions and publishing, run by workers.

app (the Celery app and its reliability settings), tasks (thin tasks over publishing), record (the
build record in Redis), chunk (a build task: some guides in every language), callbacks (one per
language, sent when every guide is done), dispatch (queueing, waiting, the report), watch (lost work,
workers gone).
"""
