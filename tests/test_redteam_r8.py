"""Red team, round 8: the emergency services' names (editions/services.py, checks/services.py)."""
from __future__ import annotations

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
