"""The facts registry (emergency numbers, disclaimers, currency) and the price/number protection rules.

Pure: `Registry.from_dict` takes the parsed YAML; nothing here opens a file.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal

from ..model import Fact, Price, Value, WorkflowError

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "USD $5,000 - $15,000", "~$10,922", "$330 to $33,000 USD", "$20,000+", "$15,000 - $40,000+"
_PRICE = re.compile(
    r"(?P<pre>\b(?P<code1>[A-Z]{3})\s?)?"
    r"(?P<approx>~\s?)?"
    r"(?P<sym>\$)(?P<low>" + _AMOUNT + r")(?P<plus1>\+)?"
    r"(?:(?P<sep>\s?[-–—]\s?|\s(?:to)\s)(?P=sym)(?P<high>" + _AMOUNT + r")(?P<plus2>\+)?)?"
    r"(?P<post>\s(?P<code2>[A-Z]{3})\b)?"
)


@dataclass(frozen=True)
class Disclaimer:
    id: str
    heading: str
    text: str


@dataclass
class Registry:
    emergency: list[Fact]
    disclaimers: list[Disclaimer]
    symbols: dict[str, str] = field(default_factory=lambda: {"$": "USD"})
    codes: frozenset[str] = frozenset({"USD"})
    # fact id -> language -> the service's vetted names (editions.services): the label's translation first
    names: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    derived: dict = field(default_factory=dict, compare=False, repr=False)   # what is read of it once (services)

    @classmethod
    def from_dict(cls, data: dict, path: str = "source/facts.yaml") -> "Registry":
        try:
            emergency = [Fact(id=str(e["id"]), number=str(e["number"]), label=str(e["label"]))
                         for e in data.get("emergency") or []]
            disclaimers = [Disclaimer(id=str(d["id"]), heading=str(d["heading"]), text=" ".join(str(d["text"]).split()))
                           for d in data.get("disclaimers") or []]
            currency = data.get("currency", {}) or {}
            names = {str(e["id"]): {str(lang): tuple(str(n) for n in ([found] if isinstance(found, str) else found))
                                    for lang, found in (e.get("names") or {}).items()}
                     for e in data.get("emergency") or []}
        except (KeyError, TypeError, AttributeError) as exc:
            raise WorkflowError.at(path, 1, f"malformed facts registry: missing {exc}", "facts.registry") from None
        for fact in emergency:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", fact.id) or not (fact.number.isascii() and fact.number.isdigit()):
                raise WorkflowError.at(path, 1, f"bad emergency entry {fact.id!r}/{fact.number!r}", "facts.registry")
        symbols, codes = currency.get("symbols"), currency.get("codes")   # null: as if absent
        return cls(emergency=emergency, disclaimers=disclaimers,
                   symbols=dict({"$": "USD"} if symbols is None else symbols),
                   codes=frozenset(["USD"] if codes is None else codes), names=names)

    def disclaimer_for(self, text: str) -> Disclaimer | None:
        normalized = " ".join(text.split())
        for d in self.disclaimers:
            if d.text == normalized:
                return d
        return None

    @cached_property
    def fact_pattern(self) -> re.Pattern | None:
        """The emergency numbers standing alone, derived once per registry (nothing changes a registry
        after from_dict): protect() asks for it per text, and building it was ~15 % of protect()."""
        return _build_fact_pattern(self.emergency)

    def fact_numbers(self) -> set[str]:
        return {f.number for f in self.emergency}


def _decimal(amount: str) -> Decimal:
    return Decimal(amount.replace(",", ""))


def parse_price(match: re.Match, registry: Registry) -> Price | None:
    codes = {c for c in (match.group("code1"), match.group("code2")) if c}
    if any(c not in registry.codes for c in codes):
        return None
    currency = codes.pop() if codes else registry.symbols.get(match.group("sym"), "USD")
    return Price(currency=currency, low=_decimal(match.group("low")),
                 high=_decimal(match.group("high")) if match.group("high") else None,
                 approx=bool(match.group("approx")),
                 open_ended=bool(match.group("plus1") or match.group("plus2")),
                 source=match.group(0))


def _fact_pattern(registry: Registry) -> re.Pattern | None:
    return registry.fact_pattern


def _build_fact_pattern(emergency: list[Fact]) -> re.Pattern | None:
    if not emergency:
        return None
    alternatives = "|".join(re.escape(f.number) for f in sorted(emergency, key=lambda f: -len(f.number)))
    # A number standing alone: not part of a longer number, a price or a code like "C-119".
    return re.compile(r"(?<![\w$.,\-])(" + alternatives + r")(?![\w]|[.,]\d)")


def protect(text: str, registry: Registry) -> tuple[str, dict[str, Value]]:
    """Replace registered facts and prices in inline text by named placeholders.

    Returns a python-brace-format template (literal braces doubled when a placeholder is present)
    and the placeholder values in order of appearance.
    """
    spans: list[tuple[int, int, str, Value]] = []
    price_count = 0
    # a price holds a "$" (the pattern's one literal): a text without one has none, and its scan (the
    # pattern tried at each character) was half of protect's cost; 6 % of the bench texts hold one
    for m in _PRICE.finditer(text) if "$" in text else ():
        price = parse_price(m, registry)
        if price is None:
            continue
        price_count += 1
        spans.append((m.start(), m.end(), f"price{price_count}" if price_count > 1 else "price", price))
    fact_re = _fact_pattern(registry)
    by_number = {f.number: f for f in registry.emergency}
    if fact_re:
        # a number inside a price is the price's: the prices are apart and in order, so the one that may
        # hold it is the last starting at or before it (each number asked every price: quadratic)
        price_starts, price_ends = [s for s, _, _, _ in spans], [e for _, e, _, _ in spans]
        for m in fact_re.finditer(text):
            before = bisect_right(price_starts, m.start())
            if before and m.start() < price_ends[before - 1]:
                continue
            fact = by_number[m.group(1)]
            spans.append((m.start(1), m.end(1), fact.id, fact))
    if not spans:
        return text, {}
    spans.sort()
    out, values, pos = [], {}, 0
    for start, end, name, value in spans:
        out.append(text[pos:start].replace("{", "{{").replace("}", "}}"))
        if name in values and values[name] != value:
            name = f"{name}_{len(values) + 1}"
        values[name] = value
        out.append("{" + name + "}")
        pos = end
    out.append(text[pos:].replace("{", "{{").replace("}", "}}"))
    return "".join(out), values


_SLOT = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAMED_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")   # _SLOT's matches in a text with no "{{" or "}}"


def fill(template: str, values: dict[str, str], brace_format: bool) -> str:
    """Put rendered values into a template; never evaluates anything but named slots."""
    if not brace_format:
        return template
    if "{{" not in template and "}}" not in template:
        # only named slots can match: one split, each name looked up in a list (a Python call per slot cost
        # ~1 K instructions; every edition fills every text with placeholders)
        parts = _NAMED_SLOT.split(template)   # text, name, text, ...
        parts[1::2] = [values[name] if name in values else "{" + name + "}" for name in parts[1::2]]
        return "".join(parts)

    def slot(m: re.Match) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        name = m.group(1)
        return values[name] if name in values else m.group(0)

    return _SLOT.sub(slot, template)


def placeholder_names(template: str) -> list[str]:
    return [m.group(1) for m in _SLOT.finditer(template) if m.group(1)]


def only_values(template: str) -> bool:
    """True for text made only of placeholders, numbers and punctuation: nothing to translate."""
    rest = _SLOT.sub(" ", template)
    return not re.search(r"[^\W\d_]", rest)
