"""Running the registered checks over one catalog, against its source segments."""
from __future__ import annotations

from itertools import filterfalse
from operator import attrgetter

from ..editions.facts import Registry, placeholder_names
from ..model import INFO, WARNING, Problem, Segment, TranslatedCatalog
from . import markup, policy, protected, services, text  # noqa: F401  (registers the checks, in this order)
from .registry import REGISTRY, Check, EntryView, RunContext, entry_bits


def source_for_ui(msgid: str, registry: Registry) -> Segment:
    """UI strings have no Markdown source: derive placeholders and legal status from the text."""
    disclaimer = registry.disclaimer_for(msgid)
    names = placeholder_names(msgid)
    return Segment(msgid=msgid, line=0, kind="ui", placeholders={n: None for n in names},
                   legal=disclaimer.id if disclaimer else None)


def run(catalog: TranslatedCatalog, sources: dict[str, Segment], lang: str, registry: Registry,
        glossary: list[dict] | None = None, disabled: tuple[str, ...] | frozenset[str] = (),
        protected_policy: str = "fallback", memo: dict | None = None) -> list[Problem]:
    """Every problem of one catalog against its source segments, in file order.

    `memo`: what the checks found per entry, shared by the runs of one project's catalogs (check_language
    passes one per language): a sentence and its translation met again in another guide, with the same
    source facts, is not checked again. Kept by segment (its interned state), each with the msgstrs met:
    a segment has few translations, where one msgstr may stand for many segments (every untranslated
    entry's is "": kept by msgstr, each new one walked the chain of all before it, quadratic). The checks
    are pure functions of the entry's texts and state, its segment's facts (_source_state) and the run's
    settings (language, policy, disabled checks, registry, glossary)."""
    problems: list[Problem] = []
    found_for, shared, interned = _findings({} if memo is None else memo, lang, protected_policy, disabled, registry,
                                            glossary)
    active = [c for c in REGISTRY if c.id not in disabled]
    untranslated = [c for c in active if c.on_untranslated]  # legal text is looked at even when empty or fuzzy
    todo_for: dict[tuple[bool, int], list[Check]] = {}   # (translated, entry bits) -> the checks that may report
    context = RunContext(lang, registry, glossary or [], protected_policy, shared)
    path = catalog.path
    fuzzy = obsolete = 0
    for entry in catalog.entries:
        if entry.obsolete:
            obsolete += bool(entry.msgstr)   # an obsolete entry without a translation keeps nothing
            continue
        msgid = entry.msgid
        source = sources.get(msgid)
        if source is None:
            problems.append(Problem(path, entry.line, WARNING,
                                    "entry is not in the current source; run `workflow update`", "stale",
                                    msgid[:60]))
            continue
        is_fuzzy, msgstr = entry.fuzzy, entry.msgstr
        fuzzy += is_fuzzy
        translated = not is_fuzzy and msgstr != ""   # Entry.translated (not obsolete here), a bool
        if not translated and not untranslated:
            continue
        segment = source.derived.get(_SOURCE_STATE) or _source_state(source, interned)
        # keyed by the segment's interned state (its id: a tuple's hash is not kept, and its values' may be
        # Python code); the kept tuples hold the state, so no other object takes its id while they live
        met = found_for.get(id(segment))
        if met is not None and met[_MSGSTR] == msgstr and met[2] == msgid and met[0] is translated \
                and met[1] == is_fuzzy:
            found = met[_STATE]   # the usual case: the last entry checked with this segment had this msgstr (_found)
        else:
            state = (translated, is_fuzzy, msgid, segment, msgstr)
            found = _found(met, state) if met else None
            if found is None:
                view = EntryView(entry, source, context)
                bits = entry_bits(view)
                todo = todo_for.get((translated, bits))
                if todo is None:
                    todo = todo_for[translated, bits] = [c for c in (active if translated else untranslated)
                                                         if c.needs & bits]
                found = _check(todo, view)
                found_for[id(segment)] = (*state, found, met)
        for severity, message, check_id in found:
            problems.append(Problem(path, entry.line, severity, message, check_id, msgid[:60]))
    return problems + _summary(catalog, sources, lang, fuzzy, obsolete)


def _summary(catalog: TranslatedCatalog, sources: dict[str, Segment], lang: str, fuzzy: int, obsolete: int
             ) -> list[Problem]:
    """A catalog's own problems after its entries': source entries it lacks, fuzzy and obsolete counts."""
    problems = []
    # the live msgids against the source's by set operations in C, not a Python loop over the source
    missing = len(sources.keys() - set(map(_MSGID, filterfalse(_OBSOLETE, catalog.entries))))
    if missing:
        problems.append(Problem(catalog.path, 1, WARNING,
                                f"{missing} source entries are missing from the catalog; run `workflow update`",
                                "stale"))
    if fuzzy or obsolete:
        problems.append(Problem(catalog.path, 1, INFO,
                                f"{fuzzy} fuzzy entries (not published until reviewed), {obsolete} obsolete entries; "
                                f"each fuzzy entry's line: `workflow todo --lang {lang}`",
                                "fuzzy"))
    return problems


def _check(todo: list[Check], view: EntryView) -> tuple:
    """(severity, message, check id) of each finding of the checks in `todo`, in their order (a check
    yields a message or (severity, message)). A loop, not a generator expression: one frame less per entry."""
    found = []
    for c in todo:
        for finding in c.func(view):
            found.append((*finding, c.id) if isinstance(finding, tuple) else (c.severity, finding, c.id))
    return tuple(found)


def _findings(memo: dict, lang, protected_policy, disabled, registry, glossary) -> tuple[dict, dict, dict]:
    """(id of a segment's state -> (*state, found, met before), the checks' RunContext.memo) for the run's
    settings, and the segments' states interned (_source_state: for every setting). The settings key
    the findings, and what the checks derive from the settings alone (placeholder values as formatted and
    read, fact numbers, glossary renderings: RunContext.memo) is worked out once for all catalogs of a
    language, not once per catalog. The registry and glossary are keyed by identity (one object per
    project), held by the memo so that no other object takes their id while it lives."""
    settings = (lang, protected_policy, tuple(sorted(disabled)), id(registry), id(glossary))
    kept = memo.get(settings)
    if kept is None:
        kept = memo[settings] = ({}, {})
        memo.setdefault("held", []).append((registry, glossary))
    return (*kept, memo.setdefault("states", {}))


def memo_settings(memo: dict) -> list[tuple]:
    """The run settings a memo holds findings for (its other keys: the registries it keeps alive, "held", and
    the segments' interned states, "states")."""
    return [key for key in memo if key not in ("held", "states")]


def memo_size(memo: dict) -> int:
    """What a memo holds: segments' findings, segments' states and values worked out, each ~0.5 kB with the
    texts it keeps (a caller that keeps one across runs bounds it by this)."""
    return len(memo.get("states", ())) + sum(len(found_for) + sum(len(v) for v in shared.values() if isinstance(v, dict))
                                             for found_for, shared in map(memo.get, memo_settings(memo)))


_SOURCE_STATE = f"{__name__}.source_state"
_MSGID, _OBSOLETE = attrgetter("msgid"), attrgetter("obsolete")


def _source_state(source: Segment, interned: dict) -> tuple:
    """What a check may read of an entry's segment: its msgid, placeholders (names and values), legal status
    (brace_format follows from the placeholders) and whether it is a ui.po text (the services check reads a
    label, and any ui text whole). Worked out once per segment (model.DERIVED) and interned in the memo: the
    segments of a sentence met in several guides then share one tuple, which compares by identity (equal
    placeholder values of two guides are two objects, compared field by field in Python otherwise). The
    runner reads it from source.derived, and calls this only when it is not there yet."""
    state = (source.msgid, tuple(source.placeholders.items()) if source.placeholders else (), source.legal,
             source.kind == "ui")
    try:
        state = interned.setdefault(state, state)
    except TypeError:   # a value that does not hash: kept on its segment only (another's equal one is a miss)
        pass
    source.derived[_SOURCE_STATE] = state
    return state


# a kept tuple is (*state, found, the one met before); state is (translated, fuzzy, the entry's msgid,
# _source_state, msgstr): everything a check reads
_MSGSTR, _STATE = 4, 5


def _found(met: tuple, state: tuple) -> tuple | None:
    """The findings kept for this segment with the same msgstr and state, if any. `met` is one flat tuple
    per entry checked, (*state, found, the one met before): few objects for the garbage collector to walk (a
    list and three tuples per entry made its collections ~10 % of the checks' time). Segment states are
    interned (_source_state): two are equal when they are one object, so they compare by identity (a
    sentence met in many guides with other prices made a chain whose states' Price.__eq__ calls were ~2 %
    of the checks); every tuple of a chain has its key's state."""
    translated, fuzzy, msgid, _, msgstr = state
    while met:
        if met[_MSGSTR] == msgstr and met[2] == msgid and met[0] is translated and met[1] == fuzzy:
            return met[_STATE]
        met = met[_STATE + 1]
    return None


def descriptions() -> list[Check]:
    return list(REGISTRY)
