"""Honest disclaimer translations pass the legal check (red team, round 7): Hindi ends its sentences with
the danda and writes its vowels as marks, which the letters-and-digits length must weigh."""
from __future__ import annotations

from test_checks_redteam2 import _routes, guide  # noqa: F401 (fixture)

# the project's medical disclaimer (source/facts.yaml), translated in full
HINDI = ("यह ब्लॉग पोस्ट केवल सूचना के उद्देश्य से है और चिकित्सा सलाह नहीं है। स्टेम सेल थेरेपी एक जटिल चिकित्सा "
         "प्रक्रिया है, और परिणाम भिन्न हो सकते हैं। पाठकों को सलाह दी जाती है कि वे स्वास्थ्य या उपचार से जुड़ा कोई "
         "निर्णय लेने से पहले योग्य चिकित्सक से परामर्श करें और शोध करें। कोरिया एक्सपीरियंस टीम किसी क्लिनिक, "
         "अस्पताल या उपचार का समर्थन नहीं करती।")


def test_a_full_hindi_disclaimer_is_not_refused(guide):  # noqa: F811
    project, doc, sources = guide
    disclaimer = next(m for m, s in sources.items() if s.legal)
    errors, refused = _routes(guide, disclaimer, HINDI, lang="hi")
    assert not [e for e in errors if "disclaimer" in e] and not [r for r in refused if "disclaimer" in r], \
        (errors, refused)


def test_a_hindi_disclaimer_cut_to_one_sentence_is_refused(guide):  # noqa: F811
    project, doc, sources = guide
    disclaimer = next(m for m, s in sources.items() if s.legal)
    errors, _ = _routes(guide, disclaimer, HINDI.split("।")[0] + "।", lang="hi")
    assert any("sentences were dropped" in e for e in errors), errors


def test_spacing_vowel_signs_pad_nothing(guide):  # noqa: F811
    """Counted once per letter they are written on: a cut disclaimer padded with a run of them is refused."""
    project, doc, sources = guide
    disclaimer = next(m for m, s in sources.items() if s.legal)
    cut = "केवल सूचना। सलाह नहीं। परामर्श करें। समर्थन नहीं।"
    errors, _ = _routes(guide, disclaimer, cut + " क" + "\u093e" * 600, lang="hi")
    assert any("text was cut" in e for e in errors), errors
