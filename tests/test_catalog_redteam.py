"""Red team of the PO reader's quick route (workflow.catalogs.quick) and the checks' plain-text skip
(checks.registry.plain_pair): hostile catalogs and translations, each compared with the plain route.

Each test is an attack; it failed on the code it was written against and passes on the fix (or held
from the start, which the docstring says).
"""
from __future__ import annotations

import time

from workflow.catalogs import quick, reader
from workflow.model import WorkflowError

HEADER = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\nLanguage: de\\n"\n\n'


def _refused(data: bytes) -> bool:
    try:
        reader.read(data, "x.po")
    except WorkflowError:
        return True
    return False


def test_a_line_the_quick_route_cannot_read_ends_it_at_once():
    """Broke: quick.read searched on past the first line it could not read (finditer, no anchor), and
    each search position re-read the comment block that followed: quadratic, a 40 KB catalog took 30 s
    of CPU to refuse and one at the 4 MiB limit days, where the strict route takes milliseconds."""
    for data in (b"#\n" * 10_000 + b'msgid "a"\n',                                # no msgstr
                 HEADER + b"#. note\n" * 10_000 + b'msgid "a"\nmsgstr "b" \n'):  # trailing space
        start = time.process_time()
        assert quick.read(data) is None
        assert time.process_time() - start < 0.5   # ~1 ms fixed; ~2 s (20 KB) broken
        assert _refused(data) == (data.endswith(b'"a"\n'))


# --- the checks' plain-text skip ----------------------------------------------------------------------

# numbers, money, markup and addresses as an attacker writes them where a check might not look
DISGUISES = ["１１９", "١١٩", "११९", "¹¹⁹", "₁₁₉", "①①⑨", "一一九", "壹壹玖", "𝟏𝟏𝟗", "🄂🄂🄊", "𐄇𐄇", "𒐕", "ⅭⅩⅨ", "Ⅻ",
             "CXIX", "one one nine", "neun-eins-eins", "1\u00a01\u00a09", "1\u202f1\u202f9", "1\u200e19", "1\u03019",
             "1\u20e3", "½", "⅓", "0x77", "&#49;&#49;&#57;", "&amp;", "\\1", "\u200e", "\u200f", "\u061c", "\u0301",
             "＄", "﹩", "₹", "¢", "₩", "元", "円", "﷼", "₿", "dollars", "Euro", "EUR", "usd", "US-Dollar", "US$",
             "％", "﹪", "‰", "٪", "＜b＞", "<b>", "‹b›", "ｗｗｗ.x", "WwW.x", "ｈｔｔｐｓ：／／x", "https：//x",
             "tel：119", "tel:119", "ſms:x", "javascript:", "ｊavascript:", "JavaScrİpt :", "{", "}", "｛x｝", "{{",
             "**", "＊＊", "_x_", "~~x~~", "`", "!", "[a](b)", "［a］（b）", "=", "＝", "onclick=", "#", "§", "×",
             "\u00ad", "\u2009", "\u3000", "ﾠ", "·", "・", "٫", "٬", "،"]


def test_the_plain_skip_changes_no_problem_of_a_disguised_number_money_or_markup(monkeypatch):
    """Held: each disguise, in the translation of a plain source or in a plain source, gives the problems
    the runner gives with every check run (the plain route; main's code gave the same). Several pass
    both routes unreported (number words, ⅭⅩⅨ, 🄂🄂🄊, ＄ without digits): gaps of the checks, not of the skip."""
    from workflow.checks import runner
    from workflow.editions.facts import Registry
    from workflow.model import Entry, Fact, TranslatedCatalog

    registry = Registry(emergency=[Fact("ambulance", "119", "Ambulance")], disclaimers=[])
    pairs = [(source, "Rufen Sie " + text + " an.") for text in DISGUISES for source in ("Call the ambulance now.", "Call")]
    pairs += [("Call " + text + " now.", "Rufen Sie jetzt an.") for text in DISGUISES]
    sources = {msgid: runner.source_for_ui(msgid, registry) for msgid, _ in pairs}
    catalog = TranslatedCatalog("x.po", "de", [Entry(msgid, msgstr, None, False, False, line, [])
                                               for line, (msgid, msgstr) in enumerate(pairs, 2)])

    def problems():
        return [p.as_dict() for p in runner.run(catalog, sources, "de", registry, [])]

    skipped = problems()
    monkeypatch.setattr(runner, "plain_pair", lambda view: False)
    assert skipped == problems()


def test_a_translation_full_of_colons_is_checked_in_linear_time():
    """Broke: the script-URL hint (markup.colon_follows with spaces) sliced the text before every colon:
    quadratic, a 1 MB msgstr of colons took 12 s of checks where main's regex took 0.07 s."""
    from workflow.checks import markup

    for text in ("a" + ":" * 400_000, "t" + " :" * 200_000, "x" + " " * 400_000 + ":"):
        start = time.process_time()
        assert markup.colon_follows(text, "tT", spaces=True) == text.startswith("t")
        assert time.process_time() - start < 0.5   # ~0.05 s fixed; ~2 s for the first text broken
