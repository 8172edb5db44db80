"""Reproducible installs: requirements.lock pins every dependency (with hashes) inside pyproject's ranges,
`make` installs from it, and this suite runs on exactly the locked versions."""
from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]


def _locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) from requirements.lock."""
    text = (REPO / "requirements.lock").read_text()
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        m = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if m:
            pins[canonicalize_name(m.group(1))] = (m.group(2), block.count("--hash=sha256:"))
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    reqs += [Requirement(line) for line in (REPO / "requirements.in").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    return reqs


def test_every_declared_dependency_is_pinned_with_hashes_inside_its_range():
    locked = _locked()
    assert len(locked) > 20
    for req in _declared():
        version, hashes = locked[canonicalize_name(req.name)]
        assert req.specifier.contains(version, prereleases=True), f"{req} but the lock has {version}"
        for extra in req.extras:   # celery[redis]: the extra's packages are locked too
            for dep in metadata.requires(req.name) or []:
                if f'extra == "{extra}"' in dep:
                    assert canonicalize_name(Requirement(dep).name) in locked
    assert all(hashes >= 1 for _, hashes in locked.values())


def test_make_installs_only_from_the_lock():
    makefile = (REPO / "Makefile").read_text()
    assert "--require-hashes --no-deps -r requirements.lock" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile   # the project itself adds no unlocked package


def test_the_suite_runs_on_the_locked_versions():
    mismatched = {name: (version, metadata.version(name)) for name, (version, _) in _locked().items()
                  if metadata.version(name) != version}
    assert mismatched == {}
