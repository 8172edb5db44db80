"""`workflow tm export|import`: the translation memory as TMX 1.4 files."""
from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..files import write_atomic
from ..model import ERROR, WARNING, Problem, WorkflowError
from ..project import Project
from .memory import Memory
from .merge import legal_of, min_similarity, project_units, update
from .sources import sources
from .tmx import MAX_BYTES, read_tmx, units_for, write_tmx


def export_tmx(project: Project, lang: str, output: Path | None = None) -> tuple[bytes, int, list[Problem]]:
    """(TMX bytes, unit count, problems of the guides that do not parse: none of their units) of every
    approved translation of `lang`, each source text once; written to `output` too when given (whole or
    not at all)."""
    index = sources(project)
    memory = Memory(project_units(project, lang, index), min_similarity(project))
    units = memory.units()
    data = write_tmx(units, project.config.source_language, lang, __version__)
    if output is not None:
        try:
            write_atomic(output, data)
        except OSError as exc:
            raise WorkflowError.at(str(output), 1, f"cannot write: {exc.strerror}", "tmx") from None
    return data, len(units), index.problems


def import_tmx(project: Project, file: Path, langs: list[str] | None = None) -> tuple[list[str], list[Problem]]:
    """Prefill the catalogs of every project language the file holds (or `langs`) from its units, the way
    `update` prefills from the project's memory; returns (catalogs changed, problems)."""
    shown = str(file)
    try:
        if file.stat().st_size > MAX_BYTES:
            raise WorkflowError.at(shown, 1, f"larger than {MAX_BYTES} bytes", "tmx")
        data = file.read_bytes()
    except OSError as exc:
        raise WorkflowError.at(shown, 1, f"cannot read: {exc.strerror}", "tmx") from None
    parsed = read_tmx(data, shown)
    legal = legal_of(project)
    extra, problems = {}, []
    for lang in langs or project.languages:
        units, found = units_for(parsed, shown, project.config.source_language, lang, legal)
        memory = Memory(units)
        if memory.rejected:
            problems.append(Problem(shown, 1, WARNING, f"{lang}: {memory.rejected} unit(s) left out: the translation "
                                    "does not keep the source's placeholders", "tmx"))
        if units:
            extra[lang] = units
        elif langs:
            problems.extend(found)
    if not extra:
        problems.append(Problem(shown, 1, ERROR, "no unit for any language of the project "
                                f"({', '.join(langs or project.languages)})", "tmx"))
        return [], problems
    changed, broken = update(project, sorted(extra), extra)
    return changed, broken + problems
