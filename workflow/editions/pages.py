"""The pages' templates: Jinja2 sandboxed (LimitedSandbox), read as project files, and render_page."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache, partial
from pathlib import Path

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError, select_autoescape
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from markupsafe import escape

from .. import safefs
from ..model import WorkflowError
from .sandbox import LimitedSandbox


class ProjectTemplateLoader(BaseLoader):
    """Templates read as project files (safefs): a template linked out of the project, a FIFO or a
    device is refused with its name, never read; `..` in a template name is not found."""

    def __init__(self, folder: str):
        self.folder = Path(folder)
        self.digests: dict[str, str] = {}   # template name -> sha256 of the source last loaded

    def get_source(self, environment, template):
        path = self.folder.joinpath(*split_template_path(template))
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        text = safefs.read_text(self.folder.parent, path)
        self.digests[template] = hashlib.sha256(text.encode()).hexdigest()
        mtime = os.stat(path).st_mtime_ns
        return text, str(path), partial(_unchanged, str(path), mtime)


@lru_cache(maxsize=8)
def environment(templates_dir: str) -> LimitedSandbox:
    # Sandboxed: templates arrive in pull requests like catalogs do, and an unsandboxed template can reach
    # Python's internals (`cycler.__init__.__globals__.os`); limited: nor build gigabytes (editions/sandbox.py)
    return LimitedSandbox(loader=ProjectTemplateLoader(templates_dir), autoescape=select_autoescape(["html"]),
                          undefined=StrictUndefined, extensions=["jinja2.ext.i18n"], keep_trailing_newline=True)


def render_page(templates_dir: Path, name: str, translate, **context) -> str:
    """Render a page with `translate(msgid) -> str` for template strings, escaped before use."""
    env = environment(str(templates_dir))
    gettext = lambda s, **kw: escape(translate(s)) % kw if kw else escape(translate(s))  # noqa: E731
    try:
        return env.get_template(name).render(_=gettext, gettext=gettext, **context)
    except SecurityError as exc:   # a template reaching for Python internals: refused, never run
        raise WorkflowError.at(f"templates/{name}", 1, "template (or one it extends or includes) refused by the "
                               f"sandbox: {str(exc)[:80]}", "template.sandbox") from None
    except TemplateSyntaxError as exc:
        raise WorkflowError.at(f"templates/{exc.name or name}", exc.lineno or 1,
                               f"template syntax: {(exc.message or 'error')[:80]}", "template.syntax") from None


def _unchanged(path: str, mtime: int) -> bool:
    """Jinja's uptodate, asked at every get_template (a page asks 4-5): one stat where os.path.exists and
    os.stat were two (~0.35 % of a build's real time); a file gone or unreadable is changed, as before."""
    try:
        return os.stat(path).st_mtime_ns == mtime
    except (OSError, ValueError):
        return False
