"""Catalog QA: the checks a translator's entries must pass, and coverage statistics.

registry (Check, the ordered REGISTRY, EntryView, per-source caching), the checks by subject (text,
markup, policy), runner (every check over one catalog), stats (coverage against the source).
Pure: plain entries (model.Entry) in, problems out; no PO reading, no project, no publishing.
"""
