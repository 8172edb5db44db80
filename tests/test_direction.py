"""Text direction comes from CLDR (Babel's character order) for every language, not a hand list."""
from __future__ import annotations

import re

import pytest

from workflow.editions.edition import Translations, build_edition, build_index
from workflow.project import Project

from conftest import REPO

GUIDE = "korean-stem-cell-therapy-2026"
RIGHT_TO_LEFT = ["ar", "he", "fa", "ur", "ckb", "ps", "ug", "yi", "sd", "dv", "pa_Arab"]
LEFT_TO_RIGHT = ["en", "es", "ja", "zh_CN", "ku", "en_XA", "tr", "ru"]


def _dir_of(html: str) -> str:
    return re.search(r'<html[^>]*\sdir="(\w+)"', html).group(1)


@pytest.fixture(scope="module")
def render():
    project = Project(REPO)
    doc = project.document(GUIDE)

    def pages(lang: str) -> list[str]:
        edition = build_edition(doc, lang, Translations(), project.registry, project.templates_dir, ["en", lang])
        index = build_index([], lang, Translations(), project.registry, project.templates_dir, ["en", lang])
        return [edition.files[f"{GUIDE}.html"].decode(), index.decode()]
    return pages


@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_right_to_left_languages_render_rtl(render, lang):
    assert [_dir_of(html) for html in render(lang)] == ["rtl", "rtl"]


@pytest.mark.parametrize("lang", LEFT_TO_RIGHT)
def test_left_to_right_languages_render_ltr(render, lang):
    assert [_dir_of(html) for html in render(lang)] == ["ltr", "ltr"]
