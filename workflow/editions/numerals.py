"""The numeral characters a reader reads as a number though they are no digit (screen.OTHER_NUMERALS: Roman ⅭⅩⅡ,
Suzhou 〡〡〢, Ethiopic ፻፲፪, dingbats ❶...), written as that number in ASCII digits for editions.visible, which
reads them so before NFKC (it makes Ⅻ the letters XII). Pure."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from .screen import NUMERAL_RANGES, OTHER_NUMERALS

_NUMERAL_RUN = re.compile(f"[{NUMERAL_RANGES}]+")
_ROMAN = re.compile("[\u2160-\u2188]+")


def numerals_read(text: str, chars: set[str]) -> tuple[str, set[str]]:
    """text with each run of numeral characters (screen.OTHER_NUMERALS) written as the number a reader reads
    in it, in ASCII digits, and its characters so (chars: as _screened has them). "ⅭⅩⅡ" is 112 as a reader
    reads it, so it counts as 112 wherever numbers are accounted for and emergency numbers looked for."""
    text = _NUMERAL_RUN.sub(lambda m: _numeral_value(m.group()), text)
    return text, (chars - OTHER_NUMERALS) | set("0123456789.-")


def _numeral_value(run: str) -> str:
    """A run's value: digits one after another where each is a digit's value (Suzhou 〡〡〩, Ethiopic ፩፩፱: 119)
    but Roman numerals, else the Roman rule (a value before a larger one subtracted: ⅭⅩⅨ 119, ⅩⅬ 40), which
    adds the values of additive systems (Ethiopic ፻፲፱, Aegean). Any reading is a number: where it is not
    the source's it is refused."""
    values = [unicodedata.numeric(ch) for ch in run]
    if not _ROMAN.search(run) and all(v in range(10) for v in values):
        return "".join(str(int(v)) for v in values)
    total = sum(-v if v < after else v for v, after in zip(values, values[1:] + [0]))
    return str(int(total)) if total == int(total) else format(Decimal(str(total)).normalize(), "f")
