"""Red team, round 8 (r8-red2): the emergency services' names (editions/services.py, checks/services.py) and the index page."""
from __future__ import annotations

from pathlib import Path

import pytest

from test_checks_redteam2 import AMBULANCE, _routes, guide  # noqa: F401 (fixture)

# a name written in letters a reader takes for Latin ones that neither NFKC, case folding nor the lookalike
# table mapped: Latin small capitals (IPA block), Cherokee capitals shaped like Latin ones
SMALL_CAPS_POLICE = "\u1d18\u1d0f\u029f\u026a\u1d04\u00ed\u1d00"        # ᴘᴏʟɪᴄíᴀ
CHEROKEE_POLICE = "\u13e2\u13be\u13de" "ICE"                              # ᏢᎾᏞICE


@pytest.mark.parametrize("lang, msgstr", [
    ("es", f"**{SMALL_CAPS_POLICE}:** {{ambulance}} (Ambulancia)"),
    ("es", f"**{SMALL_CAPS_POLICE} / Ambulancia:** {{ambulance}}"),
    ("ja", f"**{CHEROKEE_POLICE}（救急）：** {{ambulance}}"),
    ("ja", "**POLIC\u0395（救急）：** {ambulance}"),                  # Greek capital Ε, read as ε
    ("ja", "**\ua4d1\ua4f3\ua4e1\ua4f2\ua4da\ua4f0（救急）：** {ambulance}"),  # Lisu ꓑꓳꓡꓲꓚꓰ
    ("es", "**P\u0585lic\u00eda:** {ambulance} (Ambulancia)"),        # Armenian օ
])
def test_another_services_name_in_lookalike_letters_is_refused(guide, lang, msgstr):  # noqa: F811
    """A reader sees POLICÍA: 119; before the fix check and the build passed it."""
    errors, refused = _routes(guide, AMBULANCE, msgstr, lang=lang)
    assert any("a name of 112" in e for e in errors), errors
    assert any("verify.services" in r and "HTML:" in r for r in refused), refused


def test_another_services_name_in_cyrillic_capitals_is_refused(guide):  # noqa: F811
    """МЕDICAL НЕLPLINE (Cyrillic М, Н: case folded м, н) beside the ambulance number."""
    errors, refused = _routes(guide, AMBULANCE, "**\u041c\u0415DICAL \u041d\u0415LPLINE（救急）：** {ambulance}",
                              lang="ja")
    # as for the same name in Latin letters, `check` refuses it (the page's reading: the name is not the
    # number's neighbour, its own name is)
    assert errors == _routes(guide, AMBULANCE, "**Medical helpline（救急）：** {ambulance}", lang="ja")[0], errors
    assert any("a name of 1339" in e for e in errors), errors


# --- the index page: rendered from templates/index.html and ui.po, shown to every reader of a language ----------
ROTATED_BOX = ('<aside class="emergency"><ul>{% for fact in edition.emergency %}<li><a class="number" '
               'href="tel:{{ fact.number }}" data-fact="{{ fact.id }}">{{ fact.number }}</a> <span class="label">'
               '{{ edition.emergency[loop.index % 3].label }}</span></li>{% endfor %}</ul></aside>')


def _one_guide_project(tmp_path):
    from conftest import copy_project
    project = copy_project(tmp_path / "p", languages=["ja"])
    keep = sorted(project.glob("source/*.md"))[0].stem
    for path in [*project.glob("source/*.md"), *project.glob("locales/*/LC_MESSAGES/*.po"),
                 *project.glob("locales/templates/*.pot")]:
        if path.stem not in (keep, "ui"):
            path.unlink()
    return project


@pytest.mark.parametrize("hostile", [True, False])
def test_an_index_page_whose_box_labels_a_number_as_another_service_is_not_published(tmp_path, run_cli, monkeypatch,
                                                                                     hostile):
    """A template that labels 119 as the medical helpline on the index page (guide pages keep the honest
    box): the index was never verified after rendering, and the release went live."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = _one_guide_project(tmp_path)
    index = project / "templates/index.html"
    if hostile:
        index.write_text(index.read_text().replace('{% include "emergency.html" %}', ROTATED_BOX))
    code, out, err = run_cli(project, "publish", "--lang", "ja", "-j", "1")
    published = (project / "dist/ja/current/index.html").exists()
    if hostile:
        assert code == 1 and not published, (out, err)
        assert "templates/index.html" in out + err and "emergency box" in out + err, (out, err)
    else:
        assert code == 0 and published, (out, err)


# --- false refusals: an honest translation that moves a service's name before or after its number ---------------
TWO = "Call 119 for an ambulance or 112 for the police."


def _misplaced(lang, source, shown):
    from workflow.editions.services import misplaced, services_for
    from workflow.project import Project
    names = services_for(Project(Path(__file__).resolve().parents[1]).registry, lang)
    return misplaced(names.events(shown), names.events(source), names)


@pytest.mark.parametrize("lang, shown", [
    ("ja", "救急車は119、警察は112に電話してください。"),                 # each name before its number
    ("zh_CN", "救护车请拨119，警察请拨112。"),
    ("es", "Para una ambulancia llame al 119; para la policía, al 112."),
    ("es", "Llame al 119 para una ambulancia o al 112 para la policía."),  # the source's order
])
def test_two_services_each_named_on_its_own_side_of_its_number_pass(lang, shown):
    """Before: "shows 119 before a name of 112 (Police)", an honest reordering refused."""
    assert _misplaced(lang, TWO, shown) == []


@pytest.mark.parametrize("lang, shown", [
    ("es", "Policía: 119, Ambulancia: 112."),                       # swapped
    ("es", "Ambulancia: 112, Policía: 119."),
    ("es", "Policía 119 ambulancia 112 policía."),                  # a name left over: two readings
    ("es", "Policía 112 policía 119 ambulancia."),
    ("ja", "警察は119、救急車は112に電話してください。"),
])
def test_a_swap_or_a_dangling_name_is_still_refused(lang, shown):
    assert any("a reader would call the wrong service" in p for p in _misplaced(lang, TWO, shown))


def test_a_greek_capital_is_read_by_its_look_not_its_small_letter():
    """Greek Ν reads N to a reader; case folding made it ν, which the lookalikes read as v: ΑΜΒULΑΝCΕ hid."""
    from workflow.editions.services import services_for
    from workflow.project import Project
    names = services_for(Project(Path(__file__).resolve().parents[1]).registry, "es")
    assert names.named("\u0391\u039c\u0392UL\u0391\u039dC\u0395") == ["ambulance"]
    assert names.named("\u03bd") == []


@pytest.mark.parametrize("msgstr", [
    "**救護車：** {medical_helpline}（医疗咨询，多语种）",   # Traditional 救護車: a reader sees "Ambulance: 1339"
    "**醫療諮詢：** {ambulance}（救护车）",
    "**報警：** {ambulance}（救护车）",
])
def test_a_traditional_writing_of_another_services_name_is_refused_in_zh_cn(guide, msgstr):  # noqa: F811
    """Before: the Traditional forms were no listed name, so check and the build passed them."""
    source = ("**Medical Consultation (for foreigners):** {medical_helpline} (available in multiple languages)"
              if "medical_helpline" in msgstr else AMBULANCE)
    errors, _refused = _routes(guide, source, msgstr, lang="zh_CN")
    assert any("a name of" in e for e in errors), errors


def test_calling_the_police_in_chinese_is_its_own_service():
    """报警 ('call the police') beside 112 is no false refusal once it is a police name."""
    assert _misplaced("zh_CN", TWO, "叫救护车请拨119，报警请拨112。") == []
