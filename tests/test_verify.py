"""Verification reads the rendered page: a tampered page (a template or formatting bug) is refused."""
from __future__ import annotations

import json

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
    ("Emergency:</strong> 119<", "Emergency:</strong> &#8238;119&#8236;<", "verify.bidi"),
    ("Emergency:</strong> 119<", "Emergency:</strong> \u2067119\u2069<", "verify.bidi"),
])
def test_tampered_page_is_refused(page, old, new, check):
    html, verify = page
    assert verify(html) == []
    body = html.index('<div class="body">') if check == "verify.structure" else 0
    assert old in html[body:]
    problems = verify(html[:body] + html[body:].replace(old, new, 1))
    assert check in {p.check for p in problems}, [str(p) for p in problems]


@pytest.fixture(scope="module")
def editions():
    """The es edition's three files and a verify(html, md, json) that reads them all."""
    project = Project(REPO)
    doc = project.document(GUIDE)
    edition = build_edition(doc, "es", Translations(), project.registry, project.templates_dir, ["en", "es"])
    files = {name.rsplit(".", 1)[1]: data.decode() for name, data in edition.files.items()}
    disclaimer = next(s.msgid for s in doc.segments if s.legal)

    def verify(html=None, md=None, json_text=None):
        md = files["md"] if md is None else md
        return verify_edition(files["html"] if html is None else html, doc, "es", locale_for("es"),
                              project.registry, [disclaimer], doc.path, md,
                              files["json"] if json_text is None else json_text)
    return files, verify


# (old, new, check): each tampering of the Markdown edition alone must be refused
MARKDOWN_TAMPERING = [
    ("**Ambulance/Fire/Emergency:** 119", "**Ambulance/Fire/Emergency:** 1199", "verify.value"),
    ("**Ambulance/Fire/Emergency:** 119", "**Ambulance/Fire/Emergency:** 119&#57;", "verify.value"),
    ("**Ambulance/Fire/Emergency:** 119", "**Ambulance/Fire/Emergency:** 119 (60 000 ₩)", "verify.value"),
    ("5.000\u00a0US$", "5.500\u00a0US$", "verify.value"),
    ("\n\n## ", "\n\n[p]: https://tracker.example/p.png\n\n## ", "verify.markdown"),
    ("\n\n## ", "\n\n<img src=https://tracker.example/p.png>\n\n## ", "verify.markdown"),
    ("\n\n## ", "\n\n![](https://tracker.example/p.png)\n\n## ", "verify.markdown"),
    ("\n\n## ", "\n\n[click](javascript:alert(1))\n\n## ", "verify.markdown"),
    ("\n\n## ", "\n\n# An extra heading\n\n## ", "verify.structure"),
    ("\n- ", "\n- An extra item\n- ", "verify.structure"),
    ("consult with a qualified healthcare professional", "consult", "verify.disclaimer"),
    ("**Ambulance/Fire/Emergency:** 119", "**Ambulance/Fire/Emergency:** &#8238;119", "verify.bidi"),
]


@pytest.mark.parametrize("old,new,check", MARKDOWN_TAMPERING)
def test_tampered_markdown_edition_is_refused(editions, old, new, check):
    files, verify = editions
    assert verify() == []
    md = files["md"]
    assert old in md
    tampered = md.replace(old, new, 1)
    as_json = lambda text: json.dumps(text, ensure_ascii=False)[1:-1]  # noqa: E731
    problems = verify(md=tampered, json_text=files["json"].replace(as_json(md), as_json(tampered)))
    assert check in {p.check for p in problems}, [str(p) for p in problems]
    assert "verify.json" not in {p.check for p in problems}  # the JSON carries the same tampered Markdown


def test_json_edition_must_carry_the_markdown_and_the_registry(editions):
    files, verify = editions
    data = json.loads(files["json"])
    assert "verify.json" in {p.check for p in verify(json_text=json.dumps({**data, "markdown": data["markdown"] + "x"}))}
    data["emergency"][0]["number"] = "112"
    assert "verify.emergency" in {p.check for p in verify(json_text=json.dumps(data))}
    assert "verify.json" in {p.check for p in verify(json_text=files["json"][:-10])}


def test_box_scans_tried_where_str_find_finds_their_start_read_as_finditer():
    """pagetext._fact_matches (str.find, then a match there) gives the patterns' own finditer, on pages built of
    the pieces that matter: starts inside starts, unclosed quotes and tags, labels that run to no end."""
    import random
    from workflow.editions import pagetext
    rnd = random.Random(17)
    pieces = ['data-fact="', 'data-fact="a"', 'data-fact=', ">", "<", "119", "</li>", "</span>", " ", "x", '"',
              "<span>", "</p>", "é", "\n", "data-fact=\"b\" x>"]
    for _ in range(5000):
        page = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(40)))
        for pattern in (pagetext._FACT, pagetext._FACT_LABEL):
            assert [(m.span(), m.groups()) for m in pagetext._fact_matches(pattern, page)] == \
                [(m.span(), m.groups()) for m in pattern.finditer(page)], page
