"""Distributed builds on Celery: the same editions and publishing, run by workers.

app (the Celery app and its reliability settings), tasks (thin tasks over publishing), record (the
build record in Redis), dispatch (one chord per language, waiting, the report).
"""
