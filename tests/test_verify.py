"""Verification reads the rendered page: a tampered page (a template or formatting bug) is refused."""
from __future__ import annotations

import pytest

from workflow.editions.edition import Translations, build_edition
from workflow.editions.localeformat import locale_for
from workflow.project import Project
from workflow.editions.verify import verify_edition

from conftest import REPO

GUIDE = "korean-stem-cell-therapy-2026"


@pytest.fixture(scope="module")
def page():
    project = Project(REPO)
    doc = project.document(GUIDE)
    edition = build_edition(doc, "es", Translations(), project.registry, project.templates_dir, ["en", "es"])
    assert edition.ok, [str(p) for p in edition.problems]
    html = edition.files[f"{GUIDE}.html"].decode()
    disclaimer = next(s.msgid for s in doc.segments if s.legal)

    def verify(tampered: str):
        return verify_edition(tampered, doc, "es", locale_for("es"), project.registry, [disclaimer], doc.path)
    return html, verify


@pytest.mark.parametrize("old,new,check", [
    ('data-fact="ambulance">119<', 'data-fact="ambulance">112<', "verify.emergency"),
    ("5.000\u00a0US$", "5.500\u00a0US$", "verify.value"),
    ("consult with a qualified healthcare professional", "consult", "verify.disclaimer"),
    ("</tr>\n<tr>", "</tr>\n", "verify.structure"),
    ("<li>", "<p>", "verify.structure"),
])
def test_tampered_page_is_refused(page, old, new, check):
    html, verify = page
    assert verify(html) == []
    body = html.index('<div class="body">') if check == "verify.structure" else 0
    assert old in html[body:]
    problems = verify(html[:body] + html[body:].replace(old, new, 1))
    assert check in {p.check for p in problems}, [str(p) for p in problems]
