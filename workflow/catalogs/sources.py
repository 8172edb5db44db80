"""The sources every catalog command reads: the guides (parsed, a broken one turned into problems here and only
here), the UI strings of the templates and the facts registry, and the source prices a language cannot show
exactly. Below commands and review, which both use it (extract, check, stats, update, todo, tm, pseudo, init
and the Builder)."""
from __future__ import annotations

import hashlib
import json

from ..model import Problem, Segment, WorkflowError
from ..names import UI_DOMAIN
from ..project import Project

_JINJA = "jinja2.ext:babel_extract"
_JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}


def domains(project: Project) -> list[str]:
    return project.guides + [UI_DOMAIN]


def default_policy(project: Project) -> str:
    return str(project.config.gates.get("protected", "fallback"))


def ui_messages(project: Project, policy: str | None = None) -> list[tuple[str, str, int, list[str]]]:
    """UI strings from the Jinja2 templates (Babel's extractor) and the facts registry; the disclaimer's
    comment follows `policy` (default: the project's `gates.protected`). Kept in .cache/ui by the key of what
    they are read from (Project.check_inputs of ui.po: the templates, facts.yaml, workflow.yaml) and the policy:
    Babel's parse of the templates (~4 % of a check or build of 30 guides) is done once, by extract, not again
    by each check and build process."""
    policy = policy or default_policy(project)
    key = project.content_key(project.check_inputs(UI_DOMAIN), "ui.messages", policy)
    path = project.cache_dir / "ui" / f"{key}.json"
    found = project.read_cached(path, _messages_from_json)
    if found is None:
        found = _extract_ui_messages(project, policy)
        project.write_cached(path, json.dumps(found, ensure_ascii=False).encode("utf-8"))
    return found


def _messages_from_json(payload: bytes) -> list[tuple[str, str, int, list[str]]]:
    """ui_messages' list back; ValueError when the payload is no such list (a cache entry is then a miss)."""
    rows = json.loads(payload)
    if type(rows) is not list or not all(
            type(r) is list and len(r) == 4 and type(r[0]) is str and type(r[1]) is str and type(r[2]) is int
            and type(r[3]) is list and all(type(c) is str for c in r[3]) for r in rows):
        raise ValueError("not a list of UI messages")
    return [(msgid, path, line, comments) for msgid, path, line, comments in rows]


def _extract_ui_messages(project: Project, policy: str) -> list[tuple[str, str, int, list[str]]]:
    # imported here: Jinja2 and Babel's extractors are no part of an extract worker's work (~20 ms a process),
    # the catalog writer (Babel's PO writer, quickwrite) none of a build worker's or a rebuild's (~8 ms)
    from babel.messages.extract import extract_from_file

    from . import writer
    messages = []
    # the templates' input set, not a walk of templates/: a link out of the project is never read
    for template in (t for t in project.template_files() if t.suffix == ".html"):
        path = project.rel(template)
        for lineno, message, comments, _context in extract_from_file(_JINJA, template, options=_JINJA_OPTIONS):
            if isinstance(message, tuple):  # ngettext: keep the singular as the key, plural as a comment
                singular, plural = message[0], message[1]
                messages.append((singular, path, lineno, list(comments) + [f"plural: {plural}"]))
            else:
                messages.append((message, path, lineno, list(comments)))
    registry = project.registry
    for fact in registry.emergency:
        messages.append((fact.label, "source/facts.yaml", 1, [f"label of emergency number {fact.number}"]))
    for d in registry.disclaimers:
        messages.append((d.heading, "source/facts.yaml", 1, [f"heading of disclaimer '{d.id}'"]))
        messages.append((d.text, "source/facts.yaml", 1, [writer.legal_comment(d.id, policy)]))
    return messages


class SourceIndex(dict):
    """msgid -> source segment per catalog domain, built on first use (first occurrence wins, as in
    the POT), so an incremental build parses only the guides it rebuilds."""

    def __init__(self, project: Project):
        super().__init__()
        self.project = project
        self.broken: dict[str, list[Problem]] = {}   # guide -> why its source does not parse (file:line)

    def __missing__(self, domain: str) -> dict[str, Segment]:
        if domain == UI_DOMAIN:
            # imported here: an extract worker (guides only) then never imports the checks, Jinja2 with them
            from ..checks import runner
            index = {m[0]: runner.source_for_ui(m[0], self.project.registry) for m in ui_messages(self.project)}
        else:
            index = {}
            for seg in self.project.document(domain).segments:
                index.setdefault(seg.msgid, seg)
        self[domain] = index
        return index

    def forget(self, domain_list) -> None:
        """Drop these domains' index (a Builder is done with a chunk of guides)."""
        for domain in domain_list:
            self.pop(domain, None)

    def readable(self, domain_list: list[str]) -> list[str]:
        """The domains of `domain_list` whose source parses (a guide parsed, ui indexed now). A guide that does
        not parse is left out and its problems kept in `broken`: every command reports them once and goes on
        with the other guides, that guide's catalogs untouched (a broken templates folder or facts.yaml
        still raises)."""
        out = []
        for domain in domain_list:
            if domain in self.broken:
                continue
            try:
                if domain == UI_DOMAIN:
                    self[domain]
                else:
                    self.project.document(domain)
            except WorkflowError as exc:
                if domain == UI_DOMAIN:
                    raise
                self.broken[domain] = exc.as_problems(self.project.rel(self.project.source_path(domain)), "source")
                continue
            out.append(domain)
        return out

    @property
    def problems(self) -> list[Problem]:
        """The broken guides' problems, in the order they were found."""
        return [p for found in self.broken.values() for p in found]

    def prices(self, guides: list[str], langs: list[str]) -> list[Problem]:
        """One error per source price of these readable guides that some of `langs` would render as another
        amount, at its source line (showable.unshowable), guide by guide: what extract and check report.
        Kept in .cache/prices by the key of the parsed guide (Project.document_keys) and `langs`: formatting
        every amount in every language took check of 30 guides from 0.5 to 0.8 s."""
        from ..editions.showable import unshowable   # (verify's import, for the commands that report prices)
        out = []
        for guide in (g for g in guides if g != UI_DOMAIN):
            doc = self.project.document(guide)
            key = hashlib.sha256("\0".join(["source.price", self.project.document_keys[guide], *langs]).encode())
            path = self.project.cache_dir / "prices" / f"{key.hexdigest()[:32]}.json"
            found = self.project.read_cached(path, problems_from_json)
            if found is None:
                found = sorted(unshowable(doc, langs), key=lambda p: p.line)
                self.project.write_cached(path, problems_json(found))
            out += found
        return out


def problems_json(problems: list[Problem]) -> bytes:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False).encode("utf-8")


def problems_from_json(payload: bytes) -> list[Problem]:
    """problems_json's list back; ValueError when the payload is no such list (a cache entry is then a miss)."""
    try:
        return [Problem(**p) for p in json.loads(payload)]
    except TypeError:
        raise ValueError("not a list of problems") from None


def sources(project: Project) -> SourceIndex:
    """The source index, parsing each guide on first use (SourceIndex.readable parses a list now)."""
    return SourceIndex(project)
