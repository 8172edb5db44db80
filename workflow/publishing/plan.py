"""One plan, two executors: what a build or publish does, computed once as a plain value.

The in-process run (publishing.run) and the Celery dispatch (distributed.dispatch) both take a Plan:
the languages, the guides to build, the guides every release holds, the epoch stamped in manifests.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..project import Project, source_date_epoch


@dataclass(frozen=True)
class Plan:
    languages: tuple[str, ...]
    guides: tuple[str, ...]           # guides to build now
    release_guides: tuple[str, ...]   # guides each published release holds (the others are stood in for)
    epoch: int
    publish: bool

    @property
    def editions(self) -> list[tuple[str, str]]:
        """(guide, language) pairs to build, language by language."""
        return [(guide, lang) for lang in self.languages for guide in self.guides]

    def as_dict(self) -> dict:
        return {"languages": list(self.languages), "guides": list(self.guides),
                "release_guides": list(self.release_guides), "epoch": self.epoch, "publish": self.publish}


def published_languages(project: Project) -> list[str]:
    """The source language first, then every translated language."""
    source = project.config.source_language
    return [source] + [l for l in project.languages if l != source]


def make_plan(project: Project, langs=None, guides=None, publish: bool = True, epoch: int | None = None) -> Plan:
    """Names are checked here, before anything is built: unknown ones are an error listing what exists."""
    source = project.config.source_language
    chosen = published_languages(project) if not langs else [
        l if l == source else project.select_languages([l])[0] for l in langs]
    chosen = list(dict.fromkeys(chosen))
    built = list(dict.fromkeys(project.select_guides(guides)))
    epoch = epoch if epoch is not None else (source_date_epoch() or int(time.time()))
    return Plan(tuple(chosen), tuple(built), tuple(project.guides), epoch, publish)
