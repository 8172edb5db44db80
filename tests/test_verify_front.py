"""The build's verification reads a guide's title and excerpt where each output shows them (editions/verify_front):
the page's <title> and <h1>, the .md's front matter, the JSON's fields. Each test alters one output only, as a
template, writer or escaping bug would, and the edition must be refused naming that output."""
from __future__ import annotations

import json
from unittest import mock

import pytest

from workflow.editions import edition as edition_module
from workflow.editions.edition import Translations, build_edition
from workflow.model import ERROR, WorkflowError
from workflow.project import Project
from workflow.publishing.builder import Builder

from conftest import REPO

GUIDE = "korean-stem-cell-therapy-2026"
TITLE = "Korean Stem Cell Therapy: Anti-Aging & Joint Health 2026"
EXCERPT = "Explore the cutting-edge of Korean stem cell therapy in 2026 focusing on anti-aging and joint health for " \
          "international visitors"
TITLE_ES = "Terapia con células madre en Corea: antienvejecimiento y salud articular 2026"
EXCERPT_ES = "Explore la terapia con células madre en Corea en 2026, para visitantes internacionales"


@pytest.fixture(scope="module")
def project():
    return Project(REPO)


def _refused(project, alter=None, title=TITLE_ES, excerpt=EXCERPT_ES, lang="es") -> list[str]:
    """The edition's errors, its outputs altered by alter(html, markdown, json_text) before the verification."""
    real = edition_module.verify_edition

    def altered(html, doc, lang, locale, registry, disclaimers, path, markdown, json_text, **kw):
        if alter:
            html, markdown, json_text = alter(html, markdown, json_text)
        return real(html, doc, lang, locale, registry, disclaimers, path, markdown, json_text, **kw)

    translations = Translations(guide={TITLE: title, EXCERPT: excerpt})
    with mock.patch.object(edition_module, "verify_edition", altered):
        built = build_edition(project.document(GUIDE), lang, translations, project.registry, project.templates_dir,
                              ["en", lang])
    return [f"{p.message} [{p.check}]" for p in built.problems if p.severity == ERROR]


def _json_field(key, value):
    def alter(html, markdown, json_text):
        data = json.loads(json_text)
        data[key] = value
        return html, markdown, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return alter


def _replaced(part, old, new):
    def alter(html, markdown, json_text):
        outputs = {"html": html, "markdown": markdown, "json": json_text}
        assert old in outputs[part]
        outputs[part] = outputs[part].replace(old, new)
        return outputs["html"], outputs["markdown"], outputs["json"]
    return alter


def test_an_honest_title_and_excerpt_pass(project):
    assert _refused(project) == []


def test_the_source_title_passes_where_no_translation_is(project):
    assert _refused(project, title="", excerpt="") == []


OUTPUTS = [  # (where the verification says it read it, the alteration of that output alone)
    ("title in HTML <title>", _replaced("html", f"<title>{TITLE_ES}", f"<title>{TITLE_ES} (EUR)")),
    ("title in HTML <h1>", _replaced("html", f"<h1>{TITLE_ES}", f"<h1>{TITLE_ES} US$50")),
    ("title in Markdown front matter", _replaced("markdown", f'title: "{TITLE_ES}', f'title: "{TITLE_ES} 2027')),
    ("excerpt in Markdown front matter", _replaced("markdown", f'excerpt: "{EXCERPT_ES}', f'excerpt: "112 {EXCERPT_ES}')),
    ("title in JSON", _json_field("title", TITLE_ES.replace("2026", "2027"))),
    ("excerpt in JSON", _json_field("excerpt", EXCERPT_ES + " (precios en euros)")),
]


@pytest.mark.parametrize("where, alter", OUTPUTS, ids=[o[0] for o in OUTPUTS])
def test_each_output_s_title_and_excerpt_are_read(project, where, alter):
    refused = _refused(project, alter)
    assert any(f"] {where}:" in message for message in refused), refused


def test_a_title_in_the_json_that_is_no_text_is_refused(project):
    assert any("JSON: title is not text" in m for m in _refused(project, _json_field("title", [TITLE_ES])))


def test_a_front_matter_line_that_is_no_json_string_is_refused(project):
    refused = _refused(project, _replaced("markdown", f'title: "{TITLE_ES}"', f"title: {TITLE_ES}"))
    assert any("Markdown front matter: title is not one JSON string" in m for m in refused), refused


@pytest.mark.parametrize("title, check", [
    (TITLE_ES + " \u202e", "verify.bidi"),                       # a bidi control reorders what a reader sees
    (TITLE_ES.replace("2026", "US$2026"), "verify.price"),      # the year made money
    (TITLE_ES + " (llame al 112, ambulancia)", "verify.services"),
    (TITLE_ES.replace("2026", "２０２７"), "verify.value"),       # full-width digits read as 2027
])
def test_a_hostile_title_is_refused_in_every_output(project, title, check):
    refused = _refused(project, title=title)
    for where in ("HTML <title>", "HTML <h1>", "Markdown front matter", "JSON"):
        assert any(where in m and "title in" in m and m.endswith(f"[{check}]") for m in refused), (where, refused)


def test_a_dropped_source_number_is_refused(project):
    assert any("'2026' of the source is not in the edition" in m
               for m in _refused(project, excerpt=EXCERPT_ES.replace(" en 2026", "")))


# --- the language's index page: each guide's summary (its title and excerpt), from whichever edition stands ----------

def _summary(project):
    return build_edition(project.document(GUIDE), "es", Translations(guide={TITLE: TITLE_ES, EXCERPT: EXCERPT_ES}),
                         project.registry, project.templates_dir, ["en", "es"]).summary


def test_the_index_page_shows_honest_summaries(project):
    assert TITLE_ES.encode() in Builder(project).index_page("es", [_summary(project)], [])


@pytest.mark.parametrize("key, value, found", [
    ("title", TITLE_ES + " (EUR)", "title of korean-stem-cell-therapy-2026 in the index page: currency 'EUR'"),
    ("title", TITLE_ES.replace("2026", "2027"), "title of korean-stem-cell-therapy-2026 in the index page: number"),
    ("excerpt", EXCERPT_ES + " \u202e", "excerpt of korean-stem-cell-therapy-2026 in the index page: bidi control"),
    ("excerpt", ["x"], "excerpt of korean-stem-cell-therapy-2026 in the index page: not text"),
    ("guide", "no-such-guide", "index page: guide no-such-guide"),
])
def test_a_summary_the_source_does_not_account_for_is_no_index_page(project, key, value, found):
    # a summary kept from an older release (assemble) was verified by the code of its day: read again here
    with pytest.raises(WorkflowError) as raised:
        Builder(project).index_page("es", [{**_summary(project), key: value}], [])
    assert any(found in p.message for p in raised.value.problems), raised.value.problems
